"""Step-level precision, recall and F1 of segmented steps against a ground truth.

Both sides are lists of actions in the JSON form of the step contract
(``{"type": "click", "x": 10, "y": 20, "button": "left", "modifiers": []}``),
in the order they happened. A recorded step matches a true one when:

- the types are equal;
- ``click``/``double_click``/``triple_click``: position within ``tol_px`` on
  both axes, same button, same set of modifiers;
- ``drag``: first and last path points within ``tol_px``, same button and modifiers;
- ``scroll``: position within ``tol_px``, equal ``dx`` and ``dy``;
- ``type``: equal ``text``;
- ``key``: equal ``keys`` and ``repeat`` (1 when absent);
- ``hotkey``: the same set of modifiers and the same other keys in order;
- ``move``: position within ``tol_px``; ``wait``: the type alone.

Matching keeps the order of both lists (a longest common subsequence under
the predicate above), so a step cannot be matched to a true step far away in
the demonstration that happens to look the same. Any action type outside the
vocabulary (e.g. a recorder's unmerged mouse-down) never matches and counts
against precision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MODIFIER_KEYS = frozenset({"ctrl", "alt", "shift", "super"})
TOLERANCE_PX = 6

ActionJson = Mapping[str, Any]


def _near(a: Sequence[Any], b: Sequence[Any], tol: float) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def _split_keys(keys: Sequence[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    return (
        frozenset(k for k in keys if k in MODIFIER_KEYS),
        tuple(k for k in keys if k not in MODIFIER_KEYS),
    )


def matches(truth: ActionJson, got: ActionJson, tol_px: float = TOLERANCE_PX) -> bool:
    """Whether ``got`` is the step ``truth`` names (see the module docstring)."""
    kind = truth.get("type")
    if got.get("type") != kind:
        return False
    if kind in ("click", "double_click", "triple_click"):
        return (
            _near((truth["x"], truth["y"]), (got["x"], got["y"]), tol_px)
            and truth["button"] == got["button"]
            and set(truth["modifiers"]) == set(got["modifiers"])
        )
    if kind == "drag":
        t_path, g_path = truth["path"], got["path"]
        return (
            _near(t_path[0], g_path[0], tol_px)
            and _near(t_path[-1], g_path[-1], tol_px)
            and truth["button"] == got["button"]
            and set(truth["modifiers"]) == set(got["modifiers"])
        )
    if kind == "scroll":
        return (
            _near((truth["x"], truth["y"]), (got["x"], got["y"]), tol_px)
            and truth["dx"] == got["dx"]
            and truth["dy"] == got["dy"]
        )
    if kind == "type":
        return bool(truth["text"] == got["text"])
    if kind == "key":
        return list(truth["keys"]) == list(got["keys"]) and truth.get("repeat", 1) == got.get(
            "repeat", 1
        )
    if kind == "hotkey":
        return _split_keys(truth["keys"]) == _split_keys(got["keys"])
    if kind == "move":
        return _near((truth["x"], truth["y"]), (got["x"], got["y"]), tol_px)
    return kind == "wait"


def align(
    truth: Sequence[ActionJson], got: Sequence[ActionJson], tol_px: float = TOLERANCE_PX
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of matched truth/got indices: the largest order-keeping matching."""
    n, m = len(truth), len(got)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if matches(truth[i], got[j], tol_px):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if matches(truth[i], got[j], tol_px) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass(frozen=True)
class Score:
    truth: int
    got: int
    matched: int
    missed: list[ActionJson] = field(default_factory=list)
    extra: list[ActionJson] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.got if self.got else (1.0 if not self.truth else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else (1.0 if not self.got else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def explain(self) -> str:
        """A readable account of what did not match, for assertion messages."""
        lines = [
            f"matched {self.matched} of {self.truth} true steps, {self.got} recorded "
            f"(P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f})"
        ]
        lines += [f"  missed: {dict(a)}" for a in self.missed]
        lines += [f"  extra:  {dict(a)}" for a in self.extra]
        return "\n".join(lines)


def score(
    truth: Sequence[ActionJson], got: Sequence[ActionJson], tol_px: float = TOLERANCE_PX
) -> Score:
    pairs = align(truth, got, tol_px)
    hit_t = {i for i, _ in pairs}
    hit_g = {j for _, j in pairs}
    return Score(
        truth=len(truth),
        got=len(got),
        matched=len(pairs),
        missed=[a for i, a in enumerate(truth) if i not in hit_t],
        extra=[a for j, a in enumerate(got) if j not in hit_g],
    )
