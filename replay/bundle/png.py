"""Frames as PNG files: RGB pixels in and out, the content hash, the size read before decoding."""

from __future__ import annotations

import struct

import cv2
import numpy as np

from capture.framecodec import frame_hash
from replay.bundle.errors import BundleError

# Largest image a reader decodes (8192 x 8192): the size is read from the header first.
MAX_PIXELS = 1 << 26
SIGNATURE = b"\x89PNG\r\n\x1a\n"
# zlib level 1, no row filter: the fastest setting measured here, files within ~5% of the best.
ENCODE_PARAMS = [
    cv2.IMWRITE_PNG_COMPRESSION,
    1,
    cv2.IMWRITE_PNG_FILTER,
    cv2.IMWRITE_PNG_FILTER_NONE,
]


def opaque_bgra(rgb: np.ndarray) -> np.ndarray:
    h, w, _ = rgb.shape
    out = np.empty((h, w, 4), np.uint8)
    out[:, :, 0] = rgb[:, :, 2]
    out[:, :, 1] = rgb[:, :, 1]
    out[:, :, 2] = rgb[:, :, 0]
    out[:, :, 3] = 255
    return out


def content_hash(rgb: np.ndarray) -> str:
    """The frame's name: the store's pixel hash of the image as opaque BGRA (docs/bundle.md)."""
    h, w, _ = rgb.shape
    return frame_hash(opaque_bgra(rgb).data, w, h)


def encode(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", np.ascontiguousarray(rgb[:, :, ::-1]), ENCODE_PARAMS)
    if not ok:  # pragma: no cover - cv2 encodes any uint8 image
        raise BundleError("could not encode a frame as PNG")
    return data.tobytes()


def png_size(head: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's first 24 bytes, without decoding it."""
    if len(head) < 24 or head[:8] != SIGNATURE or head[12:16] != b"IHDR":
        raise BundleError("is not a PNG image")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def decode(data: bytes, name: str, width: int, height: int) -> np.ndarray:
    """(height, width, 3) RGB of ``data``, refused unless it is the size and hash ``name`` says."""
    w, h = png_size(data[:24])
    if w * h > MAX_PIXELS:
        raise BundleError(f"frame {name} is {w}x{h}, larger than {MAX_PIXELS} pixels")
    if (w, h) != (width, height):
        raise BundleError(f"frame {name} is {w}x{h}, but frames lists it as {width}x{height}")
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR_RGB)
    if img is None or img.shape != (height, width, 3):
        raise BundleError(f"frame {name} is not a readable PNG image")
    if content_hash(img) != name:
        raise BundleError(f"frame {name}'s pixels do not match its name (hash mismatch)")
    return img
