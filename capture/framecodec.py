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


def _payload(blob: bytes, info: BlobInfo) -> bytes:
    stride = info.width * BYTES_PER_PIXEL
    try:
        payload = zstandard.ZstdDecompressor().decompress(
            memoryview(blob)[_HEADER.size :],
            max_output_size=info.height * stride,
        )
    except zstandard.ZstdError as exc:
        raise FrameDecodeError(f"corrupt frame blob: {exc}") from None
    if info.kind == KEYFRAME and len(payload) != info.height * stride:
        raise FrameDecodeError("frame blob has the wrong pixel count")
    if info.kind == DELTA and len(payload) != (info.y1 - info.y0) * stride:
        raise FrameDecodeError("delta blob has the wrong pixel count")
    return payload


def decode(
    blob: bytes,
    load_base: Callable[[str], bytes],
    base_pixels: Callable[[str], np.ndarray] | None = None,
) -> np.ndarray:
    """Pixels as a new (height, width, 4) uint8 BGRA array.

    ``base_pixels(hash)``, when given, returns a keyframe's decoded pixels (from
    a cache, left unchanged), saving its decompression.
    """
    info = blob_info(blob)
    payload = _payload(blob, info)
    if info.kind == KEYFRAME:
        return np.frombuffer(payload, np.uint8).reshape(info.height, info.width, 4).copy()
    assert info.base is not None
    if base_pixels is not None:
        return apply_delta(info, payload, base_pixels(info.base).copy())
    return apply_delta(info, payload, decode(load_base(info.base), _no_chain))


@dataclass(frozen=True)
class DeltaFrame:
    """A frame as its keyframe's pixels with the delta's XOR band not yet applied:
    its rows can be read without copying the keyframe. A keyframe (or any whole
    image) is one with no band."""

    base: np.ndarray  # (height, width, 4) BGRA, C-contiguous, left unchanged
    y0: int = 0
    y1: int = 0
    band: np.ndarray | None = None  # (y1 - y0, width, 4): XORed over base rows [y0, y1)

    @property
    def shape(self) -> tuple[int, int, int]:
        h, w, c = self.base.shape
        return h, w, c

    def rows(self, y: int, n: int, scratch: np.ndarray) -> np.ndarray:
        """Rows [y, y + n) as (n, width, 4) BGRA: a view of ``base`` where the band does
        not reach, else made in ``scratch`` (at least ``n`` rows of the frame's width)."""
        a, b = max(y, self.y0), min(y + n, self.y1)
        if self.band is None or a >= b:
            return self.base[y : y + n]
        out = scratch[:n]
        out[: a - y] = self.base[y:a]
        np.bitwise_xor(self.base[a:b], self.band[a - self.y0 : b - self.y0], out=out[a - y : b - y])
        out[b - y :] = self.base[b : y + n]
        return out

    def pixels(self) -> np.ndarray:
        """The whole frame as a new array."""
        out = self.base.copy()
        if self.band is not None:
            np.bitwise_xor(out[self.y0 : self.y1], self.band, out=out[self.y0 : self.y1])
        return out


def decode_delta(blob: bytes, keyframe: Callable[[str], np.ndarray]) -> DeltaFrame:
    """A delta blob as a ``DeltaFrame`` over ``keyframe(hash)`` (decoded pixels, from a
    cache); a keyframe blob decoded whole."""
    info = blob_info(blob)
    payload = _payload(blob, info)
    shape = (info.height, info.width, 4)
    if info.kind == KEYFRAME:
        return DeltaFrame(np.frombuffer(payload, np.uint8).reshape(shape))
    assert info.base is not None
    base = keyframe(info.base)
    if base.shape != shape:
        raise FrameDecodeError("delta and keyframe sizes differ")
    band = np.frombuffer(payload, np.uint8).reshape(info.y1 - info.y0, info.width, 4)
    return DeltaFrame(base, info.y0, info.y1, band)


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
