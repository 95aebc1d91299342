"""AgentNet export: code lines parse, coordinates are fractions, fields from notes and reviews."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from capture.store.database import Database
from tests.exports import DRAFT, NOTE, annotated, export


def _calls(code: str) -> list[ast.Call]:
    tree = ast.parse(code)
    return [n.value for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]


def test_agentnet_code_parses_with_fractions_and_images_beside(
    db: Database, tmp_path: Path
) -> None:
    out = export("agentnet", [annotated(db)], tmp_path / "out")
    (line,) = (out / "trajectories.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["instruction"] == "Fill in the form"
    traj = record["traj"]
    assert len(traj) == 7  # six steps and the terminate step
    names = []
    for item in traj:
        assert (out / item["image"]).is_file()
        code = item["value"]["code"]
        calls = _calls(code)
        assert len(calls) == len(code.splitlines())
        for call in calls:
            names.append(ast.unparse(call.func))
            for kw in call.keywords:
                if kw.arg in ("x", "y"):
                    value = ast.literal_eval(kw.value)
                    assert 0.0 <= value <= 1.0
                    assert round(value, 4) == value
    assert names == [
        "pyautogui.click",
        "pyautogui.write",
        "pyautogui.moveTo",
        "pyautogui.scroll",
        "pyautogui.moveTo",
        "pyautogui.dragTo",
        "pyautogui.hotkey",
        "pyautogui.press",
        "computer.terminate",
    ]
    assert traj[0]["value"]["code"] == "pyautogui.click(x=0.1250, y=0.1500)"
    assert traj[2]["value"]["code"].splitlines()[1] == "pyautogui.scroll(-3)"  # positive = up
    assert traj[-1]["value"]["code"] == "computer.terminate(status='success')"


def test_agentnet_notes_outcomes_and_grades(db: Database, tmp_path: Path) -> None:
    out = export("agentnet", [annotated(db)], tmp_path / "out")
    record = json.loads((out / "trajectories.jsonl").read_text())
    traj = record["traj"]
    values = [t["value"] for t in traj]
    assert values[0]["thought"] == NOTE
    assert DRAFT not in json.dumps(record)  # one reasoning field: the person's note only
    assert record["metadata"]["thought_source"] == "human"
    # step 2 failed: the step after it says so, and reflects on it
    assert [v["last_step_correct"] for v in values] == [True, True, True, False, True, True, True]
    assert values[3]["reflection"] == (
        "The previous step did not work (wrong target). The page did not move."
    )
    # step 4 was marked redundant by the reviewer
    assert [v["last_step_redundant"] for v in values] == [False] * 5 + [True, False]
    assert traj[2]["outcome"] == "failure" and traj[2]["tags"] == ["mistake"]
    assert traj[2]["error_type"] == "wrong_target"
    assert record["task_completed"] is True
    assert record["alignment_score"] == 10
    assert record["efficiency_score"] == 8  # 4 of 1..5
    assert record["reason"] == "Saved the form."


def test_agentnet_target_is_the_element_under_the_action(db: Database, tmp_path: Path) -> None:
    from tests.exports import ELEMENT

    out = export("agentnet", [annotated(db)], tmp_path / "out")
    traj = json.loads((out / "trajectories.jsonl").read_text())["traj"]
    first = traj[0]["target"]
    x, y, w, h = ELEMENT["bbox"]
    assert first["mark"] is True
    assert (first["title"], first["role"]) == ("Name", "text")
    assert first["rect"] == {"x": x, "y": y, "w": w, "h": h}
    assert first["states"] == ["editable", "focusable"]
    assert first["path"] == ELEMENT["path"]
    # the box is in the same fractions as the code's coordinates, and holds the click
    x0, y0, x1, y1 = first["box"]
    click = _calls(traj[0]["value"]["code"])[0]
    cx, cy = (ast.literal_eval(k.value) for k in click.keywords)
    assert x0 <= cx <= x1 and y0 <= cy <= y1
    # steps with no element say so, and why
    assert traj[1]["target"]["mark"] is False
    assert traj[1]["target"]["reason"]
