"""The ``redactions`` table: rectangles drawn on a session and rules on window class or title."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import delete, or_, select

from capture.errors import DemotraceError, SessionNotFoundError
from capture.events import WindowChange
from capture.privacy.redact import ActiveWindow, Redaction, redact_frame
from capture.screen import Rect
from capture.store.database import Database
from capture.store.models import RedactionRow, SessionRow, WindowRow


def _from_row(row: RedactionRow) -> Redaction:
    rect = Rect(*row.rect) if row.rect else None
    return Redaction(row.kind, row.pattern, rect, row.session_id, row.id)


def add_redaction(db: Database, redaction: Redaction) -> Redaction:
    """Store ``redaction``; returns it with its id."""
    rect = redaction.rect
    with db.session() as s:
        if redaction.session_id is not None and s.get(SessionRow, redaction.session_id) is None:
            raise SessionNotFoundError(f"no session {redaction.session_id}")
        row = RedactionRow(
            session_id=redaction.session_id,
            kind=redaction.kind,
            pattern=redaction.pattern,
            rect=[rect.left, rect.top, rect.width, rect.height] if rect else None,
            created_at=datetime.now(UTC),
        )
        s.add(row)
        s.commit()
        return _from_row(row)


def redactions_for(db: Database, session_id: str | None) -> list[Redaction]:
    """What covers ``session_id``'s frames: its own redactions and every global rule.

    ``session_id`` None: the global rules only.
    """
    query = select(RedactionRow).order_by(RedactionRow.id)
    if session_id is None:
        query = query.where(RedactionRow.session_id.is_(None))
    else:
        query = query.where(
            or_(RedactionRow.session_id.is_(None), RedactionRow.session_id == session_id)
        )
    with db.session() as s:
        return [_from_row(row) for row in s.scalars(query)]


def remove_redaction(db: Database, redaction_id: int) -> None:
    with db.session() as s:
        gone = s.execute(delete(RedactionRow).where(RedactionRow.id == redaction_id))
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise DemotraceError(f"no redaction {redaction_id}")
        s.commit()


class SessionRedactor:
    """Redacts one session's frames as exporters and the viewer show them.

    ``SessionRedactor.for_session(db, sid)(pixels, frame.t_ns, (frame.left, frame.top))``
    returns the pixels (any channel order) with the session's rectangles and
    every global rule blurred; window rules apply to frames grabbed while a
    matching window was active (the whole frame: window geometry is not
    stored). Without rules it returns ``pixels`` itself.
    """

    def __init__(self, rules: Sequence[Redaction], windows: Sequence[WindowChange]) -> None:
        self.rules = tuple(rules)
        self._times = [w.t_ns for w in windows]
        self._windows = [ActiveWindow(w.title, w.app) for w in windows]

    @classmethod
    def for_session(cls, db: Database, session_id: str) -> SessionRedactor:
        rules = redactions_for(db, session_id)
        if not any(r.kind != "rect" for r in rules):
            return cls(rules, ())
        with db.session() as s:
            windows = [
                WindowChange(r.t_ns, r.title, r.app, r.window_id)
                for r in s.scalars(
                    select(WindowRow)
                    .where(WindowRow.session_id == session_id)
                    .order_by(WindowRow.t_ns)
                )
            ]
        return cls(rules, windows)

    def window_at(self, t_ns: int) -> ActiveWindow | None:
        i = bisect_right(self._times, t_ns)
        return self._windows[i - 1] if i else None

    def __call__(
        self, pixels: np.ndarray, t_ns: int, origin: tuple[int, int] = (0, 0)
    ) -> np.ndarray:
        if not self.rules:
            return pixels
        return redact_frame(pixels, self.rules, self.window_at(t_ns), origin)
