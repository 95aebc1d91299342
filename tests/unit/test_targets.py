"""Where actions landed: segmentation takes the press's window and element; the lookup worker."""

from __future__ import annotations

import threading
from typing import Any

from factories import Script

from capture.accessibility import Element, ElementLookup, is_password
from capture.events import EventKind, RawEvent, Target, WindowChange
from capture.segment import LiveSegmenter, segment
from capture.targets import TargetLookup
from capture.window import WindowInfo
from capture.writer import ObservedEvent

BUTTON = {"role": "push button", "name": "OK", "states": ["focusable"], "bbox": [0, 0, 9, 9]}


def presses(events: list[RawEvent]) -> list[RawEvent]:
    return [e for e in events if e.kind in (EventKind.PRESS, EventKind.KEY_DOWN)]


def test_a_step_takes_the_window_and_element_of_its_press_over_the_polled_window():
    s = Script().at(1000).click(5, 5).at(3000).click(7, 7)
    _, second = presses(s.events)
    # The poller still saw the old window when the second click activated another one.
    windows = [WindowChange(0, "Old", "old-app")]
    targets = [Target(second.t_ns, {"title": "New", "app": "new-app", "id": 2}, BUTTON)]
    steps = segment(s.events, windows=windows, targets=targets)
    assert [(st.window.title if st.window else None) for st in steps] == ["Old", "New"]
    assert steps[0].element is None and steps[1].element == BUTTON
    assert steps[1].to_json()["element"] == BUTTON


def test_live_and_batch_agree_on_targets():
    s = Script().at(1000).click(5, 5).at(2000).type("hi")
    targets = [
        Target(e.t_ns, {"title": f"w{e.t_ns}", "app": "a"}, {"reason": "no accessibility bus"})
        for e in presses(s.events)
    ]
    live = LiveSegmenter()
    live.add_targets(targets)
    live.add_events(s.events)
    got = live.flush()
    assert [st.to_json() for st in got] == [
        st.to_json() for st in segment(s.events, targets=targets)
    ]
    assert got[1].element == {"reason": "no accessibility bus"}


def test_password_is_read_from_role_or_state():
    assert is_password({"role": "password text", "states": []})
    assert is_password({"role": "text", "states": ["password"]})
    assert not is_password({"role": "text", "states": ["editable"]})
    assert not is_password({"reason": "no answer in time"})


class FakeWindows:
    def __init__(self) -> None:
        self.window = WindowInfo(7, "Login", "app", 42)

    def at(self, x: int, y: int) -> WindowInfo | None:
        return self.window

    def focused(self) -> WindowInfo | None:
        return self.window

    def closed_popup_at(self, x: int, y: int, since: float) -> WindowInfo | None:
        return None

    def opened_since(self, x: int, y: int, since: float) -> bool:
        return False

    def watch(self) -> None:
        pass

    def close(self) -> None:
        pass


class FakeElements:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def at_point(self, x: int, y: int, window: Any, timeout_s: float) -> ElementLookup:
        self.asked.append(f"point {x},{y}")
        role = "password text" if x == 1 else "push button"
        return ElementLookup(Element(role, "f", ("focusable",), (0, 0, 5, 5), ((role, "f"),)))

    def focused(self, window: Any, timeout_s: float) -> ElementLookup:
        self.asked.append("focus")
        return ElementLookup(None, "no answer in time")

    def close(self) -> None:
        pass


def run_lookup(events: list[RawEvent]) -> tuple[list[ObservedEvent], FakeElements, list[bool]]:
    out: list[ObservedEvent] = []
    signals: list[bool] = []
    elements = FakeElements()
    lookup = TargetLookup(
        FakeWindows,  # type: ignore[arg-type]
        lambda _w: elements,
        out.append,
        signals.append,
    )
    lookup.start()
    for e in events:
        lookup.put(ObservedEvent(e))
    lookup.stop()
    return out, elements, signals


def test_lookup_passes_every_event_on_in_order_and_targets_presses_and_key_downs():
    s = Script().at(1000).click(1, 1).type("ab").click(3, 3)
    out, elements, signals = run_lookup(s.events)
    assert [o.event for o in out] == s.events
    targeted = [o for o in out if o.target is not None]
    assert [o.event for o in targeted] == presses(s.events)
    assert all(o.target and o.target.window == FakeWindows().window.to_json() for o in targeted)
    # Typing right after clicking a focusable field reuses its element: no lookup per key.
    assert elements.asked == ["point 1,1", "point 3,3"]
    keys = [o for o in targeted if o.event.kind is EventKind.KEY_DOWN]
    assert all(
        o.target and o.target.element and o.target.element["role"] == "password text" for o in keys
    )
    # Into the password field, then out of it.
    assert signals == [True, False]


def test_a_tab_makes_the_next_key_look_the_focus_up_again():
    s = Script().at(1000).click(3, 3).tap("Tab", None).type("x")
    out, elements, _ = run_lookup(s.events)
    assert elements.asked == ["point 3,3", "focus"]
    last = [o for o in out if o.target is not None][-1]
    assert last.target is not None and last.target.element == {"reason": "no answer in time"}


def test_lookup_never_runs_on_the_caller_thread():
    seen: list[str] = []

    class Watching(FakeWindows):
        def at(self, x: int, y: int) -> WindowInfo | None:
            seen.append(threading.current_thread().name)
            return self.window

    lookup = TargetLookup(Watching, None, lambda _o: None)  # type: ignore[arg-type]
    lookup.start()
    lookup.put(ObservedEvent(RawEvent(1, EventKind.PRESS, 1, 1, "left")))
    lookup.stop()
    assert seen == ["demotrace-targets"]
