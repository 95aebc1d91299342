"""Reviews in the store: a reviewer's grade with its step comments, and the stage it sets.

A session may be reviewed many times; every review is kept with who and when.
The session's ``stage`` follows the newest verdict. Reviews are read back as
plain records (dicts with the keys of ``replay.trajectory.Review``), which
replay/ turns into its own objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from capture.errors import SessionNotFoundError
from capture.store.database import Database
from capture.store.models import ReviewCommentRow, ReviewRow, SessionRow

# verdict -> the stage it puts the session in.
STAGE_OF_VERDICT = {"accept": "accepted", "needs_changes": "needs_changes", "reject": "rejected"}


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def add_review(
    db: Database,
    session_id: str,
    *,
    reviewer: str,
    verdict: str,
    goal: str | None = None,
    efficiency: int | None = None,
    error_handling: int | None = None,
    note_quality: int | None = None,
    reason: str = "",
    redundant_steps: Sequence[int] = (),
    comments: Sequence[tuple[int | None, str]] = (),
    when: datetime | None = None,
) -> int:
    """Store one review and its comments; the session's stage follows the newest verdict.

    The caller validates the review (replay/review.py); the store only keeps it.
    Returns the new review's id.
    """
    if verdict not in STAGE_OF_VERDICT:
        raise ValueError(f"unknown verdict {verdict!r}")
    when = _aware(when or datetime.now(UTC))
    with db.session() as s:
        if s.get(SessionRow, session_id) is None:
            raise SessionNotFoundError(f"no session {session_id}")
        row = insert_review(
            s,
            session_id,
            {
                "reviewer": reviewer,
                "created_at": when.isoformat(),
                "verdict": verdict,
                "goal": goal,
                "efficiency": efficiency,
                "error_handling": error_handling,
                "note_quality": note_quality,
                "reason": reason,
                "redundant_steps": sorted(set(redundant_steps)),
                "comments": [
                    {"step_index": i, "text": text, "resolved": False, "created_at": ""}
                    for i, text in comments
                ],
            },
        )
        _follow_newest_verdict(s, session_id)
        s.commit()
        return int(row.id)


def insert_review(s: Session, session_id: str, review: Mapping[str, Any]) -> ReviewRow:
    """One review record (the shape ``reviews_of`` returns) and its comments, in ``s``.

    A comment without its own ``created_at`` takes the review's.
    """
    row = ReviewRow(
        session_id=session_id,
        reviewer=review["reviewer"],
        created_at=_when(review["created_at"]),
        verdict=review["verdict"],
        goal=review["goal"],
        efficiency=review["efficiency"],
        error_handling=review["error_handling"],
        note_quality=review["note_quality"],
        reason=review["reason"],
        redundant_steps=list(review["redundant_steps"]),
    )
    s.add(row)
    s.flush()
    for c in review["comments"]:
        s.add(
            ReviewCommentRow(
                review_id=row.id,
                session_id=session_id,
                step_index=c["step_index"],
                text=c["text"],
                resolved=c["resolved"],
                created_at=_when(c["created_at"]) if c["created_at"] else row.created_at,
            )
        )
    s.flush()
    return row


def _when(text: str) -> datetime:
    return _aware(datetime.fromisoformat(text))


def _follow_newest_verdict(s: Session, session_id: str) -> None:
    newest = s.scalars(
        select(ReviewRow.verdict)
        .where(ReviewRow.session_id == session_id)
        .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
        .limit(1)
    ).first()
    session = s.get(SessionRow, session_id)
    if newest is not None and session is not None:
        session.stage = STAGE_OF_VERDICT[newest]


def reviews_of(db: Database, session_id: str) -> list[dict[str, Any]]:
    """Every review of the session, oldest first, each with its comments."""
    return reviews_of_sessions(db, [session_id]).get(session_id, [])


def reviews_of_sessions(
    db: Database, session_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Reviews of many sessions in two queries: session id -> its reviews, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not session_ids:
        return out
    with db.session() as s:
        rows = list(
            s.scalars(
                select(ReviewRow)
                .where(ReviewRow.session_id.in_(list(session_ids)))
                .order_by(ReviewRow.created_at, ReviewRow.id)
            )
        )
        comments: dict[int, list[dict[str, Any]]] = {}
        for c in s.scalars(
            select(ReviewCommentRow)
            .where(ReviewCommentRow.session_id.in_(list(session_ids)))
            .order_by(ReviewCommentRow.id)
        ):
            comments.setdefault(c.review_id, []).append(
                {
                    "step_index": c.step_index,
                    "text": c.text,
                    "resolved": c.resolved,
                    "created_at": _aware(c.created_at).isoformat(),
                }
            )
        for r in rows:
            out.setdefault(r.session_id, []).append(
                {
                    "id": r.id,
                    "reviewer": r.reviewer,
                    "created_at": _aware(r.created_at).isoformat(),
                    "verdict": r.verdict,
                    "goal": r.goal,
                    "efficiency": r.efficiency,
                    "error_handling": r.error_handling,
                    "note_quality": r.note_quality,
                    "reason": r.reason,
                    "redundant_steps": list(r.redundant_steps or []),
                    "comments": comments.get(r.id, []),
                }
            )
    return out
