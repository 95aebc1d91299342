"""Record a real demonstration, export it, and execute it again on a fresh app.

One recording on the test form (typing with a correction, a double click, a
hotkey, a click, wheel scrolls in both axes, a drag) is exported as a bundle
directory, a zip and an imported copy. Each replay starts the form afresh, runs
``demotrace replay --execute --verify`` and compares the state the form
reports in its own log with the state after the recording.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from capture.store.database import sqlite_url
from tests.xsession import XServer, demotrace, start_form, start_recorder

NEUTRAL = (1500, 1000)  # a pointer position outside the form


@dataclass(frozen=True)
class Recorded:
    state: dict[str, Any]
    bundle: Path
    zipped: Path
    imported_db: str
    session_id: str
    toggle: tuple[int, int]


def form_state(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """What the form holds in the end, from its own log."""
    state: dict[str, Any] = {"text": {}, "scroll": {}, "strokes": [], "clicks": 0, "checked": None}
    for line in lines:
        kind = line["event"]
        if kind == "text":
            state["text"][line["widget"]] = line["text"]
        elif kind == "scroll":
            state["scroll"][line["widget"]] = line["value"]
        elif kind == "stroke":
            state["strokes"].append((tuple(line["first"]), tuple(line["last"])))
        elif kind == "clicked":
            state["clicks"] = line["clicks"]
        elif kind == "checked":
            state["checked"] = line["checked"]
    return state


def glide(x: XServer, to: tuple[int, int], steps: int = 6) -> None:
    sx, sy = (int(p.split(":")[1]) for p in x.xdotool("getmouselocation").split()[:2])
    for i in range(1, steps + 1):
        x.xdotool(
            "mousemove", str(sx + (to[0] - sx) * i // steps), str(sy + (to[1] - sy) * i // steps)
        )
    time.sleep(0.15)


def demonstrate(x: XServer, widgets: dict[str, list[int]]) -> None:
    def center(name: str) -> tuple[int, int]:
        left, top, w, h = widgets[name]
        return left + w // 2, top + h // 2

    pause = 0.35
    name = center("name")
    glide(x, (name[0] - 100, name[1]))
    x.xdotool("click", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "Ada Lovelacd")
    x.xdotool("key", "BackSpace")
    x.xdotool("type", "--delay", "40", "e")
    time.sleep(pause)
    glide(x, (widgets["name"][0] + 12, name[1]))  # over "Ada"
    x.xdotool("click", "--repeat", "2", "--delay", "60", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "Augusta")
    time.sleep(pause)
    x.xdotool("key", "ctrl+a")
    time.sleep(pause)
    glide(x, center("email"))
    x.xdotool("click", "1")
    time.sleep(pause)
    x.xdotool("type", "--delay", "40", "ada@example.org")
    time.sleep(pause)
    glide(x, center("toggle"))
    x.xdotool("click", "1")
    time.sleep(pause)
    glide(x, center("list"))
    x.xdotool("click", "5", "click", "5", "click", "5")
    time.sleep(pause)
    glide(x, center("table"))
    x.xdotool("click", "7", "click", "7")
    time.sleep(pause)
    cx, cy = center("canvas")
    glide(x, (cx - 300, cy))
    x.xdotool("mousedown", "1")
    for i in range(1, 11):
        x.xdotool("mousemove", str(cx - 300 + i * 50), str(cy))
    x.xdotool("mouseup", "1")
    time.sleep(pause)
    glide(x, (widgets["check"][0] + 8, center("check")[1]))  # on the box itself
    x.xdotool("click", "1")
    time.sleep(0.8)


@pytest.fixture(scope="module")
def recorded(xserver: XServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    tmp = tmp_path_factory.mktemp("replay")
    url = sqlite_url(tmp / "demo.db")
    xserver.xdotool("mousemove", *map(str, NEUTRAL))
    form = start_form(xserver, tmp / "recorded.jsonl")
    try:
        rec = start_recorder(xserver, url, "--task", "fill in the form")
        time.sleep(0.5)
        demonstrate(xserver, form.widgets)
        assert rec.stop() == 0, rec.stderr_text
        state = form_state(form.log_lines())
    finally:
        form.close()
    steps = json.loads(demotrace("steps", rec.session_id, "--db", url, "--json").stdout)
    types = [s["action"]["type"] for s in steps]
    for kind in ("click", "double_click", "type", "hotkey", "scroll", "drag"):
        assert kind in types, types
    assert state["text"]["name"] == "Augusta Lovelace" and state["checked"] is True

    bundle, zipped = tmp / "bundle", tmp / "bundle.zip"
    for out in (bundle, zipped):
        done = demotrace(
            "export", rec.session_id, "--format", "bundle", "--out", str(out), "--db", url
        )
        assert done.returncode == 0, done.stderr
    imported = sqlite_url(tmp / "imported.db")
    done = demotrace("import", str(zipped), "--db", imported)
    assert done.returncode == 0, done.stderr
    toggle = form.widgets["toggle"]
    yield Recorded(
        state,
        bundle,
        zipped,
        imported,
        rec.session_id,
        (toggle[0] + toggle[2] // 2, toggle[1] + toggle[3] // 2),
    )


def replay(x: XServer, target: str, tmp: Path, *options: str) -> tuple[Any, dict[str, Any], Path]:
    x.xdotool("mousemove", *map(str, NEUTRAL))
    form = start_form(x, tmp / "replayed.jsonl", "0,0,1000,800", *options[:2])
    report = tmp / "report"
    try:
        done = demotrace(
            "replay",
            target,
            "--execute",
            "--verify",
            "--speed",
            "2",
            "--after-timeout",
            "4",
            "--report",
            str(report),
            *options[2:],
            env=x.env,
            timeout=120,
        )
        time.sleep(0.3)
        return done, form_state(form.log_lines()), report
    finally:
        form.close()


@pytest.mark.parametrize("kind", ["directory", "zip", "imported"])
def test_replay_reaches_the_same_state(
    xserver: XServer, recorded: Recorded, tmp_path: Path, kind: str
) -> None:
    target = {"directory": recorded.bundle, "zip": recorded.zipped}.get(kind)
    options: tuple[str, ...] = ("--on-color", "#00ff00")
    if target is None:
        options += ("--db", recorded.imported_db)
    done, state, _ = replay(xserver, str(target or recorded.session_id), tmp_path, *options)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reached the end" in done.stdout
    assert state == recorded.state


def test_a_changed_app_stops_the_replay_at_the_step_that_differs(
    xserver: XServer, recorded: Recorded, tmp_path: Path
) -> None:
    # The same form, but its patch turns blue instead of green when toggled.
    done, state, report = replay(xserver, str(recorded.bundle), tmp_path, "--on-color", "#0000ff")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("demotrace: error: step "), done.stderr
    summary = json.loads((report / "report.json").read_text())
    assert summary["action"] == {
        "type": "click",
        "x": recorded.toggle[0],
        "y": recorded.toggle[1],
        "button": "left",
        "modifiers": [],
    }
    assert summary["stage"] == "after"
    assert f"step {summary['step']} (click" in lines[0]
    assert (report / summary["image"]).is_file()
    # It stopped there: nothing after the toggle reached the form.
    assert state["clicks"] == 1 and "list" not in state["scroll"] and state["checked"] is None
