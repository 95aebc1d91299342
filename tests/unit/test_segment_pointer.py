"""Clicks, double and triple clicks, buttons, modifiers, drags, own windows."""

from factories import Script, acts, click_at

from capture.segment import OwnWindow, SegmentationRules, segment


def test_press_and_release_in_place_is_a_click():
    assert acts(Script().click(100, 200).events) == [click_at(100, 200)]


def test_glide_before_a_click_is_not_a_step():
    s = Script().glide(0, 0, 640, 480).click(640, 480)
    assert acts(s.events) == [click_at(640, 480)]


def test_a_few_pixels_of_jitter_is_still_a_click():
    s = Script().press(100, 100).move(102, 103).move(103, 101).release(104, 102)
    assert acts(s.events) == [click_at(100, 100)]


def test_release_beyond_the_jitter_is_a_drag():
    s = Script().press(100, 100).move(104, 104).release(108, 104)
    (action,) = acts(s.events)
    assert action["type"] == "drag"
    assert action["path"] == [[100, 100], [108, 104]]


def test_wandering_far_and_coming_back_is_a_drag():
    s = Script().press(100, 100).move(130, 100).move(130, 130).move(101, 101).release()
    (action,) = acts(s.events)
    assert action["type"] == "drag"
    assert action["path"][0] == [100, 100] and action["path"][-1] == [101, 101]
    assert [130, 130] in action["path"]


def test_double_and_triple_clicks_within_the_os_interval():
    s = Script().clicks(2, 50, 50).wait(1000).clicks(3, 80, 80)
    assert acts(s.events) == [
        click_at(50, 50, kind="double_click"),
        click_at(80, 80, kind="triple_click"),
    ]


def test_two_slow_clicks_at_one_place_are_two_clicks():
    s = Script().clicks(2, 50, 50, interval_ms=700)
    assert acts(s.events) == [click_at(50, 50), click_at(50, 50)]


def test_the_sessions_stored_interval_decides():
    events = Script().clicks(2, 50, 50, interval_ms=700).events
    assert acts(events, double_click_ms=800) == [click_at(50, 50, kind="double_click")]


def test_two_quick_clicks_at_different_places_are_two_clicks():
    s = Script().click(50, 50).click(70, 50, gap_ms=40)
    assert acts(s.events) == [click_at(50, 50), click_at(70, 50)]


def test_double_click_distance_comes_from_the_session():
    s = Script().click(50, 50).click(53, 53, gap_ms=40)
    assert acts(s.events) == [click_at(50, 50, kind="double_click")]
    assert acts(s.events, double_click_px=2) == [click_at(50, 50), click_at(53, 53)]


def test_a_fourth_quick_click_starts_a_new_click():
    s = Script().clicks(4, 50, 50)
    assert acts(s.events) == [click_at(50, 50, kind="triple_click"), click_at(50, 50)]


def test_right_and_middle_buttons():
    s = Script().click(10, 10, "right").wait(600).click(20, 20, "middle")
    assert acts(s.events) == [click_at(10, 10, "right"), click_at(20, 20, "middle")]


def test_left_then_right_quickly_are_two_clicks():
    s = Script().click(10, 10).click(10, 10, "right", gap_ms=30)
    assert acts(s.events) == [click_at(10, 10), click_at(10, 10, "right")]


def test_ctrl_click_is_a_click_with_modifiers_not_a_hotkey():
    s = Script().key_down("ctrl").click(300, 300).key_up("ctrl")
    assert acts(s.events) == [click_at(300, 300, modifiers=["ctrl"])]


def test_shift_ctrl_click_lists_modifiers_in_canonical_order():
    s = Script().key_down("shift").key_down("ctrl").click(3, 3).key_up("ctrl").key_up("shift")
    assert acts(s.events) == [click_at(3, 3, modifiers=["ctrl", "shift"])]


def test_a_plain_click_then_a_ctrl_click_are_not_a_double_click():
    s = Script().click(5, 5).key_down("ctrl", gap_ms=5).click(5, 5, gap_ms=5).key_up("ctrl")
    assert acts(s.events) == [click_at(5, 5), click_at(5, 5, modifiers=["ctrl"])]


def test_drag_path_is_simplified_and_keeps_press_and_release():
    s = Script().drag(0, 0, 300, 150, steps=30)
    (action,) = acts(s.events)
    assert action["path"] == [[0, 0], [300, 150]]
    assert action["button"] == "left" and action["modifiers"] == []


def test_slow_drag_with_a_corner_keeps_the_corner():
    s = Script().press(0, 0)
    for i in range(1, 21):
        s.move(i * 10, 0, 50)
    for i in range(1, 21):
        s.move(200, i * 10, 50)
    s.release(200, 200, gap_ms=50)
    (action,) = acts(s.events)
    assert action["path"] == [[0, 0], [200, 0], [200, 200]]


def test_right_button_drag_with_shift():
    s = Script().key_down("shift").drag(0, 0, 50, 50, button="right").key_up("shift")
    (action,) = acts(s.events)
    assert (action["type"], action["button"], action["modifiers"]) == ("drag", "right", ["shift"])


def test_double_click_then_drag_selects_words_two_steps():
    s = Script().click(10, 10).press(10, 10, gap_ms=50).move(60, 10).release(90, 10)
    actions = acts(s.events)
    assert actions[0] == click_at(10, 10)
    assert actions[1]["type"] == "drag" and actions[1]["path"][0] == [10, 10]


def test_press_never_released_is_a_drag_up_to_the_end():
    s = Script().press(0, 0).move(40, 0).move(80, 0)
    (action,) = acts(s.events)
    assert action["type"] == "drag" and action["path"] == [[0, 0], [80, 0]]


def test_raw_event_range_covers_press_to_release():
    s = Script().move(1, 1).click(5, 5).move(9, 9)
    (step,) = segment(s.events)
    assert (step.first_seq, step.last_seq) == (1, 2)
    assert (step.t_start, step.t_end) == (s.events[1].t_ns, s.events[2].t_ns)


def test_clicks_on_own_windows_are_dropped():
    bar = OwnWindow(left=0, top=0, width=100, height=40)
    s = Script().click(50, 20).click(500, 500, gap_ms=600).scroll(x=10, y=10)
    rules = SegmentationRules(own_windows=(bar,))
    assert [st.action.to_json() for st in segment(s.events, rules=rules)] == [click_at(500, 500)]


def test_own_window_only_counts_while_it_is_shown():
    bar = OwnWindow(left=0, top=0, width=100, height=40, t_from=0, t_to=50_000_000)
    s = Script().click(50, 20, gap_ms=100)
    rules = SegmentationRules(own_windows=(bar,))
    assert [st.action.type for st in segment(s.events, rules=rules)] == ["click"]


def test_drag_ending_over_own_window_is_still_a_drag():
    bar = OwnWindow(left=0, top=0, width=100, height=40)
    s = Script().drag(300, 300, 50, 20)
    steps = segment(s.events, rules=SegmentationRules(own_windows=(bar,)))
    assert [st.action.type for st in steps] == ["drag"]
    assert steps[0].action["path"][-1] == (50, 20)


def test_synthetic_events_can_be_dropped_or_tagged():
    s = Script(synthetic=True).click(5, 5)
    assert segment(s.events, rules=SegmentationRules(drop_synthetic=True)) == []
    (step,) = segment(s.events)
    assert step.tags == ("injected_fault",)
