"""PNG files written fast: 8-bit RGB, deflate through ISA-L, no row filter.

One encoder for everything replay/ writes (bundles, dataset exports). On 1080p
screenshots it takes about 1 ms a frame, against 9 ms for zlib level 1 and
18 ms for OpenCV's encoder, with files within 5% of zlib's: screenshots are
mostly flat, so row filters buy little.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import cv2
import numpy as np
from isal import isal_zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFLATE_LEVEL = 1
# Pixels converted at a time: under 1 MiB, so a band stays in the cache from one step
# to the next, and no more than OpenCV converts on the calling thread (larger images
# it splits over its own thread pool, whose threads then spin between jobs).
BAND_PIXELS = 1 << 16


def band_rows(width: int) -> int:
    """Rows of ``width`` pixels worked on at a time."""
    return max(1, BAND_PIXELS // width)


def chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


def _png(idat: bytes, w: int, h: int) -> bytes:
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"".join((SIGNATURE, chunk(b"IHDR", header), chunk(b"IDAT", idat), chunk(b"IEND", b"")))


def encode(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of ``rgb`` ((H, W, 3) uint8)."""
    h, w, _ = rgb.shape
    rows = np.zeros((h, 1 + w * 3), np.uint8)  # filter byte 0 (none) before each row
    rows[:, 1:] = rgb.reshape(h, w * 3)
    return _png(isal_zlib.compress(rows.data, DEFLATE_LEVEL), w, h)


class BgraEncoder:
    """PNGs of BGRA frames (alpha dropped), as ``encode`` makes them of RGB.

    A band of rows at a time is converted into the PNG's rows and deflated
    while it is in the cache: one pass over the frame instead of three. One
    encoder per thread (it keeps its band buffer).
    """

    def __init__(self) -> None:
        self._rows = np.empty((0, 0), np.uint8)

    def encode(self, bgra: np.ndarray) -> bytes:
        """The PNG of ``bgra`` ((H, W, 4) uint8)."""
        h, w, _ = bgra.shape
        return self.encode_rows(w, h, lambda y, n: bgra[y : y + n])

    def encode_rows(self, width: int, height: int, rows: Callable[[int, int], np.ndarray]) -> bytes:
        """The PNG of a frame whose rows [y, y + n) are ``rows(y, n)`` ((n, width, 4) BGRA),
        asked for top to bottom, ``band_rows(width)`` at a time; each is done with
        before the next is asked for."""
        step = band_rows(width)
        if self._rows.shape != (step, 1 + width * 3):
            self._rows = np.zeros((step, 1 + width * 3), np.uint8)  # filter byte 0: none
        deflate = isal_zlib.compressobj(DEFLATE_LEVEL)
        parts = []
        for y in range(0, height, step):
            n = min(step, height - y)
            out = self._rows[:n]
            target = out[:, 1:].reshape(n, width, 3)
            if cv2.cvtColor(rows(y, n), cv2.COLOR_BGRA2RGB, dst=target) is not target:
                raise ValueError(f"rows {y} to {y + n} are not {n} rows of {width} BGRA pixels")
            parts.append(deflate.compress(out))
        parts.append(deflate.flush())
        return _png(b"".join(parts), width, height)
