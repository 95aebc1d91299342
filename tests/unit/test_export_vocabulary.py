"""Every native action, in every format: mapped, valid for its consumer, or listed as unmapped."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydantic
from openai.types.responses import ResponseComputerToolCall

from capture.events import RawEvent
from capture.segment import Action, Step
from replay.trajectory import FrameInfo, Screen, TaskInfo, Trajectory
from tests.exports import DATASET_FORMATS, export
from tests.unit.test_export_computer_use import INPUTS

ACTIONS = [
    Action.make("click", x=10, y=20, button="left", modifiers=("ctrl", "shift")),
    Action.make("click", x=10, y=20, button="right", modifiers=()),
    Action.make("click", x=10, y=20, button="middle", modifiers=()),
    Action.make("double_click", x=30, y=40, button="left", modifiers=()),
    Action.make("triple_click", x=30, y=40, button="left", modifiers=()),
    Action.make("drag", path=((1, 2), (50, 60), (90, 95)), button="left", modifiers=()),
    Action.make("scroll", x=50, y=50, dx=-2, dy=0),
    Action.make("scroll", x=50, y=50, dx=0, dy=-4),
    Action.make("type", text='it\'s "quoted"\nand a new line'),
    Action.make("key", keys=("Return",), repeat=3),
    Action.make("key", keys=("shift", "Tab"), repeat=1),
    Action.make("hotkey", keys=("super", "Page_Down")),
    Action.make("move", x=99, y=99),
    Action.make("wait", seconds=2.5),
]


class Frames:
    def rgb(self, frame: str) -> np.ndarray:
        img = np.zeros((100, 100, 3), np.uint8)
        img[:, :, 0] = int(frame[1:]) * 10
        return img


@dataclass
class Source:
    trajectory: Trajectory
    frames: Frames

    def events(self) -> Iterator[RawEvent]:
        return iter(())


def source() -> Source:
    steps = tuple(
        Step(i, a, i * 10**9, i * 10**9 + 1, before_frame=f"f{i}", after_frame=f"f{i + 1}")
        for i, a in enumerate(ACTIONS)
    )
    frames = {f"f{i}": FrameInfo(f"f{i}", i, 0, 0, 100, 100) for i in range(len(ACTIONS) + 1)}
    traj = Trajectory(
        session_id="a" * 32,
        task=TaskInfo("Every action"),
        created_at="2026-01-01T00:00:00+00:00",
        duration_s=20,
        screen=Screen(0, 0, 100, 100),
        platform="Linux",
        app_version="0.1.0",
        annotator="ann",
        fps=10,
        double_click_ms=400,
        double_click_px=5,
        steps=steps,
        frames=frames,
    )
    return Source(traj, Frames())


def test_every_format_takes_every_action(tmp_path: Path) -> None:
    for fmt in DATASET_FORMATS:
        export(fmt, [source()], tmp_path / fmt)


def test_agentnet_every_action_is_code(tmp_path: Path) -> None:
    out = export("agentnet", [source()], tmp_path / "out")
    record = json.loads((out / "trajectories.jsonl").read_text())
    codes = [t["value"]["code"] for t in record["traj"]]
    for code in codes:
        ast.parse(code)
    assert codes[0].splitlines() == [
        "pyautogui.keyDown('ctrl')",
        "pyautogui.keyDown('shift')",
        "pyautogui.click(x=0.1000, y=0.2000)",
        "pyautogui.keyUp('shift')",
        "pyautogui.keyUp('ctrl')",
    ]
    assert codes[2] == "pyautogui.middleClick(x=0.1000, y=0.2000)"
    assert codes[4] == "computer.triple_click(x=0.3000, y=0.4000)"
    assert codes[6].splitlines()[1] == "pyautogui.hscroll(-2)"
    assert codes[7].splitlines()[1] == "pyautogui.scroll(4)"  # up 4
    assert (
        ast.literal_eval(ast.parse(codes[8]).body[0].value.keywords[0].value) == ACTIONS[8]["text"]
    )  # type: ignore[attr-defined]
    assert codes[9] == "pyautogui.press('enter', presses=3)"
    assert codes[10] == "pyautogui.hotkey('shift', 'tab')"
    assert codes[11] == "pyautogui.hotkey('win', 'pagedown')"
    assert codes[13] == "computer.wait(seconds=2.5)"


def test_anthropic_every_action_in_the_tool(tmp_path: Path) -> None:
    out = export("anthropic", [source()], tmp_path / "out")
    convo = json.loads((out / "conversations.jsonl").read_text())
    inputs = [
        b["input"] for m in convo["messages"] for b in m["content"] if b["type"] == "tool_use"
    ][1:]
    for given in inputs:
        INPUTS[given["action"]].model_validate({k: v for k, v in given.items() if k != "action"})
    assert [i["action"] for i in inputs] == [
        "left_click", "right_click", "middle_click", "double_click", "triple_click",
        "left_click_drag", "scroll", "scroll", "type", "key", "key", "key", "mouse_move", "wait",
    ]  # fmt: skip
    assert inputs[0]["text"] == "ctrl+shift"
    assert inputs[6]["scroll_direction"] == "left" and inputs[6]["scroll_amount"] == 2
    assert inputs[7]["scroll_direction"] == "up"
    assert inputs[9]["text"] == "Return Return Return"
    assert inputs[10]["text"] == "shift+Tab"
    assert inputs[13]["duration"] == 3  # whole seconds, rounded up


def test_openai_every_action_validates(tmp_path: Path) -> None:
    out = export("openai", [source()], tmp_path / "out")
    record = json.loads((out / "items.jsonl").read_text())
    calls = [i for i in record["input"] if i["type"] == "computer_call"]
    for call in calls:
        ResponseComputerToolCall.model_validate(call)
    triple = calls[4]["actions"]
    assert [a["type"] for a in triple] == ["double_click", "click"]
    assert calls[2]["action"]["button"] == "wheel"
    assert calls[0]["action"]["keys"] == ["CTRL", "SHIFT"]
    assert calls[6]["action"]["scroll_x"] == -200
    assert len(calls[9]["actions"]) == 3  # Return three times


def test_uitars_lists_what_it_cannot_say(tmp_path: Path) -> None:
    out = export("uitars", [source()], tmp_path / "out")
    record = json.loads((out / "uitars.jsonl").read_text())
    assert record["unmapped_steps"] == [2, 4, 12]  # middle click, triple click, move
    actions = {s["index"]: s["action"] for s in record["steps"]}
    assert sorted(actions) == [0, 1, 3, 5, 6, 7, 8, 9, 10, 11, 13, 14]  # 14: finished
    assert actions[8] == "type(content='it\\'s \"quoted\"\\nand a new line')"
    assert actions[1].startswith("right_single(") and actions[3].startswith("left_double(")
    assert actions[10] == "hotkey(key='shift tab')" and actions[13] == "wait()"


def test_validation_error_is_a_pydantic_error() -> None:
    # the models reject what they should: a wrong action would not pass silently
    try:
        INPUTS["scroll"].model_validate({"scroll_direction": "sideways", "scroll_amount": 1})
    except pydantic.ValidationError:
        return
    raise AssertionError("an unknown scroll direction validated")
