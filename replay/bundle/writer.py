"""Writing a trajectory as a bundle: a directory, or a zip when the path ends in ``.zip``.

Frames are streamed: each is decoded from its source, encoded as PNG and
written before the next is read, so memory stays flat however long the session.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from replay.bundle import png
from replay.bundle.pipeline import ordered_map
from replay.bundle.reader import EVENTS, TRAJECTORY, frame_file
from replay.bundle.schema import event_json, trajectory_json
from replay.png import encode
from replay.trajectory import TrajectorySource

Progress = Callable[[int, int], None]


class _Sink(Protocol):
    def write(self, name: str, data: bytes, compress: bool) -> None: ...

    def close(self) -> None: ...


class _Directory:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "frames").mkdir(parents=True)

    def write(self, name: str, data: bytes, compress: bool) -> None:
        (self.root / name).write_bytes(data)

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

    def close(self) -> None:
        self.zip.close()


def _png_file(rgb: np.ndarray) -> tuple[str, bytes]:
    return png.content_hash(rgb), encode(rgb)


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def write_bundle(source: TrajectorySource, out: Path, progress: Progress | None = None) -> None:
    """Write ``source`` to ``out`` (which must not exist); ``progress(done, total)`` per frame."""
    traj = source.trajectory
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
        lines = [json.dumps(event_json(e), ensure_ascii=False) for e in source.events()]
        sink.write(EVENTS, ("\n".join(lines) + "\n" if lines else "").encode(), compress=True)
        document = trajectory_json(traj, names)
        sink.write(
            TRAJECTORY,
            json.dumps(document, ensure_ascii=False, indent=1).encode(),
            compress=True,
        )
    finally:
        sink.close()
