"""Before/after frames, window context, hovers, waits and decision points."""

from factories import MS, Script

from capture.events import Marker, WindowChange
from capture.segment import SegmentationRules, segment

SEC = 1000 * MS


def frames_every(ms: int, until_ms: int) -> list[tuple[int, int]]:
    """Frame ids are their time in ms, so tests read which frame was picked."""
    return [(t, t * MS) for t in range(0, until_ms + 1, ms)]


# -- before and after


def test_before_is_the_last_frame_strictly_before_the_first_event():
    s = Script().at(1000).click(10, 10, gap_ms=0)  # press at exactly 1000 ms
    (step,) = segment(s.events, frames=frames_every(100, 5000))
    assert step.before_frame == 900


def test_after_is_the_frame_once_the_screen_settled():
    s = Script().at(1000).click(10, 10, gap_ms=0)  # release at 1060 ms
    changes = [(1100 * MS, 0.2), (1300 * MS, 0.1), (2500 * MS, 0.3)]
    frames = [(0, 0), (1100, 1100 * MS), (1300, 1300 * MS), (2500, 2500 * MS)]
    (step,) = segment(s.events, frames=frames, screen_changes=changes)
    assert (step.before_frame, step.after_frame) == (0, 1300)


def test_after_ignores_noise_while_settling():
    s = Script().at(1000).click(10, 10, gap_ms=0)
    changes = [(1100 * MS, 0.2), (1400 * MS, 0.00001), (1500 * MS, 0.00001)]
    frames = [(0, 0), (1100, 1100 * MS), (1400, 1400 * MS), (1500, 1500 * MS)]
    (step,) = segment(s.events, frames=frames, screen_changes=changes)
    assert step.after_frame == 1500  # same picture as 1100 up to noise; the latest one


def test_after_has_an_upper_bound_when_the_screen_never_settles():
    s = Script().at(1000).click(10, 10, gap_ms=0)
    changes = [(t * MS, 0.05) for t in range(1100, 9000, 100)]
    (step,) = segment(s.events, frames=frames_every(100, 9000), screen_changes=changes)
    assert step.after_frame == 4000  # release at 1060 + 3000 ms, last frame before 4060


def test_after_is_the_next_steps_before_when_it_starts_first():
    s = Script().at(1000).click(10, 10, gap_ms=0).click(300, 300, gap_ms=200)
    changes = [(1100 * MS, 0.2), (1250 * MS, 0.2)]
    steps = segment(s.events, frames=frames_every(50, 3000), screen_changes=changes)
    assert steps[0].after_frame == steps[1].before_frame == 1250


def test_no_frames_means_no_observations():
    (step,) = segment(Script().click(1, 1).events)
    assert (step.before_frame, step.after_frame) == (None, None)


# -- window


def test_window_is_the_active_one_when_the_step_started():
    s = Script().at(1000).click(1, 1).at(3000).type("x")
    windows = [WindowChange(0, "Files", "nautilus"), WindowChange(2000 * MS, "Doc", "gedit")]
    steps = segment(s.events, windows=windows)
    assert [(w.title, w.app) for w in (st.window for st in steps) if w] == [
        ("Files", "nautilus"),
        ("Doc", "gedit"),
    ]


# -- hover and wait


def hover_scene(change_at_ms: int, change: float = 0.05) -> tuple[Script, list]:
    s = Script().glide(0, 0, 400, 40)  # pointer comes to rest on a menu title
    rest = s.t // MS
    s.wait(1500).glide(400, 40, 420, 200).click(420, 200)
    return s, [((rest + change_at_ms) * MS, change)]


def test_hover_that_opens_a_menu_is_a_move_step():
    s, changes = hover_scene(200)
    steps = segment(s.events, screen_changes=changes)
    assert [st.action.to_json() for st in steps] == [
        {"type": "move", "x": 400, "y": 40},
        {"type": "click", "x": 420, "y": 200, "button": "left", "modifiers": []},
    ]


def test_resting_without_screen_change_is_not_a_step():
    s, _ = hover_scene(200)
    assert [st.action.type for st in segment(s.events)] == ["click"]


def test_small_changes_while_resting_are_not_a_hover():
    s, changes = hover_scene(200, change=0.001)
    assert [st.action.type for st in segment(s.events, screen_changes=changes)] == ["click"]


def test_short_rest_is_not_a_hover():
    s, changes = hover_scene(200)
    rules = SegmentationRules(hover_ms=2000)
    steps = segment(s.events, screen_changes=changes, rules=rules)
    assert [st.action.type for st in steps] == ["click"]


def test_screen_already_changing_when_the_pointer_stopped_is_not_a_hover():
    s, changes = hover_scene(200)
    earlier = changes[0][0] - 300 * MS
    steps = segment(s.events, screen_changes=[(earlier, 0.05), *changes])
    assert [st.action.type for st in steps] == ["click"]


