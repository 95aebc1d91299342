"""Two real demonstrations of one task: viewed and stepped with the keyboard, reviewed, compared."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from capture.store.database import sqlite_url
from scripted.xserver import read_line
from tests.xsession import (
    ROOT,
    FormApp,
    XServer,
    demotrace,
    start_recorder,
    stop_process,
)

TASK = "Put a name in the form"


def record(x: XServer, url: str, form: FormApp, detour: bool) -> str:
    rec = start_recorder(x, url, "--task", TASK)
    time.sleep(0.3)
    if detour:  # wanders to the toggle and back before doing the task
        x.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
        time.sleep(0.3)
        x.xdotool("click", "1")
        time.sleep(0.3)
    x.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    time.sleep(0.3)
    x.xdotool("type", "--delay", "40", "Ada")
    time.sleep(0.3)
    x.xdotool("key", "Return")
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text
    return rec.session_id


def window_name(x: XServer, wid: str) -> str:
    return x.xdotool("getwindowname", wid).strip()


def wait_for_title(x: XServer, wid: str, part: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    name = ""
    while time.monotonic() < deadline:
        name = window_name(x, wid)
        if part in name:
            return name
        time.sleep(0.05)
    raise AssertionError(f"window title never showed {part!r}: {name!r}")


def step_viewer(x: XServer, *args: str) -> None:
    """Open ``demotrace view ARGS...`` as a user does and step through it with the keyboard."""
    viewer = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "view", *args],
        env=x.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert read_line(viewer, 60).startswith("viewing ")
        wid = x.xdotool("search", "--sync", "--name", "demotrace viewer").split()[0]
        assert "step 0 (1/5)" in wait_for_title(x, wid, "step 0")
        x.xdotool("windowfocus", "--sync", wid)
        x.xdotool("key", "Right", "Right", "Right")
        assert "step 3 (4/5)" in wait_for_title(x, wid, "step 3")
        x.xdotool("key", "Left")
        assert "step 2 (3/5)" in wait_for_title(x, wid, "step 2")
        x.xdotool("key", "End")
        wait_for_title(x, wid, "step 4 (5/5)")
        assert viewer.poll() is None
    finally:
        stop_process(viewer)


def test_view_review_and_compare_two_demonstrations(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "review.db")
    straight = record(xserver, url, form, detour=False)
    wandering = record(xserver, url, form, detour=True)

    steps = json.loads(demotrace("steps", wandering, "--db", url, "--json").stdout)
    assert [s["action"]["type"] for s in steps] == ["click", "click", "click", "type", "key"]

    # The viewer, as a user opens it, stepped through with the keyboard.
    step_viewer(xserver, wandering[:10], "--db", url)

    # Both reviewed from the command line; bad values are one clear line.
    bad = demotrace("review", straight, "--db", url, "--verdict", "accept", "--goal", "achieved")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "demotrace: error: accept needs the whole rubric; "
        "missing: efficiency, error handling, note quality"
    ]
    ok = demotrace(
        "review", straight, "--db", url, "--verdict", "accept", "--goal", "achieved",
        "--efficiency", "5", "--error-handling", "4", "--note-quality", "3", "--reviewer", "rita",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    sent_back = demotrace(
        "review", wandering, "--db", url, "--verdict", "needs-changes", "--goal", "achieved",
        "--efficiency", "2", "--comment", "0:why the toggle?", "--redundant", "0",
        "--redundant", "1", "--reviewer", "rita",
    )  # fmt: skip
    assert sent_back.returncode == 0, sent_back.stderr
    listed = json.loads(demotrace("reviews", wandering, "--db", url, "--json").stdout)
    assert listed["stage"] == "needs_changes"
    assert listed["reviews"][0]["comments"][0]["text"] == "why the toggle?"

    compared = demotrace("compare", TASK, "--db", url, "--json")
    assert compared.returncode == 0, compared.stderr
    result = json.loads(compared.stdout)
    assert result["reference"] == straight
    takes = {t["session_id"]: t for t in result["trajectories"]}
    assert takes[straight]["detours"] == [] and takes[straight]["parts_at"] is None
    assert [v["verdict"] for v in takes[straight]["verdicts"]] == ["accept"]
    off = takes[wandering]
    assert [v["verdict"] for v in off["verdicts"]] == ["needs_changes"]
    assert off["parts_at"] == 0
    assert off["detours"] == [{"from": 0, "to": 1, "steps": 2, "after": None}]
    assert off["matched"] == 3
    assert off["redundant_steps"] == [0, 1]
    assert off["windows"] == ["demotrace test form"]
    text = demotrace("compare", TASK, "--db", url)
    assert "0-1" in text.stdout and "needs-changes" in text.stdout

    # The reviews travel in a bundle, come back on import, and the bundle plays in the viewer.
    bundle = tmp_path / "wandering.zip"
    exported = demotrace(
        "export", wandering, "--db", url, "--format", "bundle", "--out", str(bundle)
    )
    assert exported.returncode == 0, exported.stderr
    fresh = sqlite_url(tmp_path / "fresh.db")
    assert demotrace("import", str(bundle), "--db", fresh).returncode == 0
    again = json.loads(demotrace("reviews", wandering, "--db", fresh, "--json").stdout)
    assert again["stage"] == "needs_changes"
    assert again["reviews"] == listed["reviews"]
    step_viewer(xserver, str(bundle))
