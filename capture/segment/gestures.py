"""From raw input to actions: clicks, drags, wheel bursts, typing, keys, hotkeys, hovers, waits.

A state machine fed one raw event at a time, in order. At most one pointer
gesture, one wheel burst and one keyboard run are open at once; each closes
when an event arrives that cannot join it, or when its time runs out. Closed
actions leave as ``Draft``s in the order of their first raw event, once no open
gesture could still come before them.
"""

from __future__ import annotations

import heapq

from capture.events import MODIFIERS, EventKind, RawEvent
from capture.segment.context import SegmentContext
from capture.segment.draft import Draft, OrderKey, Span
from capture.segment.keyboard import Keyboard
from capture.segment.path import simplify_path
from capture.segment.rules import MS, SegmentationRules
from capture.segment.steps import Action

CLICK_TYPES = {1: "click", 2: "double_click", 3: "triple_click"}


class Press(Span):
    """Clicks of one button at one place, or a press still held."""

    __slots__ = (
        "button",
        "chain_end",
        "count",
        "excursion2",
        "extra",
        "held",
        "modifiers",
        "points",
        "press",
        "press_t",
        "x",
        "y",
    )

    def __init__(self, e: RawEvent, modifiers: tuple[str, ...]) -> None:
        super().__init__(e)
        self.button = e.button or "left"
        self.modifiers = modifiers
        self.x, self.y = e.x or 0, e.y or 0
        self.count = 0
        self.extra: set[str] = set()
        self.chain_end: tuple[int, int] | None = None
        self.start_press(e)

    def start_press(self, e: RawEvent) -> None:
        self.held = True
        self.press = Span(e)
        self.press_t = e.t_ns
        self.points: list[tuple[int, int]] = [(e.x or 0, e.y or 0)]
        self.excursion2 = 0


class Wheel(Span):
    __slots__ = ("dx", "dy", "x", "y")

    def __init__(self, e: RawEvent) -> None:
        super().__init__(e)
        self.x, self.y = e.x or 0, e.y or 0
        self.dx, self.dy = e.dx, e.dy


def _opposite(a: int, b: int) -> bool:
    return (a > 0 and b < 0) or (a < 0 and b > 0)


class Rest:
    """The pointer and keyboard since the last raw event: a possible hover or wait."""

    __slots__ = ("hover", "seq", "t", "x", "y")

    def __init__(self, e: RawEvent, hover: bool, x: int | None, y: int | None) -> None:
        self.t, self.seq, self.hover, self.x, self.y = e.t_ns, e.seq, hover, x, y


