"""An AgentNet export, run by real pyautogui against a fresh form, ends where the recording did."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from capture.store.database import sqlite_url
from tests.e2e.test_record import glide
from tests.xsession import ROOT, FormApp, XServer, demotrace, start_form, start_recorder

# Runs the exported code: pyautogui as it is, ``computer.*`` as the OpenCUA harness does.
RUNNER = """
import sys, time, pyautogui
pyautogui.FAILSAFE = False
pyautogui.PAUSE = 0.15

class computer:
    @staticmethod
    def triple_click(x, y):
        pyautogui.click(x=x, y=y, clicks=3)

    @staticmethod
    def wait(seconds=1):
        time.sleep(seconds)

    @staticmethod
    def terminate(status):
        print("terminate", status)

for code in sys.stdin.read().split("\\0"):
    exec(code)
    time.sleep(0.3)
"""


def final_state(log: list[dict[str, Any]]) -> dict[str, Any]:
    """What the form shows at the end: texts, the check box, toggles, list position, strokes."""
    state: dict[str, Any] = {"strokes": 0}
    for line in log:
        if line["event"] == "text":
            state[line["widget"]] = line["text"]
        elif line["event"] == "checked":
            state["check"] = line["checked"]
        elif line["event"] == "clicked":
            state["clicks"] = line["clicks"]
        elif line["event"] == "scroll" and line["widget"] == "list":
            state["list"] = line["value"]
        elif line["event"] == "stroke":
            state["strokes"] += 1
    return state


def in_pixels(code: str, width: int, height: int) -> str:
    """The exported code with its fractions turned into pixels of the screen."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("x", "y"):
            fraction = ast.literal_eval(node.value)
            assert 0.0 <= fraction <= 1.0
            node.value = ast.Constant(round(fraction * (width if node.arg == "x" else height)))
    return ast.unparse(tree)


def test_agentnet_code_replays_the_recorded_session(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "demo.db")
    rec = start_recorder(xserver, url, "--task", "fill the form")
    glide(xserver, form.center("toggle"))
    time.sleep(0.3)
    xserver.xdotool("click", "1")
    time.sleep(0.4)
    glide(xserver, form.center("name"))
    xserver.xdotool("click", "1")
    time.sleep(0.2)
    xserver.xdotool("type", "--delay", "30", "Ada L@b")
    time.sleep(0.4)
    x, y, _, h = form.widgets["check"]
    glide(xserver, (x + 8, y + h // 2))  # on the box itself
    xserver.xdotool("click", "1")
    time.sleep(0.4)
    glide(xserver, form.center("list"))
    xserver.xdotool("click", "5", "click", "5", "click", "5")
    time.sleep(0.4)
    cx, cy = form.center("canvas")
    glide(xserver, (cx - 150, cy))
    xserver.xdotool("mousedown", "1")
    for step in range(1, 7):
        xserver.xdotool("mousemove", str(cx - 150 + step * 50), str(cy + step * 5))
    xserver.xdotool("mouseup", "1")
    time.sleep(0.6)
    assert rec.stop() == 0, rec.stderr_text
    recorded = final_state(form.log_lines())
    assert recorded["name"] == "Ada L@b" and recorded["check"] is True
    assert recorded["clicks"] == 1 and recorded["list"] > 0 and recorded["strokes"] == 1
    form.close()

    out = tmp_path / "agentnet"
    done = demotrace(
        "export", rec.session_id, "--format", "agentnet", "--out", str(out), "--db", url
    )
    assert done.returncode == 0, done.stderr
    record = json.loads((out / "trajectories.jsonl").read_text())
    codes = [in_pixels(t["value"]["code"], xserver.width, xserver.height) for t in record["traj"]]

    fresh = start_form(xserver, tmp_path / "fresh.jsonl")
    try:
        run = subprocess.run(
            [sys.executable, "-c", RUNNER],
            input="\0".join(codes),
            env=xserver.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip().endswith("terminate success")
        time.sleep(0.5)
        assert final_state(fresh.log_lines()) == recorded
    finally:
        fresh.close()
