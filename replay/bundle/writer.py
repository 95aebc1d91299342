"""Writing a trajectory as a bundle: a directory, or a zip when the path ends in ``.zip``.

Frames are streamed: each is decoded from its source, encoded as PNG and
written before the next is read, so memory stays flat however long the session.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from replay.bundle import png
from replay.bundle.pipeline import ordered_map
from replay.bundle.reader import EVENTS, TRAJECTORY, frame_file
from replay.bundle.schema import event_json, trajectory_json
from replay.png import encode
from replay.trajectory import TrajectorySource

if TYPE_CHECKING:
    from replay.trajectory import ContextFrames

Progress = Callable[[int, int], None]


class _Sink(Protocol):
    def write(self, name: str, data: bytes, compress: bool) -> None: ...

    def move_in(self, name: str, path: Path) -> None: ...

    def close(self) -> None: ...


class _Directory:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "frames").mkdir(parents=True)

    def write(self, name: str, data: bytes, compress: bool) -> None:
        (self.root / name).write_bytes(data)

    def move_in(self, name: str, path: Path) -> None:
        """Make the file at ``path`` the bundle's ``name`` (stored as it is)."""
        path.replace(self.root / name)
        (self.root / name).chmod(0o644)  # a temporary file starts private

    def close(self) -> None:
        pass


class _Zip:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.zip = zipfile.ZipFile(path, "w", allowZip64=True)

    def write(self, name: str, data: bytes, compress: bool) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16  # a plain file, readable by all
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.zip.writestr(info, data, method)

    def move_in(self, name: str, path: Path) -> None:
        """Copy the file at ``path`` in as ``name``, uncompressed, in chunks; then remove it."""
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = path.stat().st_size
        with path.open("rb") as src, self.zip.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        path.unlink()

    def close(self) -> None:
        self.zip.close()


def _png_file(rgb: np.ndarray) -> tuple[str, bytes]:
    return png.content_hash(rgb), encode(rgb)


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def write_bundle(
    source: TrajectorySource,
    out: Path,
    progress: Progress | None = None,
    video: ContextFrames | None = None,
) -> None:
    """Write ``source`` to ``out`` (which must not exist); ``progress(done, total)`` per frame.

    With ``video`` (the same session's kept frames), the bundle gets ``context.mp4``.
    """
    traj = source.trajectory
    encoding: Progress | None = None
    if video is not None and progress is not None:
        from replay.bundle.video import two_parts

        # One count for both: the frames' PNGs, then the video's frames.
        progress, encoding = two_parts(progress, len(traj.frames), video)
    sink: _Sink = _Zip(out) if is_zip(out) else _Directory(out)
    try:
        names: dict[str, str] = {}
        written: set[str] = set()
        refs = list(traj.frames)
        # Decoding reads the source on this thread; hashing and PNG coding run on workers.
        pixels = (source.frames.rgb(ref) for ref in refs)
        for done, (ref, (name, data)) in enumerate(
            zip(refs, ordered_map(_png_file, pixels), strict=True), start=1
        ):
            names[ref] = name
            if name not in written:
                sink.write(frame_file(name), data, compress=False)
                written.add(name)
            if progress is not None:
                progress(done, len(refs))
        targets = traj.targets
        lines = [
            json.dumps(event_json(e, targets.get(e.seq)), ensure_ascii=False)
            for e in source.events()
        ]
        sink.write(EVENTS, ("\n".join(lines) + "\n" if lines else "").encode(), compress=True)
        info = None
        if video is not None:
            from replay.bundle.video import add_context_video

            info = add_context_video(video, traj, out, sink.move_in, encoding)
        document = trajectory_json(traj, names, info)
        sink.write(
            TRAJECTORY,
            json.dumps(document, ensure_ascii=False, indent=1).encode(),
            compress=True,
        )
    finally:
        sink.close()
