"""One session's frames by id, decoded on request (for editors and viewers; thread-safe)."""

from __future__ import annotations

import threading

import numpy as np
from sqlalchemy import select

from capture.store.database import Database
from capture.store.frames import FrameReader
from capture.store.models import FrameRow
from capture.store.recording import StoredFrame
from capture.store.sessions import blob_store_for


class SessionFrames:
    def __init__(self, db: Database, session_id: str) -> None:
        self._db = db
        self._reader = FrameReader(blob_store_for(db))
        self._lock = threading.Lock()
        with db.session() as s:
            self._frames = {
                r.id: StoredFrame(r.id, r.t_ns, r.blob, r.left, r.top, r.width, r.height, r.reason)
                for r in s.scalars(select(FrameRow).where(FrameRow.session_id == session_id))
            }

    def get(self, frame_id: int | str | None) -> StoredFrame | None:
        return None if frame_id is None else self._frames.get(int(frame_id))

    def rgb(self, frame_id: int | str) -> np.ndarray:
        """(height, width, 3) RGB pixels of a frame of this session."""
        frame = self._frames[int(frame_id)]
        with self._lock, self._db.session() as s:
            return self._reader.rgb(frame.blob, s)
