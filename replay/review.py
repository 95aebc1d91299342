"""The review rubric: what a grade may say, what a verdict needs, and reviews to and from JSON.

A trajectory is judged on whether it reached the goal, how efficiently, how it
handled errors and how good its notes are, never on matching one reference path.

Rules of a review (``problems`` lists every one broken):
- verdict is accept, needs_changes or reject;
- goal is achieved, partly or not; efficiency, error handling and note quality are 1..5;
- accept needs the whole rubric: goal and the three scores;
- reject needs a reason; needs_changes needs a reason or at least one comment,
  so the annotator knows what to change;
- comments and redundant flags name steps the trajectory has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from capture.errors import DemotraceError
from capture.store.database import Database
from replay.trajectory import Review, ReviewComment

VERDICTS = ("accept", "needs_changes", "reject")
GOALS = ("achieved", "partly", "not")
SCORES = ("efficiency", "error_handling", "note_quality")
SCORE_RANGE = (1, 5)
RUBRIC = ("goal", *SCORES)


class ReviewError(DemotraceError):
    """A review that breaks the rubric's rules."""


def verdict_name(text: str) -> str:
    """``needs-changes`` as users type it -> ``needs_changes`` as stored."""
    return text.strip().lower().replace("-", "_")


def problems(review: Review, step_indexes: Iterable[int]) -> list[str]:
    """Every rule ``review`` breaks, one line each (empty: the review may be saved)."""
    out: list[str] = []
    steps = set(step_indexes)
    if review.verdict not in VERDICTS:
        out.append(f"verdict must be one of accept, needs-changes, reject, not {review.verdict!r}")
    if review.goal is not None and review.goal not in GOALS:
        out.append(f"goal must be one of {', '.join(GOALS)}, not {review.goal!r}")
    low, high = SCORE_RANGE
    for name in SCORES:
        value = getattr(review, name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
        ):
            out.append(f"{name.replace('_', ' ')} must be {low}..{high}, not {value!r}")
    if review.verdict == "accept":
        missing = [name.replace("_", " ") for name in RUBRIC if getattr(review, name) is None]
        if missing:
            out.append("accept needs the whole rubric; missing: " + ", ".join(missing))
    if review.verdict == "reject" and not review.reason.strip():
        out.append("reject needs a reason")
    if review.verdict == "needs_changes" and not (review.reason.strip() or review.comments):
        out.append("needs-changes needs a reason or a comment for the annotator")
    if not review.reviewer.strip():
        out.append("a review needs the reviewer's name")
    for comment in review.comments:
        if not comment.text.strip():
            out.append("a comment needs some text")
        if comment.step_index is not None and comment.step_index not in steps:
            out.append(f"comment on step {comment.step_index}: there is no such step")
    for index in review.redundant_steps:
        if index not in steps:
            out.append(f"redundant step {index}: there is no such step")
    return out


def check(review: Review, step_indexes: Iterable[int]) -> Review:
    """``review`` if it follows the rules; else ReviewError with the first rule broken."""
    found = problems(review, step_indexes)
    if found:
        raise ReviewError(found[0])
    return review


def parse_comment(text: str) -> ReviewComment:
    """``K:TEXT`` (a comment on step K) or ``*:TEXT`` (on the whole trajectory)."""
    head, sep, body = text.partition(":")
    if not sep or not body.strip():
        raise ReviewError(f"a comment is K:TEXT (step index, colon, text), not {text!r}")
    head = head.strip()
    if head in ("*", ""):
        return ReviewComment(None, body.strip())
    try:
        index = int(head)
    except ValueError:
        raise ReviewError(f"a comment starts with a step index, not {head!r}") from None
    return ReviewComment(index, body.strip())


def store_review(db: Database, session_id: str, review: Review) -> int:
    """Keep ``review`` (already checked) with its comments; the session's stage follows it."""
    from datetime import datetime

    from capture.store.reviews import add_review

    return add_review(
        db,
        session_id,
        reviewer=review.reviewer,
        verdict=review.verdict,
        goal=review.goal,
        efficiency=review.efficiency,
        error_handling=review.error_handling,
        note_quality=review.note_quality,
        reason=review.reason,
        redundant_steps=review.redundant_steps,
        comments=[(c.step_index, c.text) for c in review.comments],
        when=datetime.fromisoformat(review.created_at) if review.created_at else None,
    )


def review_from_record(data: Mapping[str, Any]) -> Review:
    """A review from its JSON (or store record) form."""
    return Review(
        reviewer=data["reviewer"],
        created_at=data["created_at"],
        verdict=data["verdict"],
        goal=data.get("goal"),
        efficiency=data.get("efficiency"),
        error_handling=data.get("error_handling"),
        note_quality=data.get("note_quality"),
        reason=data.get("reason", ""),
        redundant_steps=tuple(data.get("redundant_steps", ())),
        comments=tuple(
            ReviewComment(
                c.get("step_index"), c["text"], bool(c.get("resolved")), c.get("created_at", "")
            )
            for c in data.get("comments", ())
        ),
    )


def review_to_json(review: Review) -> dict[str, Any]:
    return {
        "reviewer": review.reviewer,
        "created_at": review.created_at,
        "verdict": review.verdict,
        "goal": review.goal,
        "efficiency": review.efficiency,
        "error_handling": review.error_handling,
        "note_quality": review.note_quality,
        "reason": review.reason,
        "redundant_steps": list(review.redundant_steps),
        "comments": [
            {
                "step_index": c.step_index,
                "text": c.text,
                "resolved": c.resolved,
                "created_at": c.created_at,
            }
            for c in review.comments
        ],
    }


def comments_by_step(reviews: Sequence[Review]) -> dict[int, list[tuple[Review, ReviewComment]]]:
    """Step index -> every comment on it, oldest review first."""
    out: dict[int, list[tuple[Review, ReviewComment]]] = {}
    for review in reviews:
        for comment in review.comments:
            if comment.step_index is not None:
                out.setdefault(comment.step_index, []).append((review, comment))
    return out


def rubric_line(review: Review) -> str:
    """``goal achieved, efficiency 4, error handling 5, notes 3`` (what was filled)."""
    parts = []
    if review.goal is not None:
        parts.append(f"goal {review.goal}")
    for name, label in (
        ("efficiency", "efficiency"),
        ("error_handling", "error handling"),
        ("note_quality", "notes"),
    ):
        value = getattr(review, name)
        if value is not None:
            parts.append(f"{label} {value}")
    return ", ".join(parts)
