"""Every trajectory of one task side by side, and where their paths part.

Consistency is judged on reaching the goal well, not on following one path, so
nothing here grades a trajectory against another: the comparison shows each
one's outcome, verdicts, length, duration and windows, and aligns its actions
with a reference trajectory to show where it took another way.

Actions are compared by a coarse signature: the action type, the application
it landed in, and a coarse target (the accessible element when known, else the
cell of a 6x6 grid over the screen; the keys for key presses). The sequences
are aligned globally (Needleman-Wunsch, match +2, mismatch -1, gap -1), one
numpy row at a time. The reference is the shortest trajectory that reached the
goal (accepted ones first), else the shortest of all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from capture.segment import Step
from replay.agreement import agreement
from replay.trajectory import Trajectory

GRID = 6
MATCH, MISMATCH, GAP = 2, -1, -1

# A pair of the alignment: (reference step index, this trajectory's step index); None = gap.
Pair = tuple[int | None, int | None]


def _cell(traj: Trajectory, x: int, y: int) -> str:
    xn, yn = traj.screen.normalised(x, y)
    col = min(GRID - 1, max(0, int(xn * GRID)))
    row = min(GRID - 1, max(0, int(yn * GRID)))
    return f"{row}{col}"


def signature(traj: Trajectory, step: Step) -> str:
    """type|app|target: what two steps share when they do the same thing."""
    action = step.action
    app = (step.window.app or step.window.title) if step.window else ""
    element = step.element or {}
    target = ""
    if element.get("name") or element.get("role"):
        target = f"{element.get('role', '')}:{element.get('name', '')}"
    elif action.type in ("click", "double_click", "triple_click", "scroll", "move"):
        target = _cell(traj, action["x"], action["y"])
    elif action.type == "drag":
        path = action["path"]
        target = _cell(traj, *path[0]) + ">" + _cell(traj, *path[-1])
    elif action.type in ("key", "hotkey"):
        target = "+".join(action["keys"])
    return f"{action.type}|{app}|{target}"


def align(a: Sequence[str], b: Sequence[str]) -> list[Pair]:
    """Global alignment of two signature sequences: pairs (index in a, index in b), gaps None."""
    n, m = len(a), len(b)
    codes: dict[str, int] = {}
    ai = np.array([codes.setdefault(s, len(codes)) for s in a], dtype=np.int64)
    bi = np.array([codes.setdefault(s, len(codes)) for s in b], dtype=np.int64)
    score = np.zeros((n + 1, m + 1), dtype=np.int64)
    # 0: diagonal, 1: up (a's step against a gap), 2: left (b's step against a gap)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    cols = np.arange(m + 1, dtype=np.int64)
    score[0, :] = GAP * cols
    score[:, 0] = GAP * np.arange(n + 1)
    move[0, 1:] = 2
    move[1:, 0] = 1
    for i in range(1, n + 1):
        diag = score[i - 1, :-1] + np.where(bi == ai[i - 1], MATCH, MISMATCH)
        up = score[i - 1, 1:] + GAP
        best = np.maximum(diag, up)
        # Coming from the left: row[j] = max(best[j], row[j-1] + GAP), a running max
        # once the gap penalty is taken out of each column.
        lifted = np.concatenate(([score[i, 0]], best)) - GAP * cols
        row = np.maximum.accumulate(lifted) + GAP * cols
        score[i] = row
        move[i, 1:] = np.where(row[1:] > best, 2, np.where(diag >= up, 0, 1))
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i, j]
        if step == 0:
            i, j = i - 1, j - 1
            pairs.append((i, j))
        elif step == 1:
            i -= 1
            pairs.append((i, None))
        else:
            j -= 1
            pairs.append((None, j))
    pairs.reverse()
    return pairs


@dataclass(frozen=True)
class Take:
    """One trajectory in the comparison."""

    session_id: str
    annotator: str
    created_at: str
    stage: str
    goal: str | None  # the newest review's goal
    verdicts: list[dict[str, str]]
    steps: int
    duration_s: float
    windows: list[str]
    redundant: list[int]
    pairs: list[Pair]  # aligned with the reference: (reference index, own index)
    matched: int
    parts_at: int | None  # this trajectory's first step off the reference path
    detours: list[dict[str, int | None]]  # runs of own steps the reference does not take
    skipped: list[dict[str, int | None]]  # runs of reference steps this one does not take
    agreement: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "annotator": self.annotator,
            "created_at": self.created_at,
            "stage": self.stage,
            "goal": self.goal,
            "verdicts": self.verdicts,
            "steps": self.steps,
            "duration_s": self.duration_s,
            "windows": self.windows,
            "redundant_steps": self.redundant,
            "matched": self.matched,
            "parts_at": self.parts_at,
            "detours": self.detours,
            "skipped": self.skipped,
            "agreement": self.agreement,
            "alignment": [list(p) for p in self.pairs],
        }


@dataclass(frozen=True)
class Comparison:
    instruction: str
    task_id: str | None
    reference: str  # session id
    takes: list[Take]

    def to_json(self) -> dict[str, Any]:
        return {
            "task": {"id": self.task_id, "instruction": self.instruction},
            "reference": self.reference,
            "trajectories": [t.to_json() for t in self.takes],
        }


def _runs(indexes: list[tuple[int, int | None]]) -> list[dict[str, int | None]]:
    """Consecutive (own index, anchor) into runs {from, to, steps, after}.

    ``after`` is the step of the other trajectory just before the run (None: before its first).
    """
    runs: list[dict[str, int | None]] = []
    for own, anchor in indexes:
        last = runs[-1] if runs else None
        if last is not None and last["to"] == own - 1:
            last["to"] = own
            last["steps"] = (last["steps"] or 0) + 1
        else:
            runs.append({"from": own, "to": own, "steps": 1, "after": anchor})
    return runs


def _reference(trajs: Sequence[Trajectory]) -> Trajectory:
    def rank(t: Trajectory) -> tuple[int, int, str]:
        goal = t.reviews[-1].goal if t.reviews else None
        reached = (
            0 if t.stage == "accepted" and goal == "achieved" else 1 if goal == "achieved" else 2
        )
        return reached, len(t.steps), t.created_at

    return min(trajs, key=rank)


def _take(traj: Trajectory, ref: Trajectory, ref_sigs: list[str]) -> Take:
    sigs = [signature(traj, s) for s in traj.steps]
    pairs = align(ref_sigs, sigs)
    matched = 0
    detour: list[tuple[int, int | None]] = []
    skipped: list[tuple[int, int | None]] = []
    parts_at: int | None = None
    last_ref: int | None = None  # the reference step before the gap (None: before the first)
    last_own: int | None = None
    for r, o in pairs:
        same = r is not None and o is not None and ref_sigs[r] == sigs[o]
        if same:
            matched += 1
        elif parts_at is None:
            parts_at = o if o is not None else (-1 if last_own is None else last_own) + 1
        if o is not None and not same:
            detour.append((traj.steps[o].index, last_ref))
        if r is not None and o is None:
            skipped.append((ref.steps[r].index, last_own))
        if r is not None:
            last_ref = ref.steps[r].index
        if o is not None:
            last_own = traj.steps[o].index
    if parts_at is not None and parts_at < len(traj.steps):
        parts_at = traj.steps[parts_at].index
    windows: list[str] = []
    for step in traj.steps:
        if step.window is not None and step.window.title not in windows:
            windows.append(step.window.title)
    redundant = sorted(
        {s.index for s in traj.steps if "redundant" in s.tags}
        | {i for r in traj.reviews for i in r.redundant_steps}
    )
    return Take(
        session_id=traj.session_id,
        annotator=traj.annotator,
        created_at=traj.created_at,
        stage=traj.stage,
        goal=traj.reviews[-1].goal if traj.reviews else None,
        verdicts=[
            {"reviewer": r.reviewer, "verdict": r.verdict, "created_at": r.created_at}
            for r in traj.reviews
        ],
        steps=len(traj.steps),
        duration_s=traj.duration_s,
        windows=windows,
        redundant=redundant,
        pairs=[
            (
                None if r is None else ref.steps[r].index,
                None if o is None else traj.steps[o].index,
            )
            for r, o in pairs
        ],
        matched=matched,
        parts_at=parts_at,
        detours=_runs(detour),
        skipped=_runs(skipped),
        agreement=agreement(traj.reviews).to_json(),
    )


def compare(
    trajectories: Sequence[Trajectory], instruction: str = "", task_id: str | None = None
) -> Comparison:
    if not trajectories:
        raise ValueError("nothing to compare")
    ref = _reference(trajectories)
    ref_sigs = [signature(ref, s) for s in ref.steps]
    takes = [_take(t, ref, ref_sigs) for t in trajectories]
    return Comparison(instruction or ref.task.instruction, task_id, ref.session_id, takes)


# One row of the side-by-side view: the reference step it stands for (None: a detour row),
# and each trajectory's step index in that row (None: nothing there).
Row = tuple[int | None, list[int | None]]


def aligned_rows(result: Comparison) -> list[Row]:
    """Every trajectory in one grid: a row per reference step, detour rows where they occur."""
    per_take = []
    for take in result.takes:
        inserted: dict[int | None, list[int]] = {}
        at: dict[int, int | None] = {}
        last: int | None = None
        for ref, own in take.pairs:
            if ref is None:
                if own is not None:
                    inserted.setdefault(last, []).append(own)
            else:
                at[ref] = own
                last = ref
        per_take.append((inserted, at))
    reference = next(t for t in result.takes if t.session_id == result.reference)
    anchors: list[int | None] = [None, *(r for r, _ in reference.pairs if r is not None)]
    rows: list[Row] = []
    for anchor in anchors:
        if anchor is not None:
            rows.append((anchor, [at.get(anchor) for _, at in per_take]))
        depth = max((len(ins.get(anchor, [])) for ins, _ in per_take), default=0)
        for i in range(depth):
            rows.append(
                (
                    None,
                    [
                        ins[anchor][i] if i < len(ins.get(anchor, [])) else None
                        for ins, _ in per_take
                    ],
                )
            )
    return rows
