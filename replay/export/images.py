"""Screenshots as the formats ship them: PNG bytes (OpenCV), resized when asked, files once."""

from __future__ import annotations

import base64
from pathlib import Path

import cv2
import numpy as np

from capture.errors import DemotraceError
from capture.framecodec import FrameDecodeError
from replay.export.registry import ExportError
from replay.trajectory import FrameSource

# PNG level 1: lossless and several times faster than the default for screenshots.
PNG_LEVEL = 1


def resized(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    h, w = rgb.shape[:2]
    if (w, h) == size:
        return rgb
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def png(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", rgb[:, :, ::-1], [cv2.IMWRITE_PNG_COMPRESSION, PNG_LEVEL])
    if not ok:  # pragma: no cover - OpenCV fails only on malformed arrays
        raise ExportError("a screenshot could not be encoded as PNG")
    return data.tobytes()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


class Screenshots:
    """Frames of one source as PNG at a chosen size, the last few kept encoded.

    ``file(frame, dir)`` writes each frame once per directory and returns its
    name, so formats that reference images share one file per observation.
    """

    def __init__(self, frames: FrameSource, session_id: str, keep: int = 4) -> None:
        self._frames = frames
        self._session = session_id
        self._keep = keep
        self._recent: dict[tuple[str, tuple[int, int] | None], bytes] = {}
        self._written: set[tuple[Path, str]] = set()

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
            directory.mkdir(parents=True, exist_ok=True)
            (directory / name).write_bytes(self.png(frame, size))
            self._written.add((directory, name))
        return name
