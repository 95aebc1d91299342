"""What the screen did after a step, read as a suggested outcome with its reason.

``suggest_outcome`` is a pure function of a step, its before and after frames
(RGB arrays), optionally a later view (the next step's before-frame, for a
screen that settles slowly) and the titles of windows that became active after
the step. The suggestion is never the person's label: it is stored beside it
(``outcome_suggested``/``outcome_reason``) and the person confirms or changes it.

The cues, in order:
- a window became active whose title says something went wrong (error, denied,
  failed ...): failure;
- a compact region appeared that carries an icon-sized patch of warning colour
  (the red or yellow icon of an error or warning box): failure;
- nothing visible changed after a click, a drag, typing or a scroll: failure;
- a click whose change stays at the target, or that opened a new window region:
  success; typing whose change is a line of text: success;
- a key or hotkey with no visible change, a move or a wait: unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from capture.segment.steps import Step

# A channel differing by more than this is a changed pixel (codec noise stays below).
PIXEL_THRESHOLD = 24
# Changes are grouped on a grid of cells this many pixels wide.
CELL = 8
# Within this many pixels of the pointer, a change is "at the target".
NEAR_TARGET_PX = 48
# Words in a window title that say an action failed.
ERROR_WORDS = (
    "error",
    "denied",
    "failed",
    "failure",
    "invalid",
    "cannot",
    "can't",
    "unable",
    "expired",
    "forbidden",
    "refused",
    "not allowed",
    "warning",
)
POINTER_ACTIONS = ("click", "double_click", "triple_click", "drag")


@dataclass(frozen=True, slots=True)
class Suggestion:
    outcome: str
    reason: str


@dataclass(frozen=True, slots=True)
class Region:
    """A connected area of changed pixels: its bounding box and how many pixels changed."""

    left: int
    top: int
    width: int
    height: int
    pixels: int

    @property
    def caret_like(self) -> bool:
        """A text cursor blinking or moving: a thin vertical stroke."""
        return self.width <= 3 and self.height <= 48

    def distance(self, x: int, y: int) -> int:
        dx = max(self.left - x, 0, x - (self.left + self.width - 1))
        dy = max(self.top - y, 0, y - (self.top + self.height - 1))
        return max(dx, dy)


def changed_regions(before: np.ndarray, after: np.ndarray) -> list[Region]:
    """Regions where ``after`` differs from ``before``, largest first."""
    if before.shape != after.shape:
        h, w = after.shape[:2]
        return [Region(0, 0, w, h, w * h)]
    if before is after:
        return []
    diff = cv2.absdiff(before, after)
    if diff.ndim == 3:
        channels = cv2.split(diff)
        diff = cv2.max(cv2.max(channels[0], channels[1]), channels[2])
    _, binary = cv2.threshold(diff, PIXEL_THRESHOLD, 1, cv2.THRESH_BINARY)
    if not cv2.countNonZero(binary):
        return []
    mask = binary.view(bool)
    h, w = mask.shape
    ch, cw = -(-h // CELL), -(-w // CELL)
    padded = np.zeros((ch * CELL, cw * CELL), np.uint8)
    padded[:h, :w] = binary
    # A cell is changed if any pixel in it is: the largest value in each CELL x CELL block.
    pooled = cv2.dilate(padded, np.ones((CELL, CELL), np.uint8), anchor=(0, 0))
    cells: np.ndarray = np.ascontiguousarray(pooled[::CELL, ::CELL])
    # Join cells up to four apart (32 px): a dialog's text, icon and buttons are one region.
    joined = cv2.dilate(cells, np.ones((5, 5), np.uint8))
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    regions = []
    for label in range(1, count):
        ys, xs = np.nonzero((labels == label) & (cells > 0))
        if len(xs) == 0:
            continue
        top, left = int(ys.min()) * CELL, int(xs.min()) * CELL
        bottom, right = min(h, (int(ys.max()) + 1) * CELL), min(w, (int(xs.max()) + 1) * CELL)
        sub = mask[top:bottom, left:right]
        py, px = np.nonzero(sub)
        regions.append(
            Region(
                left + int(px.min()),
                top + int(py.min()),
                int(px.max() - px.min()) + 1,
                int(py.max() - py.min()) + 1,
                len(px),
            )
        )
    regions.sort(key=lambda r: r.pixels, reverse=True)
    return regions


def _warning_icon(after: np.ndarray, before: np.ndarray, region: Region) -> bool:
    """Does ``region`` hold a new icon-sized patch of saturated red, orange or yellow?"""
    sl = np.s_[region.top : region.top + region.height, region.left : region.left + region.width]
    patch = after[sl].astype(np.int16)
    r, g, b = patch[..., 0], patch[..., 1], patch[..., 2]
    warm = (r > 170) & (b < 110) & (r - b > 110) & (g < r + 10)
    new = warm & ~_warm(before[sl])
    if new.sum() < 120:
        return False
    n, _, stats, _ = cv2.connectedComponentsWithStats(new.astype(np.uint8), connectivity=8)
    for i in range(1, n):
        w, h, area = stats[i, 2], stats[i, 3], stats[i, 4]
        if 12 <= w <= 80 and 12 <= h <= 80 and area >= 100:
            return True
    return False


def _warm(pixels: np.ndarray) -> np.ndarray:
    p = pixels.astype(np.int16)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    return (r > 170) & (b < 110) & (r - b > 110) & (g < r + 10)


def _dialog_like(region: Region, width: int, height: int) -> bool:
    """A compact block, neither a line of text nor most of the screen."""
    return (
        region.width >= 120
        and region.height >= 60
        and region.width <= 0.8 * width
        and region.height <= 0.8 * height
    )


def error_title(titles: Sequence[str], own: str = "") -> str | None:
    for title in titles:
        low = title.lower()
        if title != own and any(word in low for word in ERROR_WORDS):
            return title
    return None


def suggest_outcome(
    step: Step,
    before: np.ndarray | None,
    after: np.ndarray | None,
    later: np.ndarray | None = None,
    windows_after: Sequence[str] = (),
) -> Suggestion:
    """The outcome the screen suggests for ``step`` and why, in words."""
    kind = step.action.type
    own = step.window.title if step.window is not None else ""
    bad = error_title(windows_after, own)
    if bad is not None:
        return Suggestion("failure", f"a window titled {bad!r} appeared")
    if before is None or after is None:
        return Suggestion("unknown", "no frames before and after the step to compare")
    if kind == "wait":
        return Suggestion("unknown", "a wait: nothing to judge")
    regions = changed_regions(before, after)
    seen_later = False
    if not _significant(regions, step) and later is not None and later.shape == before.shape:
        regions = changed_regions(before, later)
        seen_later = bool(_significant(regions, step))
    when = " (seen only later)" if seen_later else ""
    height, width = after.shape[:2]
    view = later if seen_later and later is not None else after
    for region in regions[:4]:
        if _dialog_like(region, width, height) and _warning_icon(view, before, region):
            return Suggestion(
                "failure",
                f"an error-looking box appeared at {region.left},{region.top}"
                f" ({region.width}x{region.height}){when}",
            )
    significant = _significant(regions, step)
    if kind in POINTER_ACTIONS:
        return _pointer(step, significant, width, height, when)
    if kind == "type":
        return _typed(step, significant, when)
    if kind == "scroll":
        if not significant:
            return Suggestion("failure", "nothing moved after scrolling")
        return Suggestion("success", f"the view scrolled{when}")
    if kind in ("key", "hotkey"):
        if not significant:
            return Suggestion("unknown", "no visible change after the key")
        return Suggestion("success", f"the screen changed after the key{when}")
    if significant:
        return Suggestion("success", f"the screen changed while hovering{when}")
    return Suggestion("unknown", "no visible change")


def _target(step: Step) -> tuple[int, int] | None:
    fields = step.action.fields
    if "x" in fields:
        return fields["x"], fields["y"]
    if "path" in fields:
        x, y = fields["path"][-1]
        return x, y
    return None


def _significant(regions: list[Region], step: Step) -> list[Region]:
    """Changes that are not a caret blinking away from where the step acted."""
    target = _target(step)
    out = []
    for r in regions:
        away = target is None or r.distance(*target) > NEAR_TARGET_PX
        if r.caret_like and away and step.action.type != "type":
            continue
        out.append(r)
    return out


def _pointer(step: Step, regions: list[Region], width: int, height: int, when: str) -> Suggestion:
    name = step.action.type.replace("_", " ")
    if not regions:
        return Suggestion("failure", f"no visible change after the {name} (a disabled control?)")
    target = _target(step)
    assert target is not None
    near = [r for r in regions if r.distance(*target) <= NEAR_TARGET_PX]
    far = [r for r in regions if r.distance(*target) > NEAR_TARGET_PX]
    if any(_dialog_like(r, width, height) for r in far):
        return Suggestion("success", f"a new window region appeared after the {name}{when}")
    if near and not far:
        return Suggestion("success", f"the change stays at the target{when}")
    if near:
        return Suggestion("success", f"the target and {len(far)} other place(s) changed{when}")
    return Suggestion("success", f"the screen changed away from the target{when}")


def _typed(step: Step, regions: list[Region], when: str) -> Suggestion:
    text = step.action["text"]
    if not regions:
        return Suggestion("failure", "the typed text appeared nowhere on the screen")
    line = [r for r in regions if r.height <= 64]
    if not line:
        return Suggestion("success", f"the screen changed while typing{when}")
    widest = max(r.width for r in line)
    visible = len(text.strip())
    if visible >= 6 and widest < 2 * visible:
        return Suggestion("partial", "only part of the typed text seems to have appeared")
    return Suggestion("success", f"a line of text changed where the person typed{when}")