def test_rest_ending_in_a_click_on_the_spot_is_just_the_click():
    s = Script().glide(0, 0, 400, 40)
    rest = s.t
    s.wait(1500).click(401, 41)
    steps = segment(s.events, screen_changes=[(rest + 200 * MS, 0.05)])
    assert [st.action.type for st in steps] == ["click"]


def test_waiting_for_the_screen_is_a_wait_step():
    s = Script().click(10, 10)
    t = s.t
    s.wait(6000).click(50, 50)
    changes = [(t + i * 250 * MS, 0.01) for i in range(1, 19)]  # loading for 4.5 s
    steps = segment(s.events, screen_changes=changes, frames=frames_every(250, 7000))
    assert [st.action.type for st in steps] == ["click", "wait", "click"]
    wait = steps[1]
    assert wait.action["seconds"] == 4.5
    assert (wait.first_seq, wait.last_seq) == (None, None)
    assert (wait.t_start, wait.t_end) == (t, t + 4500 * MS)
    assert wait.before_frame == steps[0].after_frame
    assert wait.after_frame == steps[2].before_frame
    assert not wait.decision_point


def test_a_long_pause_after_the_screen_settled_is_not_a_wait():
    s = Script().click(10, 10)
    t = s.t
    s.wait(6000).click(50, 50)
    steps = segment(s.events, screen_changes=[(t + 300 * MS, 0.2)])
    assert [st.action.type for st in steps] == ["click", "click"]


def test_moving_the_mouse_a_little_while_waiting_is_still_a_wait():
    s = Script().click(10, 10)
    t = s.t
    s.move(11, 10, 2000).move(12, 11, 2000).wait(2000).click(50, 50)
    changes = [(t + i * 500 * MS, 0.01) for i in range(1, 10)]
    assert [st.action.type for st in segment(s.events, screen_changes=changes)] == [
        "click",
        "wait",
        "click",
    ]


def test_a_wait_ends_the_typing_run_around_it():
    s = Script().type("ab")
    t = s.t
    s.wait(5000).type("cd")
    changes = [(t + i * 400 * MS, 0.01) for i in range(1, 11)]
    rules = SegmentationRules(typing_gap_ms=10_000)
    steps = segment(s.events, screen_changes=changes, rules=rules)
    assert [st.action.type for st in steps] == ["type", "wait", "type"]


def test_no_wait_across_a_recording_pause():
    s = Script().click(10, 10)
    t = s.t
    s.wait(6000).click(50, 50)
    changes = [(t + i * 250 * MS, 0.01) for i in range(1, 19)]
    markers = [Marker(t + 100 * MS, "pause"), Marker(t + 5000 * MS, "resume")]
    steps = segment(s.events, screen_changes=changes, markers=markers)
    assert [st.action.type for st in steps] == ["click", "click"]


# -- decision points


def test_the_screen_changing_after_the_last_input_is_not_a_wait():
    s = Script().click(10, 10)
    changes = [(s.t + i * 250 * MS, 0.01) for i in range(1, 40)]
    assert [st.action.type for st in segment(s.events, screen_changes=changes)] == ["click"]


def test_first_step_is_a_decision_point():
    steps = segment(Script().click(1, 1).click(100, 100, gap_ms=500).events)
    assert [(st.decision_point, st.decision_reason) for st in steps] == [
        (True, "first"),
        (False, None),
    ]


def test_step_after_a_pause_is_a_decision_point():
    steps = segment(Script().click(1, 1).click(100, 100, gap_ms=3200).events)
    assert steps[1].decision_reason == "pause"
    rules = SegmentationRules(decision_pause_ms=None)
    assert not segment(Script().click(1, 1).click(9, 9, gap_ms=3200).events, rules=rules)[
        1
    ].decision_point


def test_step_after_a_big_screen_change_is_a_decision_point():
    s = Script().click(1, 1).click(100, 100, gap_ms=1500)
    t = s.events[1].t_ns
    frames = frames_every(100, 3000)
    small = segment(s.events, frames=frames, screen_changes=[(t + 100 * MS, 0.05)])
    big = segment(s.events, frames=frames, screen_changes=[(t + 1000 * MS, 0.4)])
    assert not small[1].decision_point
    assert big[1].decision_reason == "screen_change"


def test_marked_step_is_a_decision_point():
    s = Script().click(1, 1).click(100, 100, gap_ms=500).click(200, 200, gap_ms=500)
    mark = Marker(s.events[2].t_ns + 10 * MS, "mark", "why")  # during the second click
    steps = segment(s.events, markers=[mark])
    assert [st.decision_reason for st in steps] == ["first", None, "marked"]


def test_decision_rules_can_be_turned_off():
    rules = SegmentationRules(decide_first=False)
    (step,) = segment(Script().click(1, 1).events, rules=rules)
    assert not step.decision_point
