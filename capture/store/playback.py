"""What a viewer reads of a session besides its steps, without a Python object per raw event:
the kept frames' rows, and the pointer's track as arrays."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from capture.store.database import Database
from capture.store.models import EventRow, FrameRow
from capture.store.recording import StoredFrame


def stored_frames(db: Database, session_id: str) -> list[StoredFrame]:
    """The session's kept frames, in time order."""
    with db.session() as s:
        rows = s.execute(
            select(
                FrameRow.id,
                FrameRow.t_ns,
                FrameRow.blob,
                FrameRow.left,
                FrameRow.top,
                FrameRow.width,
                FrameRow.height,
                FrameRow.reason,
            )
            .where(FrameRow.session_id == session_id)
            .order_by(FrameRow.t_ns, FrameRow.id)
        ).all()
    return [StoredFrame(*row) for row in rows]


def pointer_track(db: Database, session_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Every pointer position recorded: (t_ns int64 array, (n, 2) int64 x, y array)."""
    with db.session() as s:
        rows = s.execute(
            select(EventRow.t_ns, EventRow.x, EventRow.y)
            .where(EventRow.session_id == session_id)
            .where(EventRow.x.is_not(None))
            .where(EventRow.y.is_not(None))
            .order_by(EventRow.seq)
        )
        # Plain tuples: numpy reads them several times faster than Row objects.
        track = np.array([tuple(r) for r in rows], dtype=np.int64).reshape(-1, 3)
    return track[:, 0].copy(), track[:, 1:].copy()
