"""Writing a trajectory as a bundle: a directory, or a zip when the path ends in ``.zip``.

Frames are streamed: each is decoded from its source on the calling thread,
then hashed, encoded as PNG and (in a directory) written on worker threads,
with only a few frames in flight, so memory stays flat however long the
session. The output is not synced to disk here: the export command writes
into a staging path and moves it into place once whole.
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np

from capture.framecodec import DeltaFrame, frame_hasher
from capture.pipeline import ordered_map
from replay.bundle import png
from replay.bundle.reader import EVENTS, TRAJECTORY, frame_file
from replay.bundle.schema import event_json, trajectory_json
from replay.png import BgraEncoder, band_rows
from replay.trajectory import FrameSource, TrajectorySource

if TYPE_CHECKING:
    from replay.trajectory import ContextFrames, KeptVideo

Progress = Callable[[int, int], None]
ALPHA = 0xFF000000  # the alpha byte of a little-endian BGRA pixel read as uint32


class _Sink(Protocol):
    # True: ``write`` may be called from several threads at once (frames written by workers).
    concurrent: bool

    def write(self, name: str, data: bytes, compress: bool) -> None: ...

    def move_in(self, name: str, path: Path) -> None: ...

    def close(self) -> None: ...


class _Directory:
    concurrent = True

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
    concurrent = False  # entries in frame order: the same session makes the same zip

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


class _Frames:
    """Hashing and PNG coding of one frame, run on worker threads, a band of rows at a
    time; a directory's frame files are written there too, each once (two frames
    may hash alike)."""

    def __init__(self, sink: _Sink) -> None:
        self._sink = sink
        self._claimed: set[str] = set()
        self._lock = threading.Lock()
        self._local = threading.local()  # a PNG encoder and a band buffer per thread

    def _claim(self, name: str) -> bool:
        with self._lock:
            if name in self._claimed:
                return False
            self._claimed.add(name)
            return True

    def _scratch(self, width: int) -> np.ndarray:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None or scratch.shape != (band_rows(width), width, 4):
            scratch = self._local.scratch = np.empty((band_rows(width), width, 4), np.uint8)
        return cast(np.ndarray, scratch)

    def __call__(self, frame: DeltaFrame) -> tuple[str, bytes | None]:
        """(content hash, PNG bytes still to write, or None once written or a duplicate)."""
        h, w, _ = frame.shape
        hasher = frame_hasher(w, h)
        scratch = self._scratch(w)

        def rows(y: int, n: int) -> np.ndarray:
            band = frame.rows(y, n, scratch)
            # Opaque, as the hash is defined: the alpha set (in the band buffer, as the
            # frame's own pixels are shared) unless already so, which one read tells.
            pixels = band.view("<u4")
            if pixels.min() < ALPHA:
                if not np.may_share_memory(band, scratch):
                    np.copyto(scratch[:n], band)
                    band = scratch[:n]
                    pixels = band.view("<u4")
                np.bitwise_or(pixels, np.uint32(ALPHA), out=pixels)
            hasher.update(band.data)
            return band

        encoder = getattr(self._local, "encoder", None)
        if encoder is None:
            encoder = self._local.encoder = BgraEncoder()
        # Hashing rides along the encoder's pass; a frame seen already is encoded for
        # nothing, which costs less than a second pass over every frame.
        data = encoder.encode_rows(w, h, rows)
        name = hasher.hexdigest()
        if not self._claim(name):
            return name, None
        if not self._sink.concurrent:
            return name, data
        self._sink.write(frame_file(name), data, compress=False)
        return name, None


def _frames_of(frames: FrameSource) -> Callable[[str], DeltaFrame]:
    """Each frame's BGRA: the source's own when it has them (the store keeps BGRA, and
    its deltas are read over their keyframe without a copy), else its RGB converted."""
    delta = getattr(frames, "bgra_delta", None)
    if callable(delta):
        return cast(Callable[[str], DeltaFrame], delta)
    return lambda ref: DeltaFrame(png.opaque_bgra(frames.rgb(ref)))


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def write_bundle(
    source: TrajectorySource,
    out: Path,
    progress: Progress | None = None,
    video: ContextFrames | None = None,
    kept: KeptVideo | None = None,
) -> None:
    """Write ``source`` to ``out`` (which must not exist); ``progress(done, total)`` per frame.

    With ``video`` (the same session's kept frames), the bundle gets ``context.mp4``
    encoded from them; with ``kept`` instead, the video the session kept, byte for byte.
    """
    if video is not None and kept is not None:
        raise ValueError("a bundle has one context video: encoded or kept, not both")
    traj = source.trajectory
    encoding: Progress | None = None
    if video is not None and progress is not None:
        from replay.bundle.video import two_parts

        # One count for both: the frames' PNGs, then the video's frames.
        progress, encoding = two_parts(progress, len(traj.frames), video)
    sink: _Sink = _Zip(out) if is_zip(out) else _Directory(out)
    try:
        names: dict[str, str] = {}
        refs = list(traj.frames)
        # Decoding reads the source on this thread; hashing, PNG coding and (for a
        # directory) writing run on workers, a few frames in flight.
        decode = _frames_of(source.frames)
        # Closed whatever happens: no worker still writes a file once this is left.
        with closing(ordered_map(_Frames(sink), map(decode, refs))) as coded:
            for done, (ref, (name, data)) in enumerate(zip(refs, coded, strict=True), start=1):
                names[ref] = name
                if data is not None:
                    sink.write(frame_file(name), data, compress=False)
                if progress is not None:
                    progress(done, len(refs))
        targets = traj.targets
        lines = [
            json.dumps(event_json(e, targets.get(e.seq)), ensure_ascii=False)
            for e in source.events()
        ]
        sink.write(EVENTS, ("\n".join(lines) + "\n" if lines else "").encode(), compress=True)
        info = None
        if kept is not None:
            from replay.bundle.video import add_kept_video

            info = add_kept_video(kept, out, sink.move_in)
        elif video is not None:
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
