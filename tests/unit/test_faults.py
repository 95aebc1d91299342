"""Fault plans: what is sent in place of step K, and what is recorded about it."""

from __future__ import annotations

import pytest

from capture.segment.steps import Action, Step, click, hotkey, key, type_text
from replay.faults import Fault, FaultError, keys_action, plan_fault, typo


def at(action: Action, index: int = 3) -> Step:
    return Step(index=index, action=action, t_start=0, t_end=1)


def test_skip_sends_nothing() -> None:
    plan = plan_fault(at(click(10, 20)), Fault("skip"))
    assert plan.actions == () and plan.dialog_text is None
    assert plan.record == {"kind": "skip", "at": 3, "action": click(10, 20).to_json()}


def test_offset_moves_the_pointer() -> None:
    plan = plan_fault(at(click(10, 20, "right")), Fault("offset", offset=(5, -7)))
    assert plan.actions == (click(15, 13, "right"),)
    assert plan.record["dx"] == 5 and plan.record["dy"] == -7


def test_offset_moves_a_whole_drag() -> None:
    drag = Action.make("drag", path=[[0, 0], [10, 10]], button="left", modifiers=[])
    (moved,) = plan_fault(at(drag), Fault("offset", offset=(1, 2))).actions
    assert moved["path"] == ((1, 2), (11, 12))


def test_offset_refuses_a_keyboard_step() -> None:
    with pytest.raises(FaultError, match="offset needs a pointer step; step 3 is type"):
        plan_fault(at(type_text("abc")), Fault("offset"))


@pytest.mark.parametrize(
    ("how", "text", "typed", "position"),
    [
        ("drop", "hello", "helo", 2),
        ("double", "hello", "helllo", 2),
        ("swap", "hello", "hlelo", 1),
        ("swap", "aab", "aba", 1),
        ("drop", "x", "", 0),
    ],
)
def test_typos(how: str, text: str, typed: str, position: int) -> None:
    assert typo(text, how) == (typed, position)


def test_a_typo_that_leaves_nothing_sends_nothing() -> None:
    plan = plan_fault(at(type_text("x")), Fault("typo", typo="drop"))
    assert plan.actions == ()
    assert plan.record["typed"] == ""


def test_typo_refusals() -> None:
    with pytest.raises(FaultError, match="fewer than two"):
        plan_fault(at(type_text("a")), Fault("typo", typo="swap"))
    with pytest.raises(FaultError, match="all the same"):
        typo("aaa", "swap")
    with pytest.raises(FaultError, match="typo needs a typing step"):
        plan_fault(at(click(1, 1)), Fault("typo"))


def test_wrong_key_near_misses_and_given_keys() -> None:
    assert plan_fault(at(key("Return")), Fault("wrong-key")).actions == (key("Escape"),)
    assert plan_fault(at(hotkey("ctrl", "s")), Fault("wrong-key")).actions == (hotkey("ctrl", "t"),)
    plan = plan_fault(at(click(1, 1)), Fault("wrong-key", key="ctrl+w"))
    assert plan.actions == (hotkey("ctrl", "w"),)
    assert plan.record["key"] == "ctrl+w"
    with pytest.raises(FaultError, match="needs a key or hotkey step"):
        plan_fault(at(click(1, 1)), Fault("wrong-key"))


def test_keys_action() -> None:
    assert keys_action("Escape") == key("Escape")
    assert keys_action("ctrl+shift+t") == hotkey("ctrl", "shift", "t")
    with pytest.raises(FaultError):
        keys_action("a+b")


def test_dialog_shows_text_and_sends_nothing() -> None:
    plan = plan_fault(at(click(1, 1)), Fault("dialog", dialog_text="Network error"))
    assert plan.actions == () and plan.dialog_text == "Network error"
    assert plan.record["text"] == "Network error"


def test_unknown_kinds() -> None:
    with pytest.raises(FaultError, match="unknown fault"):
        Fault("explode")
    with pytest.raises(FaultError, match="unknown typo"):
        Fault("typo", typo="shout")
