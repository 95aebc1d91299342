"""The real ``demotrace`` app process, driven with xdotool while it records another real app."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from capture.events import EventKind
from capture.store.database import Database, open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.models import SessionRow, StepEditRow
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for
from capture.store.stages import step_counts
from capture.store.steps import stored_steps
from capture.store.tasks import add_tasks
from capture.tasks import Task
from tests.appsession import AppProcess, start_app
from tests.xsession import FormApp, XServer, start_form

# Below the control bar (top centre) and clear of the main window's Record button.
FORM_GEOMETRY = "0,120,1000,800"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    url = sqlite_url(tmp_path / "app.db")
    db = open_database(url)
    yield db, url
    db.close()


@pytest.fixture
def form_below(xserver: XServer, tmp_path: Path) -> Iterator[FormApp]:
    app = start_form(xserver, tmp_path / "form.jsonl", geometry=FORM_GEOMETRY)
    yield app
    app.close()


@pytest.fixture
def app(xserver: XServer, store: tuple[Database, str], tmp_path: Path) -> Iterator[AppProcess]:
    # The form must exist before the app so the app's window is on top of it.
    process = start_app(xserver, store[1], str(tmp_path / "home"))
    yield process
    process.close()


def session_row(db: Database, session_id: str) -> SessionRow:
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        assert row is not None
        return row


def test_record_from_the_app_counts_steps_and_stops_with_the_hotkey(
    form_below: FormApp, app: AppProcess, store: tuple[Database, str], xserver: XServer
) -> None:
    db, _ = store
    shown = app.wait_for("shown")
    app.click(shown["widgets"]["record"])
    recording = app.wait_for("recording")
    session_id = recording["session"]
    # The first click after Record: the app's window was the active one until now.
    xserver.xdotool("mousemove", *map(str, form_below.center("name")), "click", "1")
    xserver.xdotool("type", "--delay", "40", "Ada")
    time.sleep(0.3)
    xserver.xdotool("mousemove", *map(str, form_below.center("toggle")), "click", "1")
    # Pause on the control bar: the click on the form meanwhile is not recorded; Mark's
    # own click is not part of the demonstration either.
    app.click(recording["widgets"]["pause"])
    time.sleep(0.3)
    xserver.xdotool("mousemove", *map(str, form_below.center("check")), "click", "1")
    time.sleep(0.3)
    app.click(recording["widgets"]["pause"])
    app.click(recording["widgets"]["mark"])
    # Secret mode from anywhere: the control bar says so, and says when it ends.
    since = len(app.events)
    xserver.xdotool("key", "ctrl+alt+h")
    assert app.wait_for("privacy", since=since)["text"].startswith("secret mode:")
    since = len(app.events)
    xserver.xdotool("key", "ctrl+alt+h")
    assert app.wait_for("privacy", since=since)["text"] == ""

    # Live steps become final a few seconds after the screen settles; the bar then
    # shows what the store holds.
    def shown_and_held() -> tuple[str, int]:
        counts = [e for e in app.events if e["event"] == "counts"]
        return (counts[-1]["steps"] if counts else ""), step_counts(db, session_id)[0]

    deadline = time.monotonic() + 15
    shown, held = shown_and_held()
    while (held < 2 or shown != f"{held} steps") and time.monotonic() < deadline:
        app.drain(0.3)
        shown, held = shown_and_held()
    assert held >= 2 and shown == f"{held} steps"
    xserver.xdotool("key", "ctrl+alt+s")
    stopped = app.wait_for("stopped")
    assert stopped["session"] == session_id

    row = session_row(db, session_id)
    assert (row.status, row.stage, row.task_id) == ("finished", "draft", None)
    steps = stored_steps(db, session_id)
    assert [s.action.type for s in steps] == ["click", "type", "click"]
    assert steps[0].window is not None
    assert (steps[0].window.title, steps[0].window.app) != ("demotrace", "demotrace")
    assert steps[0].window.title == "demotrace test form"
    assert [e["text"] for e in form_below.log_lines() if e.get("widget") == "name"][-1] == "Ada"
    timeline = load_recording(db, session_id)
    presses = [e for e in timeline.events if e.event.kind is EventKind.PRESS]
    assert [(p.event.x, p.event.y) for p in presses] == [
        form_below.center("name"),
        form_below.center("toggle"),
    ]
    assert [m.kind for m in timeline.markers] == ["pause", "resume", "mark", "secret", "secret"]
    # The control bar is painted out of what was recorded.
    bar_x, bar_y, bar_w, bar_h = recording["widgets"]["pause"]
    frame = next(f for f in timeline.frames if f.id == presses[-1].frame_id)
    with db.session() as s:
        rgb = FrameReader(blob_store_for(db)).rgb(frame.blob, s)
    assert [int(v) for v in rgb[bar_y + bar_h // 2, bar_x + bar_w // 2]] == [128, 128, 128]
    name_x, name_y = form_below.center("name")
    assert [int(v) for v in rgb[name_y, name_x]] != [128, 128, 128]
    assert app.terminate() == 0


def test_sigterm_while_recording_stops_and_finalizes(
    form_below: FormApp, app: AppProcess, store: tuple[Database, str], xserver: XServer
) -> None:
    db, _ = store
    app.click(app.wait_for("shown")["widgets"]["record"])
    session_id = app.wait_for("recording")["session"]
    xserver.xdotool("mousemove", *map(str, form_below.center("toggle")), "click", "1")
    time.sleep(0.5)
    assert app.terminate() == 0
    row = session_row(db, session_id)
    assert row.status == "finished" and row.lease_owner is None
    assert [s.action.type for s in stored_steps(db, session_id)] == ["click"]


def test_a_whole_take_live_prompts_think_aloud_walkthrough_edit_and_submit(
    xserver: XServer, store: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = store
    add_tasks(
        db, [Task("Warm-up: open the settings"), Task("Fill in the form", reasoning_mode="live")]
    )
    form = start_form(xserver, tmp_path / "form.jsonl", geometry=FORM_GEOMETRY)
    app = start_app(xserver, url, str(tmp_path / "home"))
    try:
        shown = app.wait_for("shown")
        (task_row,) = [t["rect"] for t in shown["tasks"] if t["instruction"] == "Fill in the form"]
        app.click(task_row)
        app.click(shown["widgets"]["record"])
        bar = app.wait_for("recording")
        assert bar["reasoning_mode"] == "live"
        session_id = bar["session"]

        def answer_prompt(see: str, why: str) -> None:
            since = len(app.events)
            xserver.xdotool("key", "ctrl+alt+m")
            prompt = app.wait_for("prompt", since=since)
            app.click(prompt["widgets"]["prompt_see"])
            xserver.xdotool("type", "--delay", "20", see)
            app.click(prompt["widgets"]["prompt_why"])
            xserver.xdotool("type", "--delay", "20", why)
            app.click(prompt["widgets"]["resume"])
            app.wait_for("prompt closed", since=since)
            time.sleep(0.3)

        answer_prompt("an empty form", "the name comes first")
        xserver.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
        xserver.xdotool("type", "--delay", "30", "Ada")
        time.sleep(0.4)
        # Think aloud in the control bar: the note goes with the next step.
        app.click(bar["widgets"]["think_aloud"])
        time.sleep(0.5)  # the window watcher sees the bar become active
        xserver.xdotool("type", "--delay", "20", "now the email")
        xserver.xdotool("key", "Return")
        time.sleep(0.3)
        xserver.xdotool("mousemove", *map(str, form.center("email")), "click", "1")
        xserver.xdotool("type", "--delay", "30", "ada@example.org")
        time.sleep(0.4)
        answer_prompt("the form is filled", "to see the patch turn green")
        xserver.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
        time.sleep(3.3)  # a pause: the next step is a decision point nobody explained yet
        xserver.xdotool("mousemove", *map(str, form.center("check")), "click", "1")
        time.sleep(0.5)
        xserver.xdotool("key", "ctrl+alt+s")
        app.wait_for("stopped")

        # The walkthrough visits the decision points still without a note.
        walk = app.wait_for("walkthrough")
        assert walk["decision_points"] == [5]
        for n, _ in enumerate(walk["decision_points"]):
            app.click(walk["widgets"]["note"])
            xserver.xdotool("type", "--delay", "10", f"walkthrough note {n}")
            app.click(walk["widgets"]["next"])
            time.sleep(0.2)
        editor = app.wait_for("editor")
        assert editor["session"] == session_id
        # Edit a step: the first one's outcome, with its keyboard shortcut.
        app.click(editor["widgets"]["list"])
        xserver.xdotool("key", "Home", "1")
        time.sleep(0.3)
        # Submit with its shortcut (the toolbar moves as the undo text changes).
        xserver.xdotool("key", "ctrl+Return")
        app.wait_for("submitted")
        assert app.terminate() == 0
    finally:
        app.close()
        form.close()

    row = session_row(db, session_id)
    assert row.stage == "submitted" and row.task_id is not None
    steps = stored_steps(db, session_id)
    assert [s.action.type for s in steps] == ["click", "type", "click", "type", "click", "click"]
    assert steps[0].note.startswith("I see: an empty form\nBecause: the name comes first")
    assert steps[2].note == "now the email"
    assert steps[4].decision_reason == "marked"
    assert steps[4].note == "I see: the form is filled\nBecause: to see the patch turn green"
    assert (steps[5].decision_reason, steps[5].note) == ("pause", "walkthrough note 0")
    assert steps[0].outcome == "success"
    assert all(s.note for s in steps if s.decision_point)
    with db.session() as s:
        ops = list(s.scalars(StepEditRow.__table__.select().with_only_columns(StepEditRow.op)))
    assert "relabel" in ops


def test_record_files_sessions_under_tasks_and_runs_their_commands(
    xserver: XServer, store: tuple[Database, str], tmp_path: Path
) -> None:
    from tests.xsession import demotrace

    db, url = store
    env = xserver.env
    setup, reset = tmp_path / "setup-ran", tmp_path / "reset-ran"
    task = Task("Reset first", setup_command=f"touch {setup}", reset_command=f"touch {reset}")
    add_tasks(db, [task])
    # The instruction finds the task (it is not made twice); the id prefix too.
    for which in (["--task", "Reset first"], ["--task-id", task.id[:8]]):
        done = demotrace("record", "--db", url, *which, "--duration", "0.5", env=env)
        assert done.returncode == 0, done.stderr
        assert setup.exists() and reset.exists()
        setup.unlink()
        reset.unlink()
    listed = json.loads(demotrace("tasks", "--json", "--db", url).stdout)
    assert [(t["instruction"], t["sessions"]) for t in listed] == [("Reset first", 2)]

    failing = Task("Broken setup", setup_command="echo no such fixture >&2; exit 3")
    add_tasks(db, [failing])
    done = demotrace("record", "--db", url, "--task-id", failing.id, "--duration", "0.5", env=env)
    assert done.returncode == 2
    assert done.stderr == (
        "demotrace: error: the task's setup command failed (exit 3): no such fixture: "
        "echo no such fixture >&2; exit 3\n"
    )
    done = demotrace("record", "--db", url, "--task-id", "ffff", "--duration", "0.5", env=env)
    assert (done.returncode, done.stderr) == (
        2,
        "demotrace: error: no task ffff; `demotrace tasks` lists them\n",
    )
    with db.session() as s:
        assert s.query(SessionRow).count() == 2
