from capture.events import EventKind, RawEvent
from capture.own_windows import OwnWindows
from capture.screen import Rect


def ev(kind: EventKind, x: int, y: int, button: str | None = None) -> RawEvent:
    return RawEvent(0, kind, x=x, y=y, button=button)


def test_pointer_input_on_own_windows_is_dropped_in_pairs() -> None:
    own = OwnWindows()
    own.set([Rect(1000, 100, 300, 200)])
    assert own.drops(ev(EventKind.PRESS, 1010, 110, "left"))
    assert own.drops(ev(EventKind.MOVE, 500, 500))  # dragged out while held
    assert own.drops(ev(EventKind.RELEASE, 500, 500, "left"))  # its release goes too
    assert not own.drops(ev(EventKind.MOVE, 500, 500))
    assert not own.drops(ev(EventKind.PRESS, 500, 500, "left"))
    assert not own.drops(ev(EventKind.RELEASE, 1010, 110, "left"))  # press was outside: kept
    assert own.drops(ev(EventKind.SCROLL, 1200, 250))
    assert not own.drops(RawEvent(0, EventKind.KEY_DOWN, key="a", char="a"))


def test_windows_can_move() -> None:
    own = OwnWindows()
    assert not own.drops(ev(EventKind.PRESS, 10, 10, "left"))
    own.set([Rect(0, 0, 50, 50)])
    assert own.drops(ev(EventKind.PRESS, 10, 10, "right"))