class Gestures:
    def __init__(self, rules: SegmentationRules, timeline: SegmentContext) -> None:
        self.rules = rules
        self.timeline = timeline
        self._dbl_ns = rules.double_click_ms * MS
        self._dbl2 = rules.double_click_px**2
        self._jitter2 = rules.click_jitter_px**2
        self._drag2 = rules.drag_threshold_px**2
        self._scroll_gap = rules.scroll_gap_ms * MS
        self._scroll2 = rules.scroll_radius_px**2
        self._rest2 = rules.rest_radius_px**2
        self._hover_ns = rules.hover_ms * MS
        self._wait_ns = rules.wait_ms * MS
        self._quiet_ns = min(self._hover_ns, self._wait_ns)
        self.pointer: Press | None = None
        self.wheel: Wheel | None = None
        self.keyboard = Keyboard(rules, timeline, self._emit)
        self._rest: Rest | None = None
        self._px: int | None = None
        self._py: int | None = None
        self._heap: list[tuple[OrderKey, Draft]] = []

    # -- output

    def _emit(self, draft: Draft) -> None:
        heapq.heappush(self._heap, (draft.order, draft))

    def ready(self) -> list[Draft]:
        """Closed actions that nothing still open can precede, in order."""
        floor = self._open_floor()
        out: list[Draft] = []
        while self._heap and (floor is None or self._heap[0][0] < floor):
            out.append(heapq.heappop(self._heap)[1])
        return out

    def _open_floor(self) -> OrderKey | None:
        keys = [g.order for g in (self.pointer, self.wheel) if g is not None]
        kb = self.keyboard.open_order()
        if kb is not None:
            keys.append(kb)
        return min(keys) if keys else None

    def horizon(self, limit: int) -> int:
        """No action that has not left yet can start before this time (<= ``limit``)."""
        h = limit
        floor = self._open_floor()
        if floor is not None:
            h = min(h, floor[0])
        if self._heap:
            h = min(h, self._heap[0][0][0])
        if self._rest is not None and self._rest.hover:
            h = min(h, self._rest.t)
        return h

    # -- time

    def expire(self, now: int) -> None:
        """Close what no event at or after ``now`` could still join."""
        p = self.pointer
        if p is not None and not p.held and p.press_t + self._dbl_ns < now:
            self._close_pointer()
        w = self.wheel
        if w is not None and w.last_t + self._scroll_gap < now:
            self._close_wheel()
        self.keyboard.expire(now)

    def finish(self) -> None:
        """The recording ended: close everything.

        The last pause is left alone: a hover or a wait is judged only once the
        next input ends the pause, and after the last input nothing does.
        """
        self._rest = None
        self._close_all()
        if self.pointer is not None:  # still held: what happened so far
            p = self.pointer
            self.pointer = None
            self._emit_press(p, p.press.last_t, p.press.last_seq)

    # -- input

    def feed(self, e: RawEvent) -> None:
        if e.synthetic and self.rules.drop_synthetic:
            return
        kind = e.kind
        if kind is EventKind.MOVE:
            # Moves neither join nor end a timed action, so what expired is
            # closed at the next other event, in the same order.
            self._move(e)
            return
        self.expire(e.t_ns)
        if kind is EventKind.KEY_DOWN or kind is EventKind.KEY_UP:
            self._after_rest(e, hover=False)
            if kind is EventKind.KEY_DOWN:
                self._key_down(e)
            else:
                self.keyboard.key_up(e)
        elif kind is EventKind.PRESS:
            self._after_rest(e, hover=False)
            self._press(e)
        elif kind is EventKind.RELEASE:
            self._after_rest(e, hover=False)
            self._release(e)
        elif kind is EventKind.SCROLL:
            self._after_rest(e, hover=False)
            self._scroll(e)

    def _after_rest(self, e: RawEvent, hover: bool) -> None:
        if e.x is not None and e.y is not None:
            self._px, self._py = e.x, e.y
        r = self._rest
        if r is None:
            self._rest = Rest(e, hover, self._px, self._py)
            return
        if e.t_ns - r.t >= self._quiet_ns:
            self._resolve_rest(r, e.t_ns, e)
        r.t, r.seq, r.hover, r.x, r.y = e.t_ns, e.seq, hover, self._px, self._py

    def _own(self, e: RawEvent) -> bool:
        return (
            bool(self.rules.own_windows)
            and e.x is not None
            and e.y is not None
            and self.rules.on_own_window(e.x, e.y, e.t_ns)
        )

    def _move(self, e: RawEvent) -> None:
        p = self.pointer
        held = p is not None and p.held
        r = self._rest
        if (
            r is not None
            and r.x is not None
            and r.y is not None
            and e.x is not None
            and e.y is not None
            and (e.x - r.x) ** 2 + (e.y - r.y) ** 2 <= self._rest2
        ):
            self._px, self._py = e.x, e.y  # jitter: the rest goes on
        else:
            self._after_rest(e, hover=not held and not self._own(e))
        if p is not None and p.held:
            x, y = e.x or 0, e.y or 0
            p.points.append((x, y))
            d2 = (x - p.points[0][0]) ** 2 + (y - p.points[0][1]) ** 2
            if d2 > p.excursion2:
                p.excursion2 = d2
            p.extend(e)
            p.press.extend(e)

    def _press(self, e: RawEvent) -> None:
        p = self.pointer
        if p is not None and p.held:  # another button during a press: part of it
            if e.button != p.button:
                p.extra.add(e.button or "")
            p.extend(e)
            return
        if self._own(e):
            self._close_all()
            return
        self.keyboard.close()
        self.keyboard.pointer_pressed(e.t_ns)
        self._close_wheel()
        mods = tuple(m for m in MODIFIERS if m in e.modifiers)
        if p is not None:
            dx, dy = (e.x or 0) - p.x, (e.y or 0) - p.y
            if (
                e.button == p.button
                and mods == p.modifiers
                and e.t_ns - p.press_t <= self._dbl_ns
                and dx * dx + dy * dy <= self._dbl2
                and p.count < 3
            ):
                p.chain_end = (p.last_t, p.last_seq)
                p.extend(e)
                p.start_press(e)
                return
            self._close_pointer()
        self.pointer = Press(e, mods)

    def _release(self, e: RawEvent) -> None:
        p = self.pointer
        if p is None or not p.held:
            return  # its press was not part of the demonstration
        if e.button != p.button:
            if e.button in p.extra:
                p.extend(e)
            return
        p.extend(e)
        p.press.extend(e)
        x = e.x if e.x is not None else p.points[-1][0]
        y = e.y if e.y is not None else p.points[-1][1]
        p.points.append((x, y))
        sx, sy = p.points[0]
        d2 = (x - sx) ** 2 + (y - sy) ** 2
        if d2 <= self._jitter2 and p.excursion2 <= self._drag2:
            p.held = False
            p.count += 1
            p.chain_end = None
            if p.count == 3:
                self._close_pointer()
            return
        self.pointer = None
        self._emit_press(p, e.t_ns, e.seq)

    def _emit_press(self, p: Press, t_end: int, last_seq: int) -> None:
        """A press that moved too far (or never came up): a drag, after the clicks before it."""
        if p.count:
            end_t, end_seq = p.chain_end if p.chain_end is not None else (p.last_t, p.last_seq)
            self._emit(self._click_draft(p, end_t, end_seq))
        press = p.press
        path = simplify_path(p.points, self.rules.drag_simplify_px)
        action = Action.make("drag", path=path, button=p.button, modifiers=p.modifiers)
        self._emit(
            Draft(action, press.first_t, t_end, press.first_seq, last_seq, press.order, p.synthetic)
        )

    def _click_draft(self, p: Press, end_t: int, end_seq: int) -> Draft:
        action = Action.make(
            CLICK_TYPES[p.count], x=p.x, y=p.y, button=p.button, modifiers=p.modifiers
        )
        return Draft(action, p.first_t, end_t, p.first_seq, end_seq, p.order, p.synthetic)

    def _scroll(self, e: RawEvent) -> None:
        p = self.pointer
        held = p is not None and p.held
        if not held and self._own(e):
            self._close_all()
            return
        self.keyboard.close()
        if not held:
            self._close_pointer()
        w = self.wheel
        if w is not None:
            dx, dy = (e.x or 0) - w.x, (e.y or 0) - w.y
            if (
                e.t_ns - w.last_t <= self._scroll_gap
                and dx * dx + dy * dy <= self._scroll2
                and not _opposite(e.dx, w.dx)
                and not _opposite(e.dy, w.dy)
            ):
                w.dx += e.dx
                w.dy += e.dy
                w.extend(e)
                return
            self._close_wheel()
        self.wheel = Wheel(e)

    def _key_down(self, e: RawEvent) -> None:
        if self.keyboard.is_modifier(e):
            self.keyboard.modifier_down(e)
            return
        p = self.pointer
        if p is not None and not p.held:
            self._close_pointer()
        self._close_wheel()
        if not self.keyboard.key_down(e):  # not part of the demonstration
            self._close_all()

    # -- closing

    def _close_pointer(self) -> None:
        p = self.pointer
        if p is None or p.held:
            return
        self.pointer = None
        if p.count:
            self._emit(self._click_draft(p, p.last_t, p.last_seq))

    def _close_wheel(self) -> None:
        w = self.wheel
        if w is None:
            return
        self.wheel = None
        self._emit(w.draft(Action.make("scroll", x=w.x, y=w.y, dx=w.dx, dy=w.dy)))

    def _close_all(self) -> None:
        self._close_pointer()
        self._close_wheel()
        self.keyboard.close()

    # -- pauses: hovers that matter and waits

    def _resolve_rest(self, r: Rest, t_b: int, e_b: RawEvent) -> None:
        if t_b - r.t < self._quiet_ns:
            return
        if self.pointer is not None and self.pointer.held:
            return
        tl = self.timeline
        if tl.paused(r.t, t_b):
            return
        rules = self.rules
        if r.hover and t_b - r.t >= self._hover_ns and not self._clicked_there(r, e_b):
            calm = tl.max_change(r.t - rules.settle_ms * MS, r.t) < rules.hover_min_change
            changed = tl.last_change_before(r.t, t_b, rules.hover_min_change) is not None
            if calm and changed and r.x is not None and r.y is not None:
                self._close_all()
                action = Action.make("move", x=r.x, y=r.y)
                self._emit(Draft(action, r.t, r.t, r.seq, r.seq, (r.t, r.seq, 0)))
                return
        if t_b - r.t >= self._wait_ns:
            last = tl.last_change_before(r.t, t_b, rules.wait_min_change)
            if last is not None and last - r.t >= self._wait_ns:
                self._close_all()
                seconds = round((last - r.t) / 1e9, 3)
                action = Action.make("wait", seconds=seconds)
                self._emit(Draft(action, r.t, last, None, None, (r.t, r.seq, 1), gap_end=t_b))

    def _clicked_there(self, r: Rest, e: RawEvent) -> bool:
        """The pause ends with a press where the pointer rested: the click says it all."""
        if e.kind is not EventKind.PRESS or e.x is None or e.y is None:
            return False
        if r.x is None or r.y is None:
            return False
        return (e.x - r.x) ** 2 + (e.y - r.y) ** 2 <= self._jitter2
