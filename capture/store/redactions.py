"""The ``redactions`` table: rectangles drawn on a session and rules on window class or title."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, or_, select

from capture.errors import DemotraceError, SessionNotFoundError
from capture.privacy.redact import Redaction
from capture.screen import Rect
from capture.store.database import Database
from capture.store.models import RedactionRow, SessionRow


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
