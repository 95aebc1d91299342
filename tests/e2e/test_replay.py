"""Record a real demonstration, export it, and execute it again on a fresh app.

One recording on the test form (typing with a correction, a double click, a
hotkey, a click, wheel scrolls in both axes, a drag) is exported as a bundle
directory, a zip and an imported copy. Each replay starts the form afresh, runs
``demotrace replay --execute --verify`` and compares the state the form
reports in its own log with the state after the recording.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from capture.store.database import open_database, sqlite_url
from capture.store.steps import current_steps
from desktop.cli import main as cli_main
from scripted.form_demo import NEUTRAL, demonstrate, form_state
from tests.xsession import XServer, demotrace, start_form, start_recorder


@dataclass(frozen=True)
class Recorded:
    state: dict[str, Any]
    bundle: Path
    zipped: Path
    imported_db: str
    session_id: str
    toggle: tuple[int, int]


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
    db = open_database(url)
    types = [s.action.type for s in current_steps(db, rec.session_id)]
    db.close()
    for kind in ("click", "double_click", "type", "hotkey", "scroll", "drag"):
        assert kind in types, types
    assert state["text"]["name"] == "Augusta Lovelace" and state["checked"] is True

    # Export and import in this process (the CLI's own code, without two more start-ups).
    bundle, zipped = tmp / "bundle", tmp / "bundle.zip"
    for out in (bundle, zipped):
        export = ["export", rec.session_id, "--format", "bundle", "--out", str(out), "--db", url]
        assert cli_main(export) == 0
    imported = sqlite_url(tmp / "imported.db")
    assert cli_main(["import", str(zipped), "--db", imported]) == 0
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
    form = start_form(x, tmp / "replayed.jsonl", options=options[:2])
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
    target = {"directory": tmp_path / "bundle", "zip": recorded.zipped}.get(kind)
    options: tuple[str, ...] = ("--on-color", "#00ff00")
    marker = tmp_path / "setup-ran"
    if kind == "directory":
        # The task's setup command runs before the first step.
        shutil.copytree(recorded.bundle, tmp_path / "bundle")
        doc_path = tmp_path / "bundle" / "trajectory.json"
        doc = json.loads(doc_path.read_text())
        doc["task"]["setup_command"] = f"touch {marker}"
        doc_path.write_text(json.dumps(doc))
    if target is None:
        options += ("--db", recorded.imported_db)
    done, state, _ = replay(xserver, str(target or recorded.session_id), tmp_path, *options)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reached the end" in done.stdout
    assert state == recorded.state
    assert marker.exists() == (kind == "directory")


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
