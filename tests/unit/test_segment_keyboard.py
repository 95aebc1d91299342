"""Typing runs, BackSpace, lone modifiers, keys, repeats, hotkeys, control hotkeys."""

from factories import Script, acts, click_at

from capture.events import WindowChange
from capture.segment import SegmentationRules, segment


def typed(text: str) -> dict[str, object]:
    return {"type": "type", "text": text}


def key(*keys: str, repeat: int = 1) -> dict[str, object]:
    return {"type": "key", "keys": list(keys), "repeat": repeat}


def hotkey(*keys: str) -> dict[str, object]:
    return {"type": "hotkey", "keys": list(keys)}


def test_a_run_of_printable_keys_is_one_type_step():
    assert acts(Script().type("hello world").events) == [typed("hello world")]


def test_shift_and_symbols_are_typing():
    assert acts(Script().type('Hi! "A_b" (x+y)?').events) == [typed('Hi! "A_b" (x+y)?')]


def test_backspace_inside_the_run_edits_the_text():
    assert acts(Script().type("hellp\bo, wrd\b\bord").events) == [typed("hello, word")]


def test_backspace_at_the_start_of_a_run_is_a_key_step():
    assert acts(Script().key("BackSpace").type("ab").events) == [key("BackSpace"), typed("ab")]


def test_backspace_past_the_start_of_the_run_is_a_key_step():
    assert acts(Script().type("ab\b\b\b").events) == [key("BackSpace")]


def test_text_typed_and_erased_again_leaves_no_type_step():
    assert acts(Script().type("x\b").events) == []


def test_lone_modifiers_are_not_steps():
    s = Script().key("ctrl").key("shift").key("alt").key("super")
    assert acts(s.events) == []


def test_lone_modifier_inside_a_run_does_not_split_it():
    assert acts(Script().type("ab").key("ctrl").type("cd").events) == [typed("abcd")]


def test_non_printable_keys_are_key_steps():
    s = Script().key("Return").key("Tab", gap_ms=700).key("Escape", gap_ms=700)
    s.key("Delete", gap_ms=700).key("F5", gap_ms=700).key("Left", gap_ms=700)
    assert acts(s.events) == [
        key("Return"),
        key("Tab"),
        key("Escape"),
        key("Delete"),
        key("F5"),
        key("Left"),
    ]


def test_repeated_presses_of_one_key_merge_with_a_count():
    s = Script().key("Down", times=4).key("Up", gap_ms=100)
    assert acts(s.events) == [key("Down", repeat=4), key("Up")]


def test_repeats_apart_in_time_stay_separate():
    s = Script().key("Down").key("Down", gap_ms=900)
    assert acts(s.events) == [key("Down"), key("Down")]


def test_repeat_merging_can_be_turned_off():
    s = Script().key("Down", times=3)
    assert acts(s.events, merge_key_repeats=False) == [key("Down")] * 3


def test_auto_repeat_downs_without_ups_merge():
    s = Script().key_down("Right").key_down("Right", gap_ms=33).key_down("Right", gap_ms=33)
    assert acts(s.key_up("Right").events) == [key("Right", repeat=3)]


def test_return_ends_the_typing_run():
    s = Script().type("one").key("Return").type("two")
    assert acts(s.events) == [typed("one"), key("Return"), typed("two")]


def test_space_is_typing():
    assert acts(Script().tap("space", " ").events) == [typed(" ")]
    assert acts(Script().tap("space", None).events) == [typed(" ")]


def test_shift_with_a_non_printable_key_is_a_key_step_with_shift():
    s = Script().key_down("shift").tap("Tab").key_up("shift")
    assert acts(s.events) == [key("shift", "Tab")]


def test_ctrl_combination_is_a_hotkey():
    assert acts(Script().hotkey("ctrl", "s").events) == [hotkey("ctrl", "s")]


