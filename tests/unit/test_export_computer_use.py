"""Anthropic and OpenAI computer-use exports, validated by each SDK's own types."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pydantic
import pytest
from anthropic.types import MessageParam
from anthropic.types.beta import (
    BETA_COMPUTER_MEMBER_NAME_VALUES,
    BetaComputerDoubleClickInput,
    BetaComputerKeyInput,
    BetaComputerLeftClickDragInput,
    BetaComputerLeftClickInput,
    BetaComputerMiddleClickInput,
    BetaComputerMouseMoveInput,
    BetaComputerRightClickInput,
    BetaComputerScreenshotInput,
    BetaComputerScrollInput,
    BetaComputerTripleClickInput,
    BetaComputerTypeInput,
    BetaComputerWaitInput,
    BetaToolComputerUse20250124,
)
from openai.types.responses import (
    ComputerUsePreviewTool,
    EasyInputMessage,
    ResponseComputerToolCall,
    ResponseComputerToolCallOutputItem,
    ResponseOutputMessage,
    ResponseReasoningItem,
)

from capture.store.database import Database
from tests.exports import DRAFT, NOTE, annotated, export

INPUTS: dict[str, type[pydantic.BaseModel]] = {
    "left_click": BetaComputerLeftClickInput,
    "right_click": BetaComputerRightClickInput,
    "middle_click": BetaComputerMiddleClickInput,
    "double_click": BetaComputerDoubleClickInput,
    "triple_click": BetaComputerTripleClickInput,
    "left_click_drag": BetaComputerLeftClickDragInput,
    "scroll": BetaComputerScrollInput,
    "type": BetaComputerTypeInput,
    "key": BetaComputerKeyInput,
    "mouse_move": BetaComputerMouseMoveInput,
    "wait": BetaComputerWaitInput,
    "screenshot": BetaComputerScreenshotInput,
}


def _png_size(data: bytes) -> tuple[int, int]:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None
    return img.shape[1], img.shape[0]


def _anthropic(db: Database, out: Path, **kw: Any) -> dict[str, Any]:
    export(
        "anthropic",
        [annotated(db, width=kw.pop("width", 320), height=kw.pop("height", 200))],
        out,
        **kw,
    )
    (line,) = (out / "conversations.jsonl").read_text().splitlines()
    return json.loads(line)


def test_anthropic_messages_validate_and_coordinates_lie_in_the_screenshot(
    db: Database, tmp_path: Path
) -> None:
    convo = _anthropic(db, tmp_path / "out")
    (tool,) = convo["tools"]
    BetaToolComputerUse20250124.model_validate(tool)
    assert (tool["display_width_px"], tool["display_height_px"]) == (320, 200)
    adapter = pydantic.TypeAdapter(MessageParam)
    messages = convo["messages"]
    actions = []
    for message in messages:
        adapter.validate_python(message)
    roles = [m["role"] for m in messages]
    assert roles == ["user"] + ["assistant", "user"] * 7 + ["assistant"]
    assert all(b["type"] == "text" for b in messages[-1]["content"])  # the end: no tool call
    calls = {b["id"]: b for m in messages for b in m["content"] if b["type"] == "tool_use"}
    for m in messages:
        for block in m["content"]:
            if block["type"] == "tool_use":
                action = block["input"]["action"]
                assert action in BETA_COMPUTER_MEMBER_NAME_VALUES
                INPUTS[action].model_validate(
                    {k: v for k, v in block["input"].items() if k != "action"}
                )
                actions.append(action)
            if block["type"] == "tool_result":
                assert block["tool_use_id"] in calls
                (image,) = block["content"]
                w, h = _png_size(base64.b64decode(image["source"]["data"]))
                assert (w, h) == (tool["display_width_px"], tool["display_height_px"])
                for key in ("coordinate", "start_coordinate"):
                    point = calls[block["tool_use_id"]]["input"].get(key)
                    if point:
                        assert 0 <= point[0] < w and 0 <= point[1] < h
    assert actions == [
        "screenshot",
        "left_click",
        "type",
        "scroll",
        "left_click_drag",
        "key",
        "key",
    ]
    scroll = next(
        b for m in messages for b in m["content"] if b.get("input", {}).get("action") == "scroll"
    )
    assert scroll["input"] == {
        "action": "scroll",
        "coordinate": [160, 100],
        "scroll_direction": "down",
        "scroll_amount": 3,
    }
    keys = [
        b["input"]["text"]
        for m in messages
        for b in m["content"]
        if b.get("input", {}).get("action") == "key"
    ]
    assert keys == ["ctrl+s", "Return"]


def test_anthropic_reasoning_outcomes_and_errors(db: Database, tmp_path: Path) -> None:
    convo = _anthropic(db, tmp_path / "out")
    text = json.dumps(convo["messages"])
    assert NOTE in text and DRAFT not in text
    assert convo["metadata"]["reasoning_source"] == "human"
    first = convo["messages"][3]["content"]
    assert first[0] == {"type": "text", "text": NOTE} and first[1]["type"] == "tool_use"
    errors = [
        b.get("is_error", False)
        for m in convo["messages"]
        for b in m["content"]
        if b["type"] == "tool_result"
    ]
    assert errors == [False, False, False, True, False, False, False]
    assert convo["steps"][2]["error_type"] == "wrong_target"


@pytest.mark.parametrize(("width", "height", "max_size", "size"), [
    (1920, 1080, None, (1429, 804)),  # the area limit
    (2400, 600, None, (1568, 392)),  # the long-edge limit
    (1920, 1080, 1024, (1024, 576)),  # --max-size
])  # fmt: skip
def test_anthropic_resizes_and_scales_coordinates(
    db: Database,
    tmp_path: Path,
    width: int,
    height: int,
    max_size: int | None,
    size: tuple[int, int],
) -> None:
    convo = _anthropic(db, tmp_path / "out", width=width, height=height, max_size=max_size)
    (tool,) = convo["tools"]
    assert (tool["display_width_px"], tool["display_height_px"]) == size
    click = convo["messages"][3]["content"][1]["input"]
    # the click at (40, 30) physical, on the resized screenshot
    assert click["coordinate"] == [round(40 / width * size[0]), round(30 / height * size[1])]


def test_openai_items_validate_against_the_sdk_models(db: Database, tmp_path: Path) -> None:
    out = export("openai", [annotated(db)], tmp_path / "out")
    (line,) = (out / "items.jsonl").read_text().splitlines()
    record = json.loads(line)
    (tool,) = record["tools"]
    ComputerUsePreviewTool.model_validate(tool)
    models = {
        "computer_call": ResponseComputerToolCall,
        "computer_call_output": ResponseComputerToolCallOutputItem,
        "reasoning": ResponseReasoningItem,
    }
    calls = {}
    kinds = []
    for item in record["input"]:
        if item["type"] == "message" and item["role"] == "user":
            EasyInputMessage.model_validate(item)
        elif item["type"] == "message":
            ResponseOutputMessage.model_validate(item)
        else:
            parsed = models[item["type"]].model_validate(item)
            if item["type"] == "computer_call":
                calls[item["call_id"]] = parsed
                kinds.append(item["action"]["type"])
                assert isinstance(parsed, ResponseComputerToolCall) and parsed.action is not None
            if item["type"] == "computer_call_output":
                assert item["call_id"] in calls
                url = item["output"]["image_url"]
                assert url.startswith("data:image/png;base64,")
                assert _png_size(base64.b64decode(url.split(",", 1)[1])) == (320, 200)
    assert kinds == ["click", "type", "scroll", "drag", "keypress", "keypress"]
    actions = [i["action"] for i in record["input"] if i["type"] == "computer_call"]
    assert actions[0] == {"type": "click", "button": "left", "x": 40, "y": 30}
    assert actions[2] == {"type": "scroll", "x": 160, "y": 100, "scroll_x": 0, "scroll_y": 300}
    assert actions[3]["path"] == [{"x": 60, "y": 60}, {"x": 200, "y": 150}]
    assert actions[4]["keys"] == ["CTRL", "s"] and actions[5]["keys"] == ["ENTER"]
    reasoning = [i for i in record["input"] if i["type"] == "reasoning"]
    assert [r["summary"][0]["text"] for r in reasoning] == [NOTE]
    assert DRAFT not in line
    extras = [i["demotrace"] for i in record["input"] if i["type"] == "computer_call"]
    assert extras[2]["outcome"] == "failure" and extras[2]["error_type"] == "wrong_target"
    assert record["metadata"]["verdict"] == "accept"
