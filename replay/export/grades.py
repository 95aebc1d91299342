"""A trajectory's reviews as the grades datasets carry, and the outcome of each step.

AgentNet grades a trajectory with ``task_completed`` and 0..10 integer scores;
we take the latest review (reviews are in the order they were made):

- ``task_completed``: goal ``achieved`` -> true, ``partly``/``not`` -> false, no goal -> null;
- ``alignment_score``: goal achieved 10, partly 5, not 0;
- ``efficiency_score``: efficiency 1..5 -> 0, 3, 5, 8, 10 (``round((e - 1) * 2.5)``, halves up);
- ``reason``: the review's reason.

With no review every grade is null.
"""

from __future__ import annotations

from dataclasses import dataclass

from capture.segment import Step
from replay.trajectory import Review, Trajectory

_ALIGNMENT = {"achieved": 10, "partly": 5, "not": 0}


def _score(value: int | None) -> int | None:
    if value is None:
        return None
    return int((value - 1) * 2.5 + 0.5)


@dataclass(frozen=True, slots=True)
class Grades:
    verdict: str | None = None
    task_completed: bool | None = None
    alignment_score: int | None = None
    efficiency_score: int | None = None
    error_handling_score: int | None = None
    reason: str = ""
    redundant_steps: tuple[int, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "task_completed": self.task_completed,
            "alignment_score": self.alignment_score,
            "efficiency_score": self.efficiency_score,
            "error_handling_score": self.error_handling_score,
            "reason": self.reason,
        }


def grades(traj: Trajectory) -> Grades:
    if not traj.reviews:
        return Grades()
    r: Review = traj.reviews[-1]
    return Grades(
        verdict=r.verdict,
        task_completed=None if r.goal is None else r.goal == "achieved",
        alignment_score=_ALIGNMENT.get(r.goal) if r.goal else None,
        efficiency_score=_score(r.efficiency),
        error_handling_score=_score(r.error_handling),
        reason=r.reason,
        redundant_steps=tuple(r.redundant_steps),
    )


def failed(step: Step) -> bool:
    """The step went wrong: labelled a failure or tagged a mistake."""
    return step.outcome == "failure" or "mistake" in step.tags


def redundant(step: Step, g: Grades) -> bool:
    return "redundant" in step.tags or step.index in g.redundant_steps


def step_fields(step: Step) -> dict[str, object]:
    """Outcome, tags, error type and fault of a step: the fields formats carry as extras."""
    return {
        "outcome": step.outcome,
        "outcome_suggested": step.outcome_suggested,
        "outcome_reason": step.outcome_reason,
        "tags": list(step.tags),
        "error_type": step.error_type,
        "fault": None if step.fault is None else dict(step.fault),
        "decision_point": step.decision_point,
    }
