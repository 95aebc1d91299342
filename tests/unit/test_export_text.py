"""UI-TARS, ATIF and the step guide, parsed back field by field."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import cv2
import pytest

from capture.store.database import Database
from replay.export.projection import smart_resize
from tests.exports import DRAFT, NOTE, annotated, export

# UI-TARS' own action grammar: name(arg='value', ...)
ACTION = re.compile(r"^(\w+)\((.*)\)$")
ARG = re.compile(r"(\w+)='((?:[^'\\]|\\.)*)'")


def _parse(text: str) -> tuple[str, str, dict[str, str]]:
    thought, action = text.split("\nAction: ")
    assert thought.startswith("Thought: ")
    m = ACTION.match(action)
    assert m, action
    return thought[len("Thought: ") :], m.group(1), dict(ARG.findall(m.group(2)))


def test_uitars_15_points_on_the_smart_resized_image(db: Database, tmp_path: Path) -> None:
    out = export("uitars", [annotated(db, width=1920, height=1080)], tmp_path / "out")
    record = json.loads((out / "uitars.jsonl").read_text())
    assert record["version"] == "1.5" and record["reasoning_source"] == "human"
    w, h = smart_resize(1920, 1080)
    assert (w, h) == (1932, 1092) and record["model_size"] == [w, h]
    parsed = [_parse(s["text"]) for s in record["steps"]]
    names = [p[1] for p in parsed]
    assert names == ["click", "type", "scroll", "drag", "hotkey", "hotkey", "finished"]
    thought, _, args = parsed[0]
    assert thought == NOTE
    assert args["point"] == f"<point>{round(40 / 1920 * w)} {round(30 / 1080 * h)}</point>"
    assert parsed[1][2] == {"content": "hello world"}
    assert parsed[2][2]["direction"] == "down"
    assert set(parsed[3][2]) == {"start_point", "end_point"}
    assert [p[2]["key"] for p in parsed[4:6]] == ["ctrl s", "enter"]
    assert DRAFT not in json.dumps(record)
    for step in record["steps"]:
        assert (out / step["image"]).is_file()
    assert record["steps"][2]["outcome"] == "failure"
    assert record["unmapped_steps"] == []


def test_uitars_10_grid(db: Database, tmp_path: Path) -> None:
    out = export("uitars-1.0", [annotated(db)], tmp_path / "out")
    record = json.loads((out / "uitars.jsonl").read_text())
    parsed = [_parse(s["text"]) for s in record["steps"]]
    assert parsed[0][2] == {"start_box": "(125,150)"}  # (40, 30) of 320x200
    assert parsed[3][2] == {"start_box": "(188,300)", "end_box": "(625,750)"}
    assert parsed[-1][1] == "finished"


def test_uitars_quotes_typed_text() -> None:
    from replay.export.uitars import quote

    assert quote("it's\na \\ b") == "it\\'s\\na \\\\ b"


def test_atif_parsed_back(db: Database, tmp_path: Path) -> None:
    source = annotated(db)
    out = export("atif", [source], tmp_path / "out")
    doc = json.loads((out / f"{source.trajectory.session_id}.json").read_text())
    assert doc["schema_version"] == "ATIF-v1.6"
    assert doc["session_id"] == source.trajectory.session_id
    assert doc["agent"]["name"] == "human"
    steps = doc["steps"]
    assert [s["step_id"] for s in steps] == list(range(1, 8))
    assert steps[0]["source"] == "user"
    assert steps[0]["message"][0] == {"type": "text", "text": "Fill in the form"}
    assert all(s["source"] == "agent" for s in steps[1:])
    times = [datetime.fromisoformat(s["timestamp"]) for s in steps]
    assert times == sorted(times)
    for s in steps[1:]:
        (call,) = s["tool_calls"]
        (result,) = s["observation"]["results"]
        assert result["source_call_id"] == call["tool_call_id"]
        (part,) = result["content"]
        assert part["type"] == "image" and part["source"]["media_type"] == "image/png"
        assert cv2.imread(str(out / part["source"]["path"])) is not None
    assert steps[1]["reasoning_content"] == NOTE
    assert steps[1]["tool_calls"][0]["arguments"] == {
        "type": "click", "x": 40, "y": 30, "button": "left", "modifiers": []
    }  # fmt: skip
    assert steps[2]["reasoning_content"] is None
    assert steps[2]["extra"]["draft_note"] == DRAFT  # kept apart from the person's note
    assert steps[3]["extra"]["outcome"] == "failure"
    assert steps[3]["extra"]["error_type"] == "wrong_target"
    assert doc["final_metrics"]["extra"]["task_completed"] is True


@pytest.mark.parametrize("max_size", [None, 100])
def test_markdown_guide_links_resolve(db: Database, tmp_path: Path, max_size: int | None) -> None:
    source = annotated(db)
    out = export("markdown", [source], tmp_path / "out", max_size=max_size)
    index = (out / "README.md").read_text()
    (guide,) = re.findall(r"\]\(([^)]+\.md)\)", index)
    text = (out / guide).read_text()
    assert text.startswith("# Fill in the form\n")
    steps = re.findall(r"^(\d+)\. (.+)$", text, re.M)
    assert [int(n) for n, _ in steps] == list(range(1, 7))
    assert steps[0][1] == "Click on “Name” (text) at (40, 30)"  # the element clicked, by name
    assert steps[1][1] == "Type “hello world”"
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == 6
    for link in links:
        img = cv2.imread(str(out / link))
        assert img is not None
        if max_size:
            assert max(img.shape[:2]) <= max_size
    assert f"*Why:* {NOTE}" in text and DRAFT not in text
