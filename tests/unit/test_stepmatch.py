"""The step matcher used to score segmentation against a scripted ground truth."""

from __future__ import annotations

from typing import Any

import pytest

from capture.segment.steps import Action
from scripted.stepmatch import align, matches, score


def click(x: int, y: int, button: str = "left", mods: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "click", "x": x, "y": y, "button": button, "modifiers": list(mods)}


def test_positions_match_within_the_tolerance_on_each_axis() -> None:
    assert matches(click(100, 100), click(106, 94))
    assert not matches(click(100, 100), click(107, 100))
    assert not matches(click(100, 100), click(100, 100), tol_px=-1)


def test_clicks_need_the_same_button_and_modifiers_in_any_order() -> None:
    assert not matches(click(1, 1), click(1, 1, "right"))
    assert not matches(click(1, 1, mods=("ctrl",)), click(1, 1))
    assert matches(click(1, 1, mods=("ctrl", "shift")), click(1, 1, mods=("shift", "ctrl")))
    double = {**click(1, 1), "type": "double_click"}
    assert not matches(double, click(1, 1))
    assert matches(double, dict(double))


def test_type_key_and_hotkey() -> None:
    assert matches({"type": "type", "text": "Hello"}, {"type": "type", "text": "Hello"})
    assert not matches({"type": "type", "text": "Hello"}, {"type": "type", "text": "Helo"})
    assert matches({"type": "key", "keys": ["Tab"]}, {"type": "key", "keys": ["Tab"], "repeat": 1})
    assert not matches(
        {"type": "key", "keys": ["Tab"]}, {"type": "key", "keys": ["Tab"], "repeat": 2}
    )
    assert matches(
        {"type": "hotkey", "keys": ["ctrl", "shift", "Left"]},
        {"type": "hotkey", "keys": ["shift", "ctrl", "Left"]},
    )
    assert not matches(
        {"type": "hotkey", "keys": ["ctrl", "shift", "Left"]},
        {"type": "hotkey", "keys": ["ctrl", "Left"]},
    )
    assert not matches({"type": "key", "keys": ["Tab"]}, {"type": "hotkey", "keys": ["Tab"]})


def test_scroll_drag_move_wait() -> None:
    wheel = {"type": "scroll", "x": 10, "y": 10, "dx": 0, "dy": 3}
    assert matches(wheel, {**wheel, "x": 14})
    assert not matches(wheel, {**wheel, "dy": 2})
    assert not matches(wheel, {**wheel, "dx": 1})
    drag = {"type": "drag", "path": [[0, 0], [50, 5], [100, 0]], "button": "left", "modifiers": []}
    assert matches(drag, {**drag, "path": [[2, 1], [99, 3]]})
    assert not matches(drag, {**drag, "path": [[0, 0], [90, 0]]})
    assert not matches(drag, {**drag, "button": "right"})
    assert matches({"type": "move", "x": 5, "y": 5}, {"type": "move", "x": 8, "y": 5})
    assert matches({"type": "wait", "seconds": 3.0}, {"type": "wait", "seconds": 5.2})
    assert not matches(click(1, 1), {"type": "mouse.down", "x": 1, "y": 1})


def test_matching_keeps_order() -> None:
    truth = [click(1, 1), {"type": "type", "text": "a"}, click(1, 1)]
    got = [{"type": "type", "text": "a"}, click(1, 1)]
    assert align(truth, got) == [(1, 0), (2, 1)]
    # A swapped pair can only keep one of the two.
    assert len(align([click(1, 1), click(50, 50)], [click(50, 50), click(1, 1)])) == 1


def test_precision_recall_f1() -> None:
    truth = [click(1, 1), {"type": "type", "text": "ab"}, {"type": "key", "keys": ["Return"]}]
    got = [click(2, 2), {"type": "type", "text": "a"}, {"type": "type", "text": "b"}]
    got.append({"type": "key", "keys": ["Return"], "repeat": 1})
    s = score(truth, got)
    assert (s.truth, s.got, s.matched) == (3, 4, 2)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert s.missed == [{"type": "type", "text": "ab"}]
    assert len(s.extra) == 2
    assert "missed" in s.explain() and "extra" in s.explain()


def test_perfect_and_empty() -> None:
    truth = [click(1, 1), {"type": "hotkey", "keys": ["ctrl", "s"]}]
    assert score(truth, truth).f1 == 1.0
    assert score([], []).f1 == 1.0
    assert score(truth, []).f1 == 0.0
    assert score([], truth).f1 == 0.0


def test_steps_from_the_segmenter_score_through_their_json() -> None:
    got = [Action.make("click", x=3, y=4, button="left", modifiers=("ctrl",)).to_json()]
    assert score([click(3, 4, mods=("ctrl",))], got).f1 == 1.0
