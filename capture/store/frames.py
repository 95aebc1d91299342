"""Frames in and out of a blob store: hashing, dedup, encoding and decoding."""

from __future__ import annotations

from collections import OrderedDict

import cv2
import numpy as np
from sqlalchemy.orm import Session

from capture.framecodec import (
    KEYFRAME,
    DeltaFrame,
    FrameEncoder,
    blob_info,
    decode,
    decode_delta,
    frame_hash,
)
from capture.store.blobs import BlobStore


class FrameWriter:
    """Writes distinct frames once; used by the recorder's writer thread only."""

    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs
        self._encoder = FrameEncoder()
        self._known: set[str] = set()

    def put(
        self, pixels: bytes | bytearray | memoryview, width: int, height: int, session: Session
    ) -> str:
        digest = frame_hash(pixels, width, height)
        if digest in self._known or self._blobs.has(digest, session):
            self._known.add(digest)
            return digest
        encoded = self._encoder.encode(pixels, width, height, digest)
        self._blobs.put(digest, encoded.data, session)
        self._known.add(digest)
        return digest


class FrameReader:
    """Decodes frames by hash, keeping a few recent blobs and the last keyframe decoded."""

    def __init__(self, blobs: BlobStore, cache_size: int = 4) -> None:
        self._blobs = blobs
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size
        # Frames in a row mostly share one keyframe: keep it decoded (one frame of memory).
        self._keyframe: tuple[str, np.ndarray] | None = None

    def _raw(self, digest: str, session: Session) -> bytes:
        if digest in self._cache:
            self._cache.move_to_end(digest)
            return self._cache[digest]
        data = self._blobs.get(digest, session)
        self._cache[digest] = data
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return data

    def _decoded_keyframe(self, digest: str, session: Session) -> np.ndarray:
        if self._keyframe is None or self._keyframe[0] != digest:
            pixels = decode(self._raw(digest, session), lambda base: self._raw(base, session))
            pixels.flags.writeable = False
            self._keyframe = (digest, pixels)
        return self._keyframe[1]

    def pixels(self, digest: str, session: Session) -> np.ndarray:
        """(height, width, 4) BGRA, a new array."""
        return decode(
            self._raw(digest, session),
            lambda base: self._raw(base, session),
            lambda base: self._decoded_keyframe(base, session),
        )

    def delta_frame(self, digest: str, session: Session) -> DeltaFrame:
        """The frame as its keyframe's pixels (cached, shared: not to be changed) and the
        delta's band, unapplied: what an exporter reads band by band without a copy."""
        blob = self._raw(digest, session)
        if blob_info(blob).kind == KEYFRAME:  # through the cache: its deltas follow
            return DeltaFrame(self._decoded_keyframe(digest, session))
        return decode_delta(blob, lambda base: self._decoded_keyframe(base, session))

    def rgb(self, digest: str, session: Session) -> np.ndarray:
        """(height, width, 3) RGB, for viewers and exporters."""
        return cv2.cvtColor(self.pixels(digest, session), cv2.COLOR_BGRA2RGB)
