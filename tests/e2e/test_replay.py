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
from capture.store.playback import stored_frames
from capture.store.steps import current_steps
from desktop.cli import main as cli_main
from replay.bundle import open_bundle
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
    db: str


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
        url,
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


def test_a_real_recording_keeps_its_targets_rules_and_motion(
    recorded: Recorded, tmp_path: Path
) -> None:
    """The bundle of a real recording: where each click landed (as looked up while
    recording), the rules, every kept frame in the video; and the same again after an
    import into another store."""
    first, second = tmp_path / "first", tmp_path / "second"
    sid = recorded.session_id
    export = ["export", sid, "--format", "bundle", "--video"]
    assert cli_main([*export, "--out", str(first), "--db", recorded.db]) == 0
    other = sqlite_url(tmp_path / "other.db")
    assert cli_main(["import", str(first), "--db", other]) == 0
    assert cli_main([*export, "--out", str(second), "--db", other]) == 0

    db = open_database(recorded.db)
    kept = stored_frames(db, sid)
    db.close()
    with open_bundle(first) as bundle:
        bundle.check()
        traj, video = bundle.trajectory, bundle.video
        presses = [e for e in bundle.events() if e.kind == "press"]
    assert traj.rules is not None and set(traj.rules["hotkeys"]) >= {"mark", "stop"}
    landed = [traj.targets[e.seq] for e in presses if e.seq in traj.targets]
    assert len(landed) == len(presses)
    assert all(t.window and t.window["title"] for t in landed)
    # An element, or why there is none (this X server runs no accessibility bus).
    assert all(t.element and ("role" in t.element or "reason" in t.element) for t in landed)
    assert video is not None and len(traj.frames) <= video.frames <= len(kept)
    assert video.start_s == round(kept[0].t_ns / 1e9, 3)

    doc = json.loads((first / "trajectory.json").read_text())
    again = json.loads((second / "trajectory.json").read_text())
    assert again.pop("origin") == "imported" and doc.pop("origin") == "recorded"
    # The copy keeps only the steps' frames, so its video shows those alone.
    video_doc, video_again = doc.pop("context_video"), again.pop("context_video")
    assert video_again["frames"] <= video_doc["frames"]
    assert again == doc
    events = (first / "events.jsonl").read_text()
    assert (second / "events.jsonl").read_text() == events
