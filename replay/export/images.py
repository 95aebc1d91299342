"""Screenshots as the formats ship them: PNG bytes, resized when asked, files once."""

from __future__ import annotations

import base64
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from capture.errors import DemotraceError
from capture.framecodec import FrameDecodeError
from replay.export.registry import ExportError
from replay.png import encode
from replay.trajectory import FrameSource


def resized(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    h, w = rgb.shape[:2]
    if (w, h) == size:
        return rgb
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def png(rgb: np.ndarray) -> bytes:
    return encode(np.ascontiguousarray(rgb))


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _write(path: Path, rgb: np.ndarray, size: tuple[int, int] | None) -> None:
    path.write_bytes(png(resized(rgb, size) if size else rgb))


class ImageFiles:
    """PNG files encoded and written on worker threads, a bounded few in flight.

    PNG encoding is most of an export's time and the deflate releases the GIL while
    it encodes, so the cores share it. Use as a context manager: leaving it
    waits for every file (and raises the first failure).
    """

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="png")
        self._pending: deque[Future[None]] = deque()

    def write(self, path: Path, rgb: np.ndarray, size: tuple[int, int] | None = None) -> None:
        while len(self._pending) >= 2 * self._workers:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(_write, path, rgb, size))

    def __enter__(self) -> ImageFiles:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            while self._pending:
                future = self._pending.popleft()
                if kind is None:
                    future.result()
                else:
                    future.cancel()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


class Screenshots:
    """Frames of one source as PNG at a chosen size, the last few kept encoded.

    ``file(frame, dir)`` writes each frame once per directory and returns its
    name, so formats that reference images share one file per observation.
    """

    def __init__(
        self,
        frames: FrameSource,
        session_id: str,
        files: ImageFiles | None = None,
        keep: int = 4,
    ) -> None:
        self._frames = frames
        self._files = files
        self._session = session_id
        self._keep = keep
        self._recent: dict[tuple[str, tuple[int, int] | None], bytes] = {}
        self._written: set[tuple[Path, str]] = set()
        self._dirs: set[Path] = set()

    def rgb(self, frame: str) -> np.ndarray:
        try:
            pixels = self._frames.rgb(frame)
        except (DemotraceError, FrameDecodeError, OSError, KeyError) as exc:
            raise ExportError(
                f"frame {frame} of session {self._session} cannot be read: {exc}"
            ) from None
        if pixels.ndim != 3 or pixels.shape[2] != 3:
            raise ExportError(f"frame {frame} of session {self._session} is not an RGB image")
        return pixels

    def png(self, frame: str, size: tuple[int, int] | None = None) -> bytes:
        key = (frame, size)
        data = self._recent.get(key)
        if data is None:
            pixels = self.rgb(frame)
            data = png(resized(pixels, size) if size else pixels)
            if len(self._recent) >= self._keep:
                self._recent.pop(next(iter(self._recent)))
            self._recent[key] = data
        return data

    def file(self, frame: str, directory: Path, size: tuple[int, int] | None = None) -> str:
        """Write ``frame`` as ``<hash>.png`` in ``directory`` (once) and return the name."""
        name = f"{frame}.png"
        if (directory, name) not in self._written:
            if directory not in self._dirs:
                directory.mkdir(parents=True, exist_ok=True)
                self._dirs.add(directory)
            if self._files is None:
                (directory / name).write_bytes(self.png(frame, size))
            else:
                self._files.write(directory / name, self.rgb(frame), size)
            self._written.add((directory, name))
        return name
