"""Frames as PNG files: RGB pixels in and out, the content hash, the size read before decoding."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np

from capture.framecodec import frame_hash
from replay.bundle.errors import BundleError

# Largest image a reader decodes (8192 x 8192): the size is read from the header first.
MAX_PIXELS = 1 << 26
SIGNATURE = b"\x89PNG\r\n\x1a\n"
# zlib level 1 and no row filter: on 1080p screenshots the fastest setting measured here
# (10 ms a frame, against 18 ms for OpenCV's encoder at the same settings), files as small.
ZLIB_LEVEL = 1


def opaque_bgra(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA)  # alpha 255


def content_hash(rgb: np.ndarray) -> str:
    """The frame's name: the store's pixel hash of the image as opaque BGRA (docs/bundle.md)."""
    h, w, _ = rgb.shape
    return frame_hash(opaque_bgra(rgb).data, w, h)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


def encode(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of ``rgb`` ((H, W, 3) uint8), written directly with zlib."""
    h, w, _ = rgb.shape
    rows = np.zeros((h, 1 + w * 3), np.uint8)  # filter byte 0 (none) before each row
    rows[:, 1:] = rgb.reshape(h, w * 3)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"".join(
        (
            SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows.data, ZLIB_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


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
