"""How far reviewers agree: on one trajectory, and across a set of trajectories.

One trajectory with several reviews: the share of reviewer pairs that gave the
same verdict (and the same goal), and each score's spread (max - min) and mean.

A set of trajectories (a task, a batch): Krippendorff's alpha, nominal for the
verdict and ordinal for the goal and the 1..5 scores. Alpha was chosen over
Cohen's kappa because it takes any number of reviewers, lets each trajectory
have a different set of them (missing grades are normal here), and has an
ordinal form that counts 4 vs 5 as a smaller disagreement than 1 vs 5. It is
1 for perfect agreement, 0 for agreement no better than chance, and None when
it is undefined (fewer than two grades on any trajectory, or only one value
seen overall).

Only each reviewer's newest review of a trajectory counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from replay.review import GOALS, SCORES
from replay.trajectory import Review

# Goal as an ordinal value: not < partly < achieved.
GOAL_RANK = {goal: rank for rank, goal in enumerate(reversed(GOALS))}


def newest_per_reviewer(reviews: Sequence[Review]) -> list[Review]:
    newest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: r.created_at):
        newest[review.reviewer] = review
    return list(newest.values())


def pairwise(values: Sequence[Hashable]) -> float | None:
    """The share of pairs of ``values`` that are equal; None with fewer than two."""
    pairs = list(combinations(values, 2))
    if not pairs:
        return None
    return sum(a == b for a, b in pairs) / len(pairs)


@dataclass(frozen=True)
class ScoreSpread:
    n: int
    mean: float | None
    spread: int | None  # max - min


@dataclass(frozen=True)
class Agreement:
    """Agreement among the reviews of one trajectory."""

    reviewers: int
    verdicts: dict[str, int]
    majority: str | None  # None on a tie
    verdict_agreement: float | None
    goal_agreement: float | None
    scores: dict[str, ScoreSpread]

    def to_json(self) -> dict[str, Any]:
        return {
            "reviewers": self.reviewers,
            "verdicts": self.verdicts,
            "majority": self.majority,
            "verdict_agreement": self.verdict_agreement,
            "goal_agreement": self.goal_agreement,
            "scores": {
                name: {"n": s.n, "mean": s.mean, "spread": s.spread}
                for name, s in self.scores.items()
            },
        }


def agreement(reviews: Sequence[Review]) -> Agreement:
    latest = newest_per_reviewer(reviews)
    counts = Counter(r.verdict for r in latest)
    ranked = counts.most_common()
    majority = None
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        majority = ranked[0][0]
    scores: dict[str, ScoreSpread] = {}
    for name in SCORES:
        values = [getattr(r, name) for r in latest if getattr(r, name) is not None]
        scores[name] = ScoreSpread(
            n=len(values),
            mean=round(sum(values) / len(values), 2) if values else None,
            spread=max(values) - min(values) if values else None,
        )
    return Agreement(
        reviewers=len(latest),
        verdicts=dict(counts),
        majority=majority,
        verdict_agreement=pairwise([r.verdict for r in latest]),
        goal_agreement=pairwise([r.goal for r in latest if r.goal is not None]),
        scores=scores,
    )


def krippendorff_alpha(units: Sequence[Sequence[Any]], level: str = "nominal") -> float | None:
    """Krippendorff's alpha over ``units`` (each: the values its raters gave; None = missing).

    ``level`` is ``nominal`` or ``ordinal`` (ordinal values must sort).
    """
    if level not in ("nominal", "ordinal"):
        raise ValueError(f"unknown level {level!r}")
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [u for u in pairable if len(u) >= 2]
    if not pairable:
        return None
    values = sorted({v for u in pairable for v in u})
    pos = {v: i for i, v in enumerate(values)}
    k = len(values)
    # Coincidence matrix: each ordered pair of values within a unit, weighted by 1/(m_u - 1).
    coincidence = [[0.0] * k for _ in range(k)]
    for unit in pairable:
        weight = 1.0 / (len(unit) - 1)
        counts = Counter(pos[v] for v in unit)
        for c, nc in counts.items():
            for d, nd in counts.items():
                pairs = nc * (nc - 1) if c == d else nc * nd
                coincidence[c][d] += pairs * weight
    totals = [sum(row) for row in coincidence]
    n = sum(totals)

    def delta(c: int, d: int) -> float:
        if level == "nominal":
            return 0.0 if c == d else 1.0
        lo, hi = min(c, d), max(c, d)
        return (sum(totals[lo : hi + 1]) - (totals[c] + totals[d]) / 2) ** 2

    observed = sum(coincidence[c][d] * delta(c, d) for c in range(k) for d in range(k))
    expected = sum(totals[c] * totals[d] * delta(c, d) for c in range(k) for d in range(k))
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


@dataclass(frozen=True)
class SetAgreement:
    """Krippendorff's alpha per rubric item over several trajectories' reviews."""

    trajectories: int
    reviewed_by_several: int
    alpha: dict[str, float | None]

    def to_json(self) -> dict[str, Any]:
        return {
            "trajectories": self.trajectories,
            "reviewed_by_several": self.reviewed_by_several,
            "alpha": {k: None if v is None else round(v, 3) for k, v in self.alpha.items()},
        }


def set_agreement(per_trajectory: Sequence[Sequence[Review]]) -> SetAgreement:
    latest = [newest_per_reviewer(reviews) for reviews in per_trajectory]
    alpha: dict[str, float | None] = {
        "verdict": krippendorff_alpha([[r.verdict for r in u] for u in latest], "nominal"),
        "goal": krippendorff_alpha(
            [[None if r.goal is None else GOAL_RANK[r.goal] for r in u] for u in latest],
            "ordinal",
        ),
    }
    for name in SCORES:
        alpha[name] = krippendorff_alpha([[getattr(r, name) for r in u] for u in latest], "ordinal")
    return SetAgreement(
        trajectories=len(latest),
        reviewed_by_several=sum(len(u) >= 2 for u in latest),
        alpha=alpha,
    )
