"""Steps from actions: before and after frames, window, decision points.

Frames are chosen among the persisted frames only:

- ``before``: the last frame grabbed strictly before the step's first raw event.
- ``after``: walk the screen changes after the step's last raw event (changes
  below ``settle_noise`` ignored), at most ``after_max_ms`` past it; the screen
  has settled at ``s + settle_ms`` where ``s`` is the last change that came
  less than ``settle_ms`` after the one before it (``s`` is the step's end if
  nothing changed). If the next step with raw events starts at or before that
  moment, ``after`` is that step's ``before``; otherwise it is the last frame
  grabbed at or before ``min(s + settle_ms, t_end + after_max_ms)``. A next
  step starting before this step ended (keys pressed during a drag) does not
  count as "the next step".
- a ``wait`` has no raw events: its ``before`` is the previous step's
  ``after``, its ``after`` the last frame grabbed before the next raw event.

Decision points, in this order of reasons: ``first`` (first step made from raw
events), ``marked`` (a mark after the previous such step started, up to this
step's start), ``pause`` (this step starts ``decision_pause_ms`` or more after
the previous one ended), ``screen_change`` (the largest single screen change
between the previous step's after frame and this step's before frame is at
least ``decision_screen_change``: largest rather than summed, so a spinner or
a blinking caret never adds up to "the screen is different"). Waits are never
decision points.

Notes the person wrote while recording (``note`` markers: think-aloud, the
live prompt) attach to the next step made from raw events: those after the
previous such step started, up to this step's start. Notes after the last
step attach to it.
"""

from __future__ import annotations

from collections import deque

from capture.segment.context import SegmentContext
from capture.segment.draft import Draft
from capture.segment.rules import MS, SegmentationRules
from capture.segment.settle import Settling
from capture.segment.steps import FrameId, Step

# Why a step is a decision point, in the words shown beside it.
DECISION_REASONS = {
    "first": "first step",
    "marked": "marked (hotkey or button)",
    "pause": "after a pause",
    "screen_change": "screen changed a lot",
    "manual": "added by hand",
}


class Observer:
    def __init__(self, rules: SegmentationRules, timeline: SegmentContext) -> None:
        self.rules = rules
        self.timeline = timeline
        self._settling = Settling.from_rules(rules)
        self._queue: deque[Draft] = deque()
        self._prev: Step | None = None
        self._prev_acted: Step | None = None  # the previous step made from raw events
        self._index = 0

    def add(self, drafts: list[Draft]) -> None:
        self._queue.extend(drafts)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def finalize(self, watermark: int, horizon: int, final: bool = False) -> list[Step]:
        """Steps whose observations can no longer change.

        ``watermark``: everything before it has been fed. ``horizon``: no action
        still to come starts before it. ``final``: nothing more will come.
        """
        out: list[Step] = []
        queue = self._queue
        while queue:
            draft = queue[0]
            if draft.first_seq is None:
                step = self._wait(draft)
            else:
                next_start = self._next_start(draft)
                if next_start is None and not final:
                    deadline = draft.t_end + self._settling.max_ns + self._settling.quiet_ns
                    if not (horizon > deadline and watermark > deadline):
                        break
                step = self._acted(draft, next_start, last=final and len(queue) == 1)
            queue.popleft()
            self._prev = step
            self._index += 1
            out.append(step)
        return out

    def _next_start(self, draft: Draft) -> int | None:
        for other in self._queue:
            if other.first_seq is not None and other.t_start > draft.t_end:
                return other.t_start
        return None

    def _tags(self, draft: Draft) -> tuple[str, ...]:
        tag = self.rules.synthetic_tag
        return (tag,) if draft.synthetic and tag else ()

    def _wait(self, draft: Draft) -> Step:
        tl = self.timeline
        if self._prev is not None:
            before = self._prev.after_frame
        else:
            before = tl.frame_before(draft.t_start)
        after = tl.last_frame() if draft.gap_end is None else tl.frame_before(draft.gap_end)
        return Step(
            index=self._index,
            action=draft.action,
            t_start=draft.t_start,
            t_end=draft.t_end,
            before_frame=before,
            after_frame=after,
            window=tl.window_at(draft.t_start),
            tags=self._tags(draft),
        )

    def after_frame(self, t_end: int, next_start: int | None) -> FrameId | None:
        tl, settling = self.timeline, self._settling
        s = t_end  # the last change that kept the screen from settling
        for t, fraction in tl.changes(t_end, t_end + settling.max_ns):
            if not settling.counts(fraction):
                continue
            if t - s > settling.quiet_ns or (next_start is not None and t >= next_start):
                break
            s = t
        if next_start is not None and next_start <= s + settling.quiet_ns:
            return tl.frame_before(next_start)
        return tl.frame_at_or_before(settling.settled_at(t_end, s))

    def _acted(self, draft: Draft, next_start: int | None, last: bool = False) -> Step:
        tl = self.timeline
        before = tl.frame_before(draft.t_start)
        after = self.after_frame(draft.t_end, next_start)
        reason = self._decision(draft, before)
        prev = self._prev_acted
        notes = tl.notes(None if prev is None else prev.t_start, None if last else draft.t_start)
        window_upto = draft.t_end + self._settling.max_ns
        step = Step(
            index=self._index,
            action=draft.action,
            t_start=draft.t_start,
            t_end=draft.t_end,
            first_seq=draft.first_seq,
            last_seq=draft.last_seq,
            before_frame=before,
            after_frame=after,
            window=tl.window_of_action(draft.t_start, window_upto, self.rules.own_apps),
            element=tl.element_of_action(draft.t_start),
            decision_point=reason is not None,
            decision_reason=reason,
            note="\n".join(notes),
            tags=self._tags(draft),
        )
        self._prev_acted = step
        return step

    def _decision(self, draft: Draft, before: FrameId | None) -> str | None:
        rules, tl, prev = self.rules, self.timeline, self._prev_acted
        if prev is None:
            if rules.decide_first:
                return "first"
            if rules.decide_on_mark and tl.marked(None, draft.t_start):
                return "marked"
            return None
        if rules.decide_on_mark and tl.marked(prev.t_start, draft.t_start):
            return "marked"
        pause = rules.decision_pause_ms
        if pause is not None and draft.t_start - prev.t_end >= pause * MS:
            return "pause"
        threshold = rules.decision_screen_change
        if threshold is not None:
            lo = tl.frame_time(prev.after_frame)
            hi = tl.frame_time(before)
            lo = prev.t_end if lo is None else lo
            hi = draft.t_start if hi is None else hi
            if hi > lo and tl.max_change(lo, hi) >= threshold:
                return "screen_change"
        return None
