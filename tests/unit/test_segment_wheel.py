"""Wheel bursts into scroll steps."""

from factories import Script, acts


def scroll(x: int, y: int, dx: int, dy: int) -> dict[str, object]:
    return {"type": "scroll", "x": x, "y": y, "dx": dx, "dy": dy}


def test_consecutive_notches_at_one_place_add_up():
    assert acts(Script().scroll(dy=1, x=10, y=10, notches=5).events) == [scroll(10, 10, 0, 5)]


def test_up_is_negative():
    assert acts(Script().scroll(dy=-1, x=10, y=10, notches=2).events) == [scroll(10, 10, 0, -2)]


def test_a_new_burst_after_a_pause_is_a_new_step():
    s = Script().scroll(dy=1, x=5, y=5, notches=3).wait(600).scroll(dy=1, notches=2)
    assert acts(s.events) == [scroll(5, 5, 0, 3), scroll(5, 5, 0, 2)]


def test_a_burst_at_another_place_is_a_new_step():
    s = Script().scroll(dy=1, x=5, y=5, notches=2).scroll(dy=1, x=400, y=5, notches=2)
    assert acts(s.events) == [scroll(5, 5, 0, 2), scroll(400, 5, 0, 2)]


def test_small_pointer_drift_stays_in_the_burst():
    s = Script().scroll(dy=1, x=5, y=5).scroll(dy=1, x=12, y=9)
    assert acts(s.events) == [scroll(5, 5, 0, 2)]


def test_horizontal_wheel():
    s = Script().scroll(dy=0, dx=1, x=5, y=5, notches=3).wait(600).scroll(dy=0, dx=-1)
    assert acts(s.events) == [scroll(5, 5, 3, 0), scroll(5, 5, -1, 0)]


def test_reversing_direction_starts_a_new_step():
    s = Script().scroll(dy=1, x=5, y=5, notches=3).scroll(dy=-1, notches=1)
    assert acts(s.events) == [scroll(5, 5, 0, 3), scroll(5, 5, 0, -1)]


def test_typing_or_clicking_ends_the_burst():
    s = Script().scroll(dy=1, x=5, y=5).type("a").scroll(dy=1).click(5, 5).scroll(dy=1)
    assert [a["type"] for a in acts(s.events)] == ["scroll", "type", "scroll", "click", "scroll"]


def test_scroll_threshold_is_configurable():
    s = Script().scroll(dy=1, x=5, y=5).wait(300).scroll(dy=1)
    assert acts(s.events) == [scroll(5, 5, 0, 2)]
    assert acts(s.events, scroll_gap_ms=200) == [scroll(5, 5, 0, 1), scroll(5, 5, 0, 1)]
