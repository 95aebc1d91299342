"""Segmentation, live during recording and in one batch afterwards: the same machine.

``segment`` feeds everything to a ``LiveSegmenter`` and flushes it, so the
batch result is by construction what the live segmenter gives.

Feeding contract for live use: each kind of input (events, frames, screen
changes, markers, windows) may arrive in chunks and at its own pace;
``advance(t)`` promises that every input with ``t_ns < t`` has been fed. Only
then does anything before ``t`` count as final, which is what makes the result
independent of how the inputs were chunked. A recorder calls ``advance`` with
its clock minus the largest delay its queues can hold (e.g. ``now - 250 ms``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from capture.events import Marker, RawEvent, Target, WindowChange
from capture.segment.context import SegmentContext
from capture.segment.gestures import Gestures
from capture.segment.observations import Observer
from capture.segment.rules import SegmentationRules
from capture.segment.steps import FrameId, Step

NEVER = -(2**63)


class LateInputError(ValueError):
    """Input arrived for a time already declared complete by ``advance``."""


class LiveSegmenter:
    def __init__(self, rules: SegmentationRules | None = None) -> None:
        self.rules = rules or SegmentationRules()
        self._timeline = SegmentContext()
        self._gestures = Gestures(self.rules, self._timeline)
        self._observer = Observer(self.rules, self._timeline)
        self._events: deque[RawEvent] = deque()
        self._last_event_t = NEVER
        self._watermark = NEVER
        self._flushed = False
        self.steps: list[Step] = []

    # -- input

    def _check(self, t: int, what: str) -> None:
        if self._flushed:
            raise LateInputError("the segmenter was flushed; start a new one")
        if t < self._watermark:
            raise LateInputError(
                f"{what} at {t} ns arrived after advance({self._watermark}); "
                "advance with a larger delay"
            )

    def add_events(self, events: Iterable[RawEvent]) -> None:
        if self._flushed:
            raise LateInputError("the segmenter was flushed; start a new one")
        last, watermark, append = self._last_event_t, self._watermark, self._events.append
        for e in events:
            t = e.t_ns
            if t < last or t < watermark:
                self._check(t, "event")
                raise LateInputError(f"event seq {e.seq} is older than the event before it")
            last = t
            append(e)
        self._last_event_t = last

    def add_frames(self, frames: Iterable[tuple[FrameId, int]]) -> None:
        frames = list(frames)
        for _, t in frames:
            self._check(t, "frame")
        self._timeline.add_frames(frames)

    def add_screen_changes(self, changes: Iterable[tuple[int, float]]) -> None:
        changes = list(changes)
        for t, _ in changes:
            self._check(t, "screen change")
        self._timeline.add_screen_changes(changes)

    def add_markers(self, markers: Iterable[Marker]) -> None:
        markers = list(markers)
        for m in markers:
            self._check(m.t_ns, "marker")
        self._timeline.add_markers(markers)

    def add_windows(self, windows: Iterable[WindowChange]) -> None:
        windows = list(windows)
        for w in windows:
            self._check(w.t_ns, "window change")
        self._timeline.add_windows(windows)

    def add_targets(self, targets: Iterable[Target]) -> None:
        targets = list(targets)
        for target in targets:
            self._check(target.t_ns, "target")
        self._timeline.add_targets(targets)

    # -- output

    def advance(self, t_ns: int) -> list[Step]:
        """Everything before ``t_ns`` has been fed: return the steps that became final."""
        if self._flushed:
            raise LateInputError("the segmenter was flushed; start a new one")
        if t_ns <= self._watermark:
            return []
        self._watermark = t_ns
        events, gestures = self._events, self._gestures
        while events and events[0].t_ns < t_ns:
            gestures.feed(events.popleft())
        gestures.expire(t_ns)
        self._observer.add(gestures.ready())
        out = self._observer.finalize(t_ns, gestures.horizon(t_ns))
        self.steps.extend(out)
        return out

    def flush(self) -> list[Step]:
        """The recording ended: close every open action and return the remaining steps."""
        if self._flushed:
            return []
        gestures = self._gestures
        while self._events:
            gestures.feed(self._events.popleft())
        gestures.finish()
        self._flushed = True
        self._observer.add(gestures.ready())
        out = self._observer.finalize(2**63 - 1, 2**63 - 1, final=True)
        self.steps.extend(out)
        return out


def segment(
    events: Iterable[RawEvent],
    frames: Iterable[tuple[FrameId, int]] = (),
    screen_changes: Iterable[tuple[int, float]] = (),
    markers: Iterable[Marker] = (),
    windows: Iterable[WindowChange] = (),
    rules: SegmentationRules | None = None,
    targets: Iterable[Target] = (),
) -> list[Step]:
    """Steps from one session's raw input, in order. Pure: inputs are never modified.

    ``events`` in recording order; ``frames`` are the persisted frames as
    ``(frame_id, t_ns)``; ``screen_changes`` one ``(t_ns, changed_fraction)``
    per distinct grab; ``targets`` say where presses and key-downs landed.
    """
    live = LiveSegmenter(rules)
    live.add_frames(frames)
    live.add_screen_changes(screen_changes)
    live.add_markers(markers)
    live.add_windows(windows)
    live.add_targets(targets)
    live.add_events(events)
    return live.flush()
