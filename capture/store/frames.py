"""Frames in and out of a blob store: hashing, dedup, encoding and decoding."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from sqlalchemy.orm import Session

from capture.framecodec import FrameEncoder, decode, frame_hash
from capture.store.blobs import BlobStore


class FrameWriter:
    """Writes distinct frames once; used by the recorder's writer thread only."""

    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs
        self._encoder = FrameEncoder()
        self._known: set[str] = set()

    def put(self, pixels: bytes | bytearray, width: int, height: int, session: Session) -> str:
        digest = frame_hash(pixels, width, height)
        if digest in self._known or self._blobs.has(digest, session):
            self._known.add(digest)
            return digest
        encoded = self._encoder.encode(pixels, width, height, digest)
        self._blobs.put(digest, encoded.data, session)
        self._known.add(digest)
        return digest


class FrameReader:
    """Decodes frames by hash, keeping a few recent keyframes decoded."""

    def __init__(self, blobs: BlobStore, cache_size: int = 4) -> None:
        self._blobs = blobs
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size

    def _raw(self, digest: str, session: Session) -> bytes:
        if digest in self._cache:
            self._cache.move_to_end(digest)
            return self._cache[digest]
        data = self._blobs.get(digest, session)
        self._cache[digest] = data
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return data

    def pixels(self, digest: str, session: Session) -> np.ndarray:
        """(height, width, 4) BGRA."""
        return decode(self._raw(digest, session), lambda base: self._raw(base, session))

    def rgb(self, digest: str, session: Session) -> np.ndarray:
        """(height, width, 3) RGB, for viewers and exporters."""
        bgra = self.pixels(digest, session)
        return np.ascontiguousarray(bgra[:, :, 2::-1])
