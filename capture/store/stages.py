"""Where a trajectory is in its life: draft, submitted, then a reviewer's verdict.

``status`` says what the recorder did (recording, finished, interrupted);
``stage`` what happened to the trajectory since. A person sees one word for
both: ``display_status``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from capture.errors import DemotraceError, SessionNotFoundError
from capture.segment import Step
from capture.store.database import Database
from capture.store.models import SessionRow, StepRow
from capture.store.sessions import short_id
from capture.store.steps import current_steps

STAGES = ("draft", "submitted", "accepted", "needs_changes", "rejected")
# Stages from which the annotator may (re)submit.
SUBMITTABLE = ("draft", "needs_changes")


class SubmitRefused(DemotraceError):
    """The trajectory cannot be submitted yet; ``problems`` holds one line each."""

    exit_code = 1

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems")
        self.problems = problems


def display_status(status: str, stage: str) -> str:
    """One word a person reads: recording or interrupted while that holds, else the stage."""
    if status in ("recording", "interrupted"):
        return status
    return stage.replace("_", " ")


def unexplained(steps: Sequence[Step]) -> list[Step]:
    """Decision points without the person's note (a model's draft does not count)."""
    return [s for s in steps if s.decision_point and not s.note.strip()]


def submit_problems(steps: Sequence[Step]) -> list[str]:
    return [
        f"step {s.index} is a decision point ({s.decision_reason or 'manual'}) without a note"
        for s in unexplained(steps)
    ]


def submit(db: Database, session_id: str, when: datetime | None = None) -> datetime:
    """Mark the session submitted, or raise SubmitRefused listing what is missing."""
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        if row is None:
            raise SessionNotFoundError(f"no session {session_id}")
        status, stage = row.status, row.stage
    if status == "recording":
        raise SubmitRefused([f"session {short_id(session_id)} is still recording; stop it first"])
    if stage not in SUBMITTABLE:
        shown = display_status(status, stage)
        raise SubmitRefused([f"session {short_id(session_id)} is already {shown}"])
    steps = current_steps(db, session_id)
    problems = submit_problems(steps)
    if not steps:
        problems.append("the session has no steps")
    if problems:
        raise SubmitRefused(problems)
    when = when or datetime.now(UTC)
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        assert row is not None
        row.stage, row.submitted_at = "submitted", when
        s.commit()
    return when


def set_stage(db: Database, session_id: str, stage: str) -> None:
    if stage not in STAGES:
        raise DemotraceError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        if row is None:
            raise SessionNotFoundError(f"no session {session_id}")
        row.stage = stage
        s.commit()


@dataclass(frozen=True, slots=True)
class Take:
    """One session as the annotator's task view lists it."""

    id: str
    task_id: str | None
    task: str
    created_at: datetime
    duration_s: float
    status: str  # what a person reads: see display_status
    steps: int
    decision_points: int
    unexplained: int


def takes(db: Database, task_id: str | None = None, *, all_tasks: bool = False) -> list[Take]:
    """Sessions of one task (None: those under no task; all_tasks: every one), newest first."""
    steps = (
        select(
            StepRow.session_id.label("sid"),
            func.count().label("n"),
            func.sum(case((StepRow.decision_point, 1), else_=0)).label("dp"),
            func.sum(
                case((StepRow.decision_point & (func.trim(StepRow.note) == ""), 1), else_=0)
            ).label("open"),
        )
        .group_by(StepRow.session_id)
        .subquery()
    )
    query = select(SessionRow, steps.c.n, steps.c.dp, steps.c.open).outerjoin(
        steps, steps.c.sid == SessionRow.id
    )
    if not all_tasks:
        query = query.where(
            SessionRow.task_id.is_(None) if task_id is None else SessionRow.task_id == task_id
        )
    out = []
    with db.session() as s:
        for row, n, dp, open_ in s.execute(query.order_by(SessionRow.created_at.desc())):
            created = _aware(row.created_at)
            out.append(
                Take(
                    id=row.id,
                    task_id=row.task_id,
                    task=row.task,
                    created_at=created,
                    duration_s=row.duration_ns / 1e9,
                    status=display_status(row.status, row.stage),
                    steps=int(n or 0),
                    decision_points=int(dp or 0),
                    unexplained=int(open_ or 0),
                )
            )
    return out


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def step_counts(db: Database, session_id: str) -> tuple[int, int]:
    """(steps, decision points) the store holds for a session now; cheap enough to poll."""
    with db.session() as s:
        n, dp = s.execute(
            select(func.count(), func.sum(case((StepRow.decision_point, 1), else_=0))).where(
                StepRow.session_id == session_id
            )
        ).one()
    return int(n or 0), int(dp or 0)
