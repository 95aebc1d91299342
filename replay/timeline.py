"""A trajectory on a time axis, for the viewer: where each step starts, what the screen and the
pointer showed at any moment, and what is marked along the way; and a playback clock over it.

No Qt here: the viewer drives ``Playback`` from a timer and paints what ``Scene`` draws.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from capture.events import RawEvent
from capture.segment import Step
from replay.drawing import (
    Projection,
    caption,
    draw_click,
    draw_cursor,
    draw_path,
    draw_scroll,
    scaled,
)
from replay.player import DEFAULT_IDLE_LIMIT
from replay.review import comments_by_step
from replay.trajectory import FrameInfo, FrameSource, Trajectory

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
# Step back goes to the previous step unless the current one started longer ago than this.
RESTART_NS = 400_000_000
# How long a click's ripple grows after the press.
RIPPLE_NS = 400_000_000


@dataclass(frozen=True)
class Marker:
    """Something to see on the timeline: a decision point, a note, a comment, a mistake."""

    t_ns: int
    kind: str  # decision | note | comment | mistake
    row: int  # position of the step in the trajectory's steps
    text: str


# Where the pointer was: (t_ns array, (n, 2) x, y array), in time order.
PointerTrack = tuple[np.ndarray, np.ndarray]


def pointer_track(events: Iterable[RawEvent]) -> PointerTrack:
    """The pointer's track from raw events (every event that carries a position)."""
    points = [(e.t_ns, e.x, e.y) for e in events if e.x is not None and e.y is not None]
    track = np.array(points, dtype=np.int64).reshape(-1, 3)
    return track[:, 0].copy(), track[:, 1:].copy()


class Timeline:
    def __init__(self, trajectory: Trajectory, pointer: PointerTrack | None = None) -> None:
        self.trajectory = trajectory
        self.steps: tuple[Step, ...] = trajectory.steps
        self._starts = [s.t_start for s in self.steps]
        last = max((s.t_end for s in self.steps), default=0)
        self.duration_ns = max(int(trajectory.duration_s * 1e9), last)
        frames = sorted(trajectory.frames.values(), key=lambda f: f.t_ns)
        self._frames = frames
        self._frame_t = [f.t_ns for f in frames]
        self._pointer_t, self._pointer_xy = pointer if pointer is not None else pointer_track(())
        self.markers = self._markers()

    def _markers(self) -> list[Marker]:
        out: list[Marker] = []
        comments = comments_by_step(self.trajectory.reviews)
        for row, step in enumerate(self.steps):
            if step.decision_point:
                out.append(Marker(step.t_start, "decision", row, step.decision_reason or ""))
            if step.note:
                out.append(Marker(step.t_start, "note", row, step.note))
            if "mistake" in step.tags or step.outcome == "failure":
                out.append(Marker(step.t_start, "mistake", row, step.error_type or "mistake"))
            for review, comment in comments.get(step.index, []):
                out.append(
                    Marker(step.t_start, "comment", row, f"{review.reviewer}: {comment.text}")
                )
        return out

    def row_at(self, t_ns: int) -> int:
        """The step in progress (or last begun) at ``t_ns``; 0 before the first."""
        return max(0, bisect.bisect_right(self._starts, t_ns) - 1)

    def start(self, row: int) -> int:
        return self._starts[row] if self.steps else 0

    def progress(self, row: int, t_ns: int) -> float:
        """How far into step ``row`` the moment ``t_ns`` is, 0..1."""
        step = self.steps[row]
        if t_ns <= step.t_start:
            return 0.0
        if step.t_end <= step.t_start:
            return 1.0
        return min(1.0, (t_ns - step.t_start) / (step.t_end - step.t_start))

    def frame_at(self, t_ns: int) -> FrameInfo | None:
        """The screen as it was at ``t_ns``: the newest kept frame first seen by then."""
        if not self._frames:
            return None
        return self._frames[max(0, bisect.bisect_right(self._frame_t, t_ns) - 1)]

    def pointer_at(self, t_ns: int) -> tuple[int, int] | None:
        """Where the pointer was at ``t_ns`` (its last reported position), if known."""
        if not len(self._pointer_t):
            return None
        i = int(np.searchsorted(self._pointer_t, t_ns, side="right")) - 1
        x, y = self._pointer_xy[max(0, i)]
        return int(x), int(y)


