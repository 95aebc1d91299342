"""Steps while recording: the live segmenter fed from the writer, a little behind real time.

Items are held back until they are ``delay_ns`` old, then fed in time order,
so input that reached the queue late (a busy listener thread) still lands in
order. The steps that become final are stored in the writer's transaction and
handed to ``on_steps`` (the app prompts at decision points from there). When
the recording stops, the batch segmentation replaces them; the two agree by
construction, so nothing the person saw changes.

Anything arriving later still (a machine so busy that a grab took longer than
the delay to reach the writer) is fed as if it had happened at the moment
already declared complete: those live steps may then differ a little from the
batch ones, but they keep coming instead of stopping for the rest of the take.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from capture.events import Marker, RawEvent, Target, WindowChange
from capture.segment import LateInputError, LiveSegmenter, SegmentationRules, Step
from capture.store.steps import add_steps

if TYPE_CHECKING:  # the writer's open transaction, passed through to the store
    from sqlalchemy.orm import Session

Written = RawEvent | Marker | WindowChange | Target | tuple[int, float]


@dataclass(frozen=True, slots=True)
class _Frame:
    frame: tuple[int, int]  # (frame id, t_ns)


class LiveSteps:
    def __init__(
        self,
        session_id: str,
        rules: SegmentationRules,
        now: Callable[[], int],
        delay_ns: int = 500_000_000,
        on_steps: Callable[[list[Step]], None] | None = None,
    ) -> None:
        self._session_id = session_id
        self._segmenter = LiveSegmenter(rules)
        self._now = now
        self._delay = delay_ns
        self._on_steps = on_steps
        self._held: list[tuple[int, int, Written | _Frame]] = []
        self._order = itertools.count()
        self.failed = False
        self.late = 0  # items that arrived after their time was declared complete
        self._floor = -(2**63)  # everything before this has been fed to the segmenter
        self.steps: list[Step] = []
        self.cpu_s = 0.0  # thread CPU time spent here: the live segmenter's cost

    def feed(
        self,
        s: Session,
        written: Sequence[Written],
        frames: Sequence[tuple[int, int]],
        pending_since: int | None = None,
    ) -> None:
        """Take what the writer just wrote: events (with their seq), screen changes as
        ``(t_ns, changed)``, markers, window changes, and the frames as ``(id, t_ns)``.
        ``pending_since``: the writer may still persist a frame from that time on (the
        screen after an action), so nothing past it is final."""
        if self.failed:
            return
        started = time.thread_time()
        try:
            floor = self._floor
            for item in written:
                t = item[0] if isinstance(item, tuple) else item.t_ns
                if t < floor:
                    self.late += 1
                    t, item = floor, _moved(item, floor)
                heapq.heappush(self._held, (t, next(self._order), item))
            for frame in frames:
                if frame[1] < floor:
                    self.late += 1
                    frame = (frame[0], floor)
                heapq.heappush(self._held, (frame[1], next(self._order), _Frame(frame)))
            self._release(s, pending_since)
        finally:
            self.cpu_s += time.thread_time() - started

    def _release(self, s: Session, pending_since: int | None) -> None:
        """Feed what is old enough, in time order, and store the steps that became final."""
        horizon = self._now() - self._delay
        if pending_since is not None:
            horizon = min(horizon, pending_since)
        try:
            while self._held and self._held[0][0] < horizon:
                _, _, item = heapq.heappop(self._held)
                self._add(item)
            steps = self._segmenter.advance(horizon)
            self._floor = max(self._floor, horizon)
        except LateInputError:
            # Input older than what was declared complete: live steps stop here;
            # the batch segmentation at the end is unaffected.
            self.failed = True
            return
        if steps:
            add_steps(s, self._session_id, steps)
            self.steps.extend(steps)
            if self._on_steps is not None:
                self._on_steps(steps)

    def _add(self, item: Written | _Frame) -> None:
        seg = self._segmenter
        if isinstance(item, RawEvent):
            seg.add_events([item])
        elif isinstance(item, Marker):
            seg.add_markers([item])
        elif isinstance(item, WindowChange):
            seg.add_windows([item])
        elif isinstance(item, Target):
            seg.add_targets([item])
        elif isinstance(item, _Frame):
            seg.add_frames([item.frame])
        else:
            seg.add_screen_changes([item])


def _moved(item: Written, t_ns: int) -> Written:
    """``item`` as if it had happened at ``t_ns``."""
    if isinstance(item, tuple):
        return (t_ns, item[1])
    return replace(item, t_ns=t_ns)
