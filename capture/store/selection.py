"""Which sessions an export takes: by task, latest verdict, annotator and date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from capture.store.database import Database
from capture.store.models import ReviewRow, SessionRow, TaskRow

VERDICTS = ("accept", "needs_changes", "reject")
ANY_VERDICT = "any"
# Once a store holds any review, an export takes accepted sessions unless told otherwise.
DEFAULT_VERDICT = "accept"


@dataclass(frozen=True)
class Selection:
    task: str | None = None  # a task id, a prefix of one, or its instruction text
    verdict: str | None = None  # one of VERDICTS, "any", or None for the default
    annotator: str | None = None
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before


def latest_verdicts(db: Database) -> dict[str, str]:
    """Each reviewed session's latest verdict."""
    with db.session() as s:
        rows = s.execute(
            select(ReviewRow.session_id, ReviewRow.verdict).order_by(
                ReviewRow.created_at, ReviewRow.id
            )
        )
        return {sid: verdict for sid, verdict in rows}


def select_sessions(db: Database, sel: Selection) -> list[str]:
    """Ids of finished sessions matching ``sel``, oldest first."""
    q = select(SessionRow.id).where(SessionRow.status != "recording")
    if sel.task:
        text = sel.task.strip()
        by_text = select(TaskRow.id).where(func.lower(TaskRow.instruction) == text.lower())
        q = q.where(
            or_(
                SessionRow.task_id.startswith(text.lower(), autoescape=True),
                SessionRow.task_id.in_(by_text),
                func.lower(SessionRow.task) == text.lower(),
            )
        )
    if sel.annotator:
        q = q.where(SessionRow.username == sel.annotator)
    if sel.since:
        q = q.where(SessionRow.created_at >= sel.since)
    if sel.until:
        q = q.where(SessionRow.created_at < sel.until)
    with db.session() as s:
        ids = list(s.scalars(q.order_by(SessionRow.created_at, SessionRow.id)))
    verdicts = latest_verdicts(db)
    wanted = sel.verdict or (DEFAULT_VERDICT if verdicts else ANY_VERDICT)
    if wanted == ANY_VERDICT:
        return ids
    return [sid for sid in ids if verdicts.get(sid) == wanted]