class Playback:
    """A play head over a timeline: play, pause, speed, seek, step forward and back."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.position = timeline.start(0) if timeline.steps else 0
        self.speed = 1.0
        self.playing = False

    @property
    def row(self) -> int:
        return self.timeline.row_at(self.position)

    def seek(self, t_ns: int) -> None:
        self.position = max(0, min(self.timeline.duration_ns, int(t_ns)))

    def seek_row(self, row: int) -> None:
        if self.timeline.steps:
            row = max(0, min(len(self.timeline.steps) - 1, row))
            self.seek(self.timeline.start(row))

    def next_step(self) -> None:
        self.seek_row(self.row + 1)

    def previous_step(self) -> None:
        row = self.row
        if self.position - self.timeline.start(row) > RESTART_NS or row == 0:
            self.seek_row(row)
        else:
            self.seek_row(row - 1)

    def faster(self) -> None:
        self.speed = next((s for s in SPEEDS if s > self.speed), SPEEDS[-1])

    def slower(self) -> None:
        self.speed = next((s for s in reversed(SPEEDS) if s < self.speed), SPEEDS[0])

    def play(self) -> None:
        if self.position >= self.timeline.duration_ns:
            self.seek(0)
        self.playing = True

    def pause(self) -> None:
        self.playing = False

    def advance(self, wall_ns: int) -> None:
        """Move on by ``wall_ns`` of real time at the current speed.

        Never crosses more than one step start in one call, so every step is
        shown at least once even when steps are closer together than a tick.
        """
        if not self.playing:
            return
        target = self.position + int(wall_ns * self.speed)
        row = self.row
        if row + 1 < len(self.timeline.steps) and self.position < self.timeline.start(row + 1):
            following = self.timeline.start(row + 1)
            target = min(target, following)
            # A long idle stretch plays only its first DEFAULT_IDLE_LIMIT seconds.
            idle_from = self.timeline.steps[row].t_end + int(DEFAULT_IDLE_LIMIT * 1e9)
            if target > idle_from:
                target = following
        self.seek(target)
        if self.position >= self.timeline.duration_ns:
            self.playing = False


class Scene:
    """The screen at a moment, with the pointer and the current step's action drawn on it."""

    def __init__(self, timeline: Timeline, frames: FrameSource, cache: int = 12) -> None:
        self.timeline = timeline
        self._frames = frames
        self._cache: OrderedDict[tuple[str, int | None, bool], np.ndarray] = OrderedDict()
        self._cache_size = cache

    def pixels(self, frame: str, longest: int | None = None, sharp: bool = False) -> np.ndarray:
        """A frame's pixels, scaled to ``longest`` if given (the last few asked are kept).

        Scaling is bilinear (quick, for the screen redrawn on every seek) unless
        ``sharp``: area-averaged, for small pictures where text would alias.
        """
        key = (frame, longest, sharp)
        img = self._cache.get(key)
        if img is not None:
            self._cache.move_to_end(key)
            return img
        if longest is None:
            img = self._frames.rgb(frame)
        else:
            img = scaled(self.pixels(frame), longest, fast=not sharp)
        self._cache[key] = img
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return img

    def render(self, t_ns: int, longest: int | None = None) -> np.ndarray | None:
        """The moment ``t_ns``, at most ``longest`` pixels on its long edge if given."""
        tl = self.timeline
        info = tl.frame_at(t_ns)
        if info is None:
            return None
        img = self.pixels(info.hash, longest).copy()
        where = Projection.of(info.left, info.top, info.width, info.height, img)
        if tl.steps:
            row = tl.row_at(t_ns)
            step = tl.steps[row]
            if t_ns >= step.t_start:
                self._draw_step(img, step, where, t_ns, tl.progress(row, t_ns))
        pointer = tl.pointer_at(t_ns)
        if pointer is not None:
            draw_cursor(img, where.point(*pointer))
        return img

    def _draw_step(
        self, img: np.ndarray, step: Step, where: Projection, t_ns: int, progress: float
    ) -> None:
        action = step.action
        kind = action.type
        if kind in ("click", "double_click", "triple_click"):
            clicks = {"click": 1, "double_click": 2, "triple_click": 3}[kind]
            phase = min(1.0, (t_ns - step.t_start) / RIPPLE_NS)
            draw_click(img, where.point(action["x"], action["y"]), clicks, action["button"], phase)
        elif kind == "drag":
            draw_path(img, [where.point(x, y) for x, y in action["path"]], progress)
        elif kind == "scroll":
            draw_scroll(img, where.point(action["x"], action["y"]), action["dx"], action["dy"])
        elif kind == "type":
            text = action["text"]
            shown = text[: max(1, round(len(text) * progress))]
            caption(img, f'typing "{shown}"')
        elif kind in ("key", "hotkey"):
            caption(img, "keys " + "+".join(action["keys"]))
        elif kind == "wait":
            caption(img, f"waiting {action['seconds']:.1f} s")
