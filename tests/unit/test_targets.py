"""Where actions landed: segmentation takes the press's window and element; the lookup worker."""

from __future__ import annotations

import threading
from typing import Any

from factories import Script

from capture.accessibility import Element, ElementLookup, is_password
from capture.events import EventKind, RawEvent, Target, WindowChange
from capture.privacy.secret import SECRET_PLACEHOLDER
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

    def focus_moved_since(self, since: float, timeout_s: float) -> bool:
        self.asked.append("wait for focus")
        return False

    def close(self) -> None:
        pass


class LateFocus(FakeElements):
    """Says the focus is in a password field only once the focus news came."""

    def __init__(self) -> None:
        super().__init__()
        self.moved = False

    def focus_moved_since(self, since: float, timeout_s: float) -> bool:
        self.asked.append("wait for focus")
        self.moved = True
        return True

    def focused(self, window: Any, timeout_s: float) -> ElementLookup:
        self.asked.append("focus")
        role = "password text" if self.moved else "text"
        return ElementLookup(Element(role, "f", ("focusable",), (0, 0, 5, 5), ((role, "f"),)))


def run_lookup(
    events: list[RawEvent], elements: FakeElements | None = None
) -> tuple[list[ObservedEvent], FakeElements, list[bool]]:
    out: list[ObservedEvent] = []
    signals: list[bool] = []
    elements = elements or FakeElements()
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
    s = Script().at(1000).click(3, 3).type("ab").click(5, 5)
    out, elements, signals = run_lookup(s.events)
    assert [o.event for o in out] == s.events
    targeted = [o for o in out if o.target is not None]
    assert [o.event for o in targeted] == presses(s.events)
    assert all(o.target and o.target.window == FakeWindows().window.to_json() for o in targeted)
    # Typing right after clicking a focusable field reuses its element: no lookup per key.
    assert elements.asked == ["point 3,3", "point 5,5"]
    keys = [o for o in targeted if o.event.kind is EventKind.KEY_DOWN]
    assert all(
        o.target and o.target.element and o.target.element["role"] == "push button" for o in keys
    )
    assert signals == []


def test_typing_in_a_password_field_is_filed_as_secret():
    s = Script().at(1000).click(1, 1).type("ab").click(3, 3).type("c")
    out, elements, signals = run_lookup(s.events)
    assert elements.asked == ["point 1,1", "point 3,3"]
    downs = [o for o in out if o.event.kind is EventKind.KEY_DOWN]
    # One placeholder for the password, even had secret mode not been on yet.
    assert [o.event.key for o in downs] == [SECRET_PLACEHOLDER, "c"]
    assert downs[0].target and downs[0].target.element
    assert downs[0].target.element["role"] == "password text"
    assert not {o.event.char for o in out} & {"a", "b"}
    # Into the password field, then out of it.
    assert signals == [True, False]


def test_a_tab_makes_the_next_key_look_the_focus_up_again():
    s = Script().at(1000).click(3, 3).tap("Tab", None).type("x")
    out, elements, _ = run_lookup(s.events)
    assert elements.asked == ["point 3,3", "wait for focus", "focus"]
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


def test_keys_typed_before_the_focus_news_of_a_password_field_are_kept_secret():
    # The keys come on the heels of Tab: the lookup waits for the application to say
    # where the focus went, finds a password field and files the typing as secret.
    s = Script().at(1000).click(3, 3).tap("Tab", None).type("ab").tap("Tab", None).type("c")
    out, elements, signals = run_lookup(s.events, LateFocus())
    assert elements.asked[:3] == ["point 3,3", "wait for focus", "focus"]
    downs = [o.event.key for o in out if o.event.kind is EventKind.KEY_DOWN]
    assert downs == ["Tab", SECRET_PLACEHOLDER, "Tab", SECRET_PLACEHOLDER]
    assert not {o.event.char for o in out} & {"a", "b", "c"}
    assert signals == [True]


def test_a_hotkey_lands_where_its_modifier_went_down_though_it_moved_the_focus():
    # alt+Tab: the window manager moves the focus on Tab, before the worker reads it.
    before, after = WindowInfo(1, "Before", "a", 10), WindowInfo(2, "After", "b", 11)

    class Switching(FakeWindows):
        def __init__(self) -> None:
            super().__init__()
            self.asked = 0

        def focused(self) -> WindowInfo | None:
            self.asked += 1
            return before if self.asked == 1 else after

    out: list[ObservedEvent] = []
    lookup = TargetLookup(Switching, lambda _w: FakeElements(), out.append)  # type: ignore[arg-type]
    lookup.start()
    s = Script().at(1000).hotkey("alt", "Tab").wait(500).type("x").hotkey("ctrl", "s")
    for e in s.events:
        lookup.put(ObservedEvent(e))
    lookup.stop()
    downs = [o for o in out if o.event.kind is EventKind.KEY_DOWN]
    assert [o.event.key for o in downs] == ["alt", "Tab", "x", "ctrl", "s"]
    titles = [o.target.window["title"] if o.target and o.target.window else None for o in downs]
    # Typing after it, and the next hotkey, land in the window it switched to.
    assert titles == ["Before", "Before", "After", "After", "After"]
