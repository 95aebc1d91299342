"""Counts over the whole store: what the data set holds, for ``demotrace stats`` and the app.

- trajectories by task category (sessions without a task: ``uncategorised``);
- outcomes per step (the person's label and the suggestion, separately; steps
  of sessions not read since they were cut count as ``pending`` suggestions)
  and per trajectory (see ``trajectory_outcome``; a trajectory whose outcome
  hangs on a suggestion not computed yet gets it computed here);
- faults injected, by kind, and how many were recovered: the session reached
  its goal after the fault (``recovered``);
- mistakes by error type (steps tagged ``mistake``; no type: ``unspecified``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from capture.segment.steps import OUTCOMES
from capture.store.database import Database
from capture.store.models import ReviewRow, SessionRow, StepRow, TaskRow

UNCATEGORISED = "uncategorised"
UNSPECIFIED = "unspecified"
# Steps whose suggestion is not computed yet (it is, on the session's first read).
PENDING = "pending"
GOAL_OUTCOMES = {"achieved": "success", "partly": "partial", "not": "failure"}


@dataclass(frozen=True)
class StepOutcome:
    outcome: str
    suggested: str | None


def trajectory_outcome(goal: str | None, steps: Sequence[StepOutcome]) -> str:
    """A reviewer's verdict on the goal if there is one, else the last step's outcome.

    The last step's label is the person's; while they have not given one
    (``unknown``), its suggestion stands in.
    """
    if goal in GOAL_OUTCOMES:
        return GOAL_OUTCOMES[goal]
    if not steps:
        return "unknown"
    last = steps[-1]
    if last.outcome == "unknown" and last.suggested is not None:
        return last.suggested
    return last.outcome


def recovered(goal: str | None, steps: Sequence[StepOutcome]) -> bool:
    return trajectory_outcome(goal, steps) == "success"


@dataclass
class Stats:
    trajectories: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    step_outcomes: dict[str, int] = field(default_factory=dict)
    step_outcomes_suggested: dict[str, int] = field(default_factory=dict)
    trajectory_outcomes: dict[str, int] = field(default_factory=dict)
    faults: dict[str, dict[str, int]] = field(default_factory=dict)
    mistakes: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "trajectories": self.trajectories,
            "by_category": self.by_category,
            "step_outcomes": self.step_outcomes,
            "step_outcomes_suggested": self.step_outcomes_suggested,
            "trajectory_outcomes": self.trajectory_outcomes,
            "faults": self.faults,
            "mistakes": self.mistakes,
        }


def _latest_goals(s: Any) -> dict[str, str | None]:
    goals: dict[str, str | None] = {}
    rows = s.execute(
        select(ReviewRow.session_id, ReviewRow.goal).order_by(ReviewRow.created_at, ReviewRow.id)
    )
    for session_id, goal in rows:
        goals[session_id] = goal  # the newest review wins
    return goals


def _needs_suggestion(goal: str | None, steps: Sequence[StepOutcome]) -> bool:
    """Does the trajectory's outcome hang on a suggestion not computed yet?"""
    if goal in GOAL_OUTCOMES or not steps:
        return False
    return steps[-1].outcome == "unknown" and steps[-1].suggested is None


def _suggested(db: Database, session_id: str) -> list[StepOutcome]:
    from capture.store.steps import current_steps  # computes them (and keeps them if it may)

    return [StepOutcome(s.outcome, s.outcome_suggested) for s in current_steps(db, session_id)]


def collect_stats(db: Database) -> Stats:
    with db.session() as s:
        categories = dict(s.execute(select(TaskRow.id, TaskRow.category)).all())
        sessions = s.execute(
            select(SessionRow.id, SessionRow.task_id, SessionRow.origin, SessionRow.fault)
        ).all()
        goals = _latest_goals(s)
        steps: dict[str, list[StepOutcome]] = defaultdict(list)
        per_step: Counter[str] = Counter({o: 0 for o in OUTCOMES})
        suggested: Counter[str] = Counter({o: 0 for o in OUTCOMES})
        mistakes: Counter[str] = Counter()
        rows = s.execute(
            select(
                StepRow.session_id,
                StepRow.outcome,
                StepRow.outcome_suggested,
                StepRow.tags,
                StepRow.error_type,
            ).order_by(StepRow.session_id, StepRow.index)
        )
        for session_id, outcome, outcome_suggested, tags, error_type in rows:
            steps[session_id].append(StepOutcome(outcome, outcome_suggested))
            per_step[outcome] += 1
            suggested[outcome_suggested or PENDING] += 1
            if "mistake" in (tags or ()):
                mistakes[error_type or UNSPECIFIED] += 1

    for session_id, *_ in sessions:
        if _needs_suggestion(goals.get(session_id), steps[session_id]):
            suggested.subtract(s.suggested or PENDING for s in steps[session_id])
            steps[session_id] = _suggested(db, session_id)
            suggested.update(s.suggested or PENDING for s in steps[session_id])

    by_category: Counter[str] = Counter()
    per_trajectory: Counter[str] = Counter({o: 0 for o in OUTCOMES})
    faults: dict[str, dict[str, int]] = {}
    for session_id, task_id, origin, fault in sessions:
        category = categories.get(task_id) if task_id else None
        by_category[category or UNCATEGORISED] += 1
        goal = goals.get(session_id)
        per_trajectory[trajectory_outcome(goal, steps[session_id])] += 1
        if origin == "injected" and fault:
            kind = str(fault.get("kind", "unknown"))
            entry = faults.setdefault(kind, {"injected": 0, "recovered": 0})
            entry["injected"] += 1
            entry["recovered"] += int(recovered(goal, steps[session_id]))
    return Stats(
        trajectories=len(sessions),
        by_category=dict(sorted(by_category.items())),
        step_outcomes=dict(per_step),
        step_outcomes_suggested={k: n for k, n in suggested.items() if n or k in OUTCOMES},
        trajectory_outcomes=dict(per_trajectory),
        faults=dict(sorted(faults.items())),
        mistakes=dict(sorted(mistakes.items())),
    )