def test_hotkey_with_shift_lists_every_key_in_press_order():
    s = Script().hotkey("ctrl", "shift", "Left").hotkey("shift", "ctrl", "Right")
    assert acts(s.events) == [hotkey("ctrl", "shift", "Left"), hotkey("shift", "ctrl", "Right")]


def test_hotkey_letter_under_shift_is_named_in_lower_case():
    s = Script().key_down("ctrl").key_down("shift").tap("T", "T").key_up("shift").key_up("ctrl")
    assert acts(s.events) == [hotkey("ctrl", "shift", "t")]


def test_alt_and_super_make_hotkeys():
    s = Script().hotkey("alt", "F4").hotkey("super", "e")
    assert acts(s.events) == [hotkey("alt", "F4"), hotkey("super", "e")]


def test_modifier_held_before_recording_started_comes_first():
    s = Script(held=["ctrl"]).tap("c", "c")
    assert acts(s.events) == [hotkey("ctrl", "c")]


def test_one_held_modifier_many_keys_are_many_hotkeys():
    s = Script().key_down("ctrl").tap("c").tap("v").key_up("ctrl")
    assert acts(s.events) == [hotkey("ctrl", "c"), hotkey("ctrl", "v")]


def test_hotkey_inside_typing_ends_the_run():
    s = Script().type("ab").hotkey("ctrl", "a").type("c")
    assert acts(s.events) == [typed("ab"), hotkey("ctrl", "a"), typed("c")]


def test_ctrl_backspace_is_a_hotkey_not_an_edit():
    s = Script().type("word").hotkey("ctrl", "BackSpace")
    assert acts(s.events) == [typed("word"), hotkey("ctrl", "BackSpace")]


def test_a_click_ends_the_typing_run():
    s = Script().type("ab").click(5, 5).type("cd")
    assert acts(s.events) == [typed("ab"), click_at(5, 5), typed("cd")]


def test_pointer_moves_do_not_end_the_typing_run():
    s = Script().type("ab").move(5, 5).move(50, 50).type("cd")
    assert acts(s.events) == [typed("abcd")]


def test_a_long_pause_ends_the_typing_run():
    s = Script().type("ab").wait(3500).type("cd")
    assert acts(s.events) == [typed("ab"), typed("cd")]


def test_keys_typed_while_the_mouse_button_is_held_come_after_the_drag():
    s = Script().press(0, 0).move(100, 0).tap("Escape").move(200, 0).release(200, 0)
    assert [a["type"] for a in acts(s.events)] == ["drag", "key"]


def test_stop_hotkey_is_not_a_step():
    s = Script().type("ab").hotkey("ctrl", "alt", "s")
    assert acts(s.events) == [typed("ab")]
    rules = SegmentationRules(control_hotkeys=("ctrl+shift+F12",))
    s = Script().hotkey("ctrl", "alt", "s").hotkey("ctrl", "shift", "F12")
    assert [st.action.to_json() for st in segment(s.events, rules=rules)] == [
        hotkey("ctrl", "alt", "s")
    ]


def test_stop_hotkey_splits_the_run_around_it():
    s = Script().type("ab").hotkey("ctrl", "alt", "m").type("cd")
    assert acts(s.events) == [typed("ab"), typed("cd")]


def test_keys_typed_into_own_windows_are_dropped():
    s = Script().type("ab", gap_ms=100)
    windows = [WindowChange(0, "Note", "demotrace"), WindowChange(s.t + 1, "Editor", "gedit")]
    s.type("cd")
    steps = segment(s.events, windows=windows)
    assert [st.action.to_json() for st in steps] == [typed("cd")]
    assert steps[0].window is not None and steps[0].window.app == "gedit"


def test_type_step_range_and_times():
    s = Script().type("ab")
    (step,) = segment(s.events)
    downs = [e for e in s.events if e.kind == "key_down"]
    assert (step.t_start, step.t_end) == (downs[0].t_ns, downs[-1].t_ns)
    assert (step.first_seq, step.last_seq) == (downs[0].seq, downs[-1].seq)
