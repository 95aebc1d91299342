"""Lossless frame encoding: zstd keyframes and row-band XOR deltas.

A frame is BGRA pixels, ``width * height * 4`` bytes, rows top to bottom. Its
address is the xxh3-128 hash of those bytes plus its size, so equal screens
share one blob however they were encoded.

A *keyframe* blob is the zstd-compressed pixels. A *delta* blob names a
keyframe and holds only the band of rows that differ from it, XORed with the
keyframe's rows (unchanged pixels inside the band become zeros) and zstd
compressed. Decoding a delta is one keyframe decode plus one XOR, never a chain.

Blob layout (little-endian)::

    magic  b"DTF1"
    kind   u8      0 = keyframe, 1 = delta
    width  u32, height u32
    y0 u32, y1 u32 rows [y0, y1) held by a delta (0, height for a keyframe)
    base   32 bytes ASCII hex hash of the keyframe (zeros for a keyframe)
    payload zstd frame
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xxhash
import zstandard

MAGIC = b"DTF1"
_HEADER = struct.Struct("<4sBIIII32s")
KEYFRAME, DELTA = 0, 1
BYTES_PER_PIXEL = 4
CHUNK = 1 << 20


class FrameDecodeError(ValueError):
    pass


def frame_hasher(width: int, height: int) -> xxhash.xxh3_128:
    """The frame hash under way: ``update`` it with the pixels in order, then ``hexdigest``."""
    h = xxhash.xxh3_128()
    h.update(struct.pack("<II", width, height))
    return h


def frame_hash(pixels: bytes | bytearray | memoryview, width: int, height: int) -> str:
    h = frame_hasher(width, height)
    h.update(pixels)
    return h.hexdigest()


def changed_rows(
    a: bytes | bytearray | memoryview, b: bytes | bytearray | memoryview, stride: int
) -> tuple[int, int] | None:
    """Rows [y0, y1) outside which ``a`` and ``b`` are identical, or None if equal."""
    if len(a) % 8 == 0 and stride % 8 == 0:
        va, vb = np.frombuffer(a, np.uint64), np.frombuffer(b, np.uint64)
    else:
        va, vb = np.frombuffer(a, np.uint8), np.frombuffer(b, np.uint8)
    height = len(a) // stride
    rows = np.flatnonzero((va != vb).reshape(height, -1).any(axis=1))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1


@dataclass(frozen=True)
class Encoded:
    data: bytes
    is_keyframe: bool


class FrameEncoder:
    """Encodes frames against the current keyframe; starts a new keyframe when a delta stops paying.

    Not thread-safe: one encoder per writer thread.
    """

    def __init__(self, level: int = 3, max_band_fraction: float = 0.5) -> None:
        self._zc = zstandard.ZstdCompressor(level=level)
        self._max_band = max_band_fraction
        self._key_hash: str | None = None
        self._key_pixels: bytes | bytearray | memoryview | None = None
        self._key_size = (0, 0)
        self._key_bytes = 0

    def _compress(self, data: bytes | bytearray | memoryview) -> bytes:
        """zstd in 1 MiB pieces: one-shot compress() allocates a frame-sized output buffer."""
        view = memoryview(data).cast("B")
        stream = self._zc.compressobj(size=len(view))
        parts = [stream.compress(view[i : i + CHUNK]) for i in range(0, len(view), CHUNK)]
        parts.append(stream.flush())
        return b"".join(parts)

    def encode(
        self, pixels: bytes | bytearray | memoryview, width: int, height: int, digest: str
    ) -> Encoded:
        stride = width * BYTES_PER_PIXEL
        if self._key_pixels is not None and self._key_size == (width, height):
            band = changed_rows(pixels, self._key_pixels, stride)
            if band is None:
                band = (0, 0)
            y0, y1 = band
            if (y1 - y0) <= self._max_band * height:
                a = np.frombuffer(pixels, np.uint8, count=(y1 - y0) * stride, offset=y0 * stride)
                b = np.frombuffer(
                    self._key_pixels, np.uint8, count=(y1 - y0) * stride, offset=y0 * stride
                )
                payload = self._compress(np.bitwise_xor(a, b).data)
                if len(payload) < self._key_bytes // 2:
                    assert self._key_hash is not None
                    header = _HEADER.pack(
                        MAGIC, DELTA, width, height, y0, y1, self._key_hash.encode()
                    )
                    return Encoded(header + payload, is_keyframe=False)
        payload = self._compress(pixels)
        header = _HEADER.pack(MAGIC, KEYFRAME, width, height, 0, height, b"\0" * 32)
        self._key_hash, self._key_pixels = digest, pixels
        self._key_size, self._key_bytes = (width, height), len(payload)
        return Encoded(header + payload, is_keyframe=True)


@dataclass(frozen=True)
class BlobInfo:
    kind: int
    width: int
    height: int
    y0: int
    y1: int
    base: str | None


def blob_info(blob: bytes) -> BlobInfo:
    if len(blob) < _HEADER.size or blob[:4] != MAGIC:
        raise FrameDecodeError("not a demotrace frame blob")
    _, kind, width, height, y0, y1, base = _HEADER.unpack_from(blob)
    if kind not in (KEYFRAME, DELTA) or not (0 <= y0 <= y1 <= height):
        raise FrameDecodeError("corrupt frame blob header")
    return BlobInfo(kind, width, height, y0, y1, base.decode() if kind == DELTA else None)


def decode(
    blob: bytes,
    load_base: Callable[[str], bytes],
    base_pixels: Callable[[str], np.ndarray] | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Pixels as an (height, width, 4) uint8 BGRA array: ``out`` when it is an array of
    that shape to decode into (as from a ``BufferPool``), else a new one.

    ``base_pixels(hash)``, when given, returns a keyframe's decoded pixels (from
    a cache, left unchanged), saving its decompression.
    """
    info = blob_info(blob)
    stride = info.width * BYTES_PER_PIXEL
    shape = (info.height, info.width, 4)
    if out is not None and (out.shape != shape or out.dtype != np.uint8):
        out = None
    try:
        payload = zstandard.ZstdDecompressor().decompress(
            memoryview(blob)[_HEADER.size :],
            max_output_size=info.height * stride,
        )
    except zstandard.ZstdError as exc:
        raise FrameDecodeError(f"corrupt frame blob: {exc}") from None
    if info.kind == KEYFRAME:
        if len(payload) != info.height * stride:
            raise FrameDecodeError("frame blob has the wrong pixel count")
        pixels = np.frombuffer(payload, np.uint8).reshape(shape)
    else:
        assert info.base is not None
        if base_pixels is not None:
            pixels = base_pixels(info.base)
        else:
            pixels = decode(load_base(info.base), _no_chain)
            out = pixels if out is None else out
        if pixels.shape != shape:
            raise FrameDecodeError("delta and keyframe sizes differ")
    if out is None:
        out = pixels.copy()
    elif out is not pixels:
        np.copyto(out, pixels)
    if info.kind == DELTA:
        apply_delta(info, payload, out)
    return out


def apply_delta(info: BlobInfo, payload: bytes, base: np.ndarray) -> np.ndarray:
    """A delta's pixels: its decompressed ``payload`` XORed into ``base`` (changed in place)."""
    stride = info.width * BYTES_PER_PIXEL
    if base.shape != (info.height, info.width, 4):
        raise FrameDecodeError("delta and keyframe sizes differ")
    band = np.frombuffer(payload, np.uint8)
    if band.size != (info.y1 - info.y0) * stride:
        raise FrameDecodeError("delta blob has the wrong pixel count")
    rows = base[info.y0 : info.y1].reshape(-1)
    np.bitwise_xor(rows, band, out=rows)
    return base


def _no_chain(_: str) -> bytes:
    raise FrameDecodeError("a delta frame's base must be a keyframe")
