"""Frames as PNG files: RGB pixels in and out, the content hash, the size read before decoding."""

from __future__ import annotations

import struct
from typing import cast

import cv2
import numpy as np
from isal import isal_zlib

from capture.framecodec import frame_hash, frame_hasher
from replay.bundle.errors import BundleError
from replay.png import SIGNATURE, band_rows

# Largest image a reader decodes (8192 x 8192): the size is read from the header first.
MAX_PIXELS = 1 << 26
# isal's stubs declare its error as an instance; it is a class.
INFLATE_ERROR = cast(type[Exception], isal_zlib.error)


def opaque_bgra(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA)  # alpha 255


def content_hash(rgb: np.ndarray) -> str:
    """The frame's name: the store's pixel hash of the image as opaque BGRA (docs/bundle.md)."""
    h, w, _ = rgb.shape
    return frame_hash(opaque_bgra(rgb).data, w, h)


def png_size(head: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's first 24 bytes, without decoding it."""
    if len(head) < 24 or head[:8] != SIGNATURE or head[12:16] != b"IHDR":
        raise BundleError("is not a PNG image")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _idat(data: bytes) -> bytes | None:
    """The compressed pixels of an 8-bit RGB, non-interlaced PNG, else None."""
    pos, idat = 8, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR" and body[8:] != b"\x08\x02\x00\x00\x00":
            return None  # another depth, colour type or interlacing
        if kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(idat)


def _plain_bgra(data: bytes, width: int, height: int, out: np.ndarray) -> str | None:
    """Decode an 8-bit RGB PNG with no row filters (what demotrace writes) into ``out``
    as opaque BGRA, returning its content hash; None for any other PNG.

    A band of rows at a time is inflated, converted and hashed while it is in
    the cache, rather than each step passing over the whole frame.
    """
    stream = _idat(data)
    if stream is None or len(stream) < 2:
        return None
    cmf, flg = stream[0], stream[1]
    if cmf & 0x0F != 8 or (cmf << 8 | flg) % 31 or flg & 0x20:
        return None  # not a plain zlib stream: the general decoder says what is wrong
    # Inflated raw, past the zlib header: its Adler-32 goes unchecked, as the content
    # hash covers every pixel (and skipping it saves a pass over the frame).
    pending: bytes | memoryview = memoryview(stream)[2:]
    stride = 1 + 3 * width
    inflate = isal_zlib.decompressobj(-15)
    hasher = frame_hasher(width, height)
    step = band_rows(width)
    # Two bands inflated at a time: fewer calls (each copies the input left over).
    for y in range(0, height, 2 * step):
        n = min(2 * step, height - y)
        try:
            raw = inflate.decompress(pending, n * stride)
        except INFLATE_ERROR:
            return None
        pending = inflate.unconsumed_tail
        if len(raw) != n * stride:
            return None
        rows = np.frombuffer(raw, np.uint8).reshape(n, stride)
        if rows[:, 0].any():
            return None  # filtered rows: let the general decoder undo them
        for z in range(0, n, step):
            m = min(step, n - z)
            band = out[y + z : y + z + m]
            rgb = rows[z : z + m, 1:].reshape(m, width, 3)
            cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA, dst=band)
            hasher.update(band.data)
    return hasher.hexdigest()


def decode_bgra(
    data: bytes, name: str, width: int, height: int, out: np.ndarray | None = None
) -> np.ndarray:
    """(height, width, 4) opaque BGRA of ``data``, refused unless it is the size and hash
    ``name`` says: the form the store keeps, made while checking the hash. Decoded
    into ``out`` when it is an array of that shape (as from a ``BufferPool``)."""
    w, h = png_size(data[:24])
    if w * h > MAX_PIXELS:
        raise BundleError(f"frame {name} is {w}x{h}, larger than {MAX_PIXELS} pixels")
    if (w, h) != (width, height):
        raise BundleError(f"frame {name} is {w}x{h}, but frames lists it as {width}x{height}")
    if (
        out is None
        or out.shape != (height, width, 4)
        or out.dtype != np.uint8
        or not out.flags.c_contiguous
    ):
        out = np.empty((height, width, 4), np.uint8)
    digest = _plain_bgra(data, width, height, out)
    if digest is None:
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR_RGB)
        if img is None or img.shape != (height, width, 3):
            raise BundleError(f"frame {name} is not a readable PNG image")
        cv2.cvtColor(img, cv2.COLOR_RGB2BGRA, dst=out)
        digest = frame_hash(out.data, width, height)
    if digest != name:
        raise BundleError(f"frame {name}'s pixels do not match its name (hash mismatch)")
    return out


def decode(data: bytes, name: str, width: int, height: int) -> np.ndarray:
    """(height, width, 3) RGB of ``data``, checked as ``decode_bgra`` checks it."""
    return cv2.cvtColor(decode_bgra(data, name, width, height), cv2.COLOR_BGRA2RGB)
