"""Actions and steps: the vocabulary contract and the JSON form of a step."""

import pytest

from capture.segment import Action, Step, StepFormatError, Window
from capture.segment.path import simplify_path
from capture.segment.steps import LATER_KEYS, STEP_KEYS, click, hotkey, key, type_text


def a_step(**kw: object) -> Step:
    base: dict = dict(
        index=0,
        action=click(5, 6),
        t_start=10,
        t_end=20,
        first_seq=3,
        last_seq=4,
        before_frame=7,
        after_frame=8,
        window=Window("Doc", "gedit"),
        decision_point=True,
        decision_reason="first",
    )
    return Step(**{**base, **kw})


def test_step_json_has_exactly_the_contract_keys():
    data = a_step(note="opens the file", tags=("mistake",), comments=("ok",)).to_json()
    assert tuple(data) == STEP_KEYS + LATER_KEYS
    assert all(data[k] in (None, "") for k in LATER_KEYS)
    assert data["action"] == {"type": "click", "x": 5, "y": 6, "button": "left", "modifiers": []}
    assert data["window"] == {"title": "Doc", "app": "gedit"}
    assert (data["note"], data["draft_note"], data["outcome"]) == ("opens the file", "", "unknown")
    assert data["tags"] == ["mistake"] and data["comments"] == ["ok"]


def test_step_json_round_trips_with_and_without_the_event_range():
    step = a_step(draft_note="model text", outcome="success")
    assert Step.from_json(step.to_json(with_events=True)) == step
    assert Step.from_json(step.to_json()) == step.evolve(first_seq=None, last_seq=None)


def test_every_action_type_round_trips():
    actions = [
        click(1, 2, "right", ("ctrl",)),
        Action.make("double_click", x=1, y=2, button="left", modifiers=[]),
        Action.make("triple_click", x=1, y=2, button="middle", modifiers=["alt", "shift"]),
        Action.make("drag", path=[[0, 0], [5, 5]], button="left", modifiers=[]),
        Action.make("scroll", x=1, y=2, dx=-1, dy=3),
        type_text("héllo"),
        key("Return", repeat=2),
        hotkey("ctrl", "shift", "Left"),
        Action.make("move", x=3, y=4),
        Action.make("wait", seconds=2.5),
    ]
    for action in actions:
        assert Action.from_json(action.to_json()) == action


@pytest.mark.parametrize(
    "data, message",
    [
        ({"type": "tap", "x": 1}, "unknown action type"),
        ({"type": "click", "x": 1, "y": 2, "button": "left"}, "missing \\['modifiers'\\]"),
        ({"type": "type", "text": "a", "extra": 1}, "unknown \\['extra'\\]"),
        ({"type": "click", "x": 1, "y": 2, "button": "side", "modifiers": []}, "button"),
        ({"type": "click", "x": 1.5, "y": 2, "button": "left", "modifiers": []}, "integer"),
        ({"type": "hotkey", "keys": []}, "non-empty"),
        ({"type": "key", "keys": ["a"], "repeat": 0}, "at least 1"),
        ({"type": "drag", "path": [[1, 1]], "button": "left", "modifiers": []}, "two"),
        ({"type": "click", "x": 1, "y": 2, "button": "left", "modifiers": ["meta"]}, "modifiers"),
        ({"type": "wait", "seconds": -1}, "non-negative"),
    ],
)
def test_reading_is_strict(data: dict, message: str):
    with pytest.raises(StepFormatError, match=message):
        Action.from_json(data)


def test_step_refuses_unknown_keys_and_bad_annotation():
    data = a_step().to_json()
    with pytest.raises(StepFormatError, match="unknown \\['colour'\\]"):
        Step.from_json({**data, "colour": "red"})
    with pytest.raises(StepFormatError, match="missing \\['note'\\]"):
        Step.from_json({k: v for k, v in data.items() if k != "note"})
    with pytest.raises(StepFormatError, match="outcome"):
        a_step(outcome="great")
    with pytest.raises(StepFormatError, match="tags"):
        a_step(tags=("typo",))
    with pytest.raises(StepFormatError, match="ends"):
        a_step(t_start=30, t_end=20)


def test_action_fields_by_name():
    action = click(5, 6)
    assert (action["x"], action["y"], action.fields["button"]) == (5, 6, "left")
    assert action.with_fields(x=9)["x"] == 9


def test_simplify_path_keeps_ends_and_corners():
    line = [(i, i) for i in range(20)]
    assert simplify_path(line, 2.0) == [(0, 0), (19, 19)]
    corner = [(i, 0) for i in range(11)] + [(10, i) for i in range(1, 11)]
    assert simplify_path(corner, 2.0) == [(0, 0), (10, 0), (10, 10)]
    assert simplify_path([(3, 3), (3, 3)], 2.0) == [(3, 3), (3, 3)]
    wobble = [(0, 0), (5, 1), (10, 0)]
    assert simplify_path(wobble, 2.0) == [(0, 0), (10, 0)]
    assert simplify_path(wobble, 0.5) == wobble
