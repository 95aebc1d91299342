"""Make the annotator's screenshots in docs/: main window, control bar, live prompt,
walkthrough, step editor. Runs on a private Xvfb with the test form as the app shown.

    .venv/bin/python scripts/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    from tests.xsession import XServer, start_form, start_recorder

    x = XServer()
    os.environ.update(DISPLAY=x.display, QT_QPA_PLATFORM="xcb")
    work = Path(tempfile.mkdtemp(prefix="demotrace-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(work)  # settings of its own
    form = start_form(x, work / "form.jsonl", geometry="0,120,1000,800")
    try:
        return shoot(x, form, work, args.out.resolve(), start_recorder)
    finally:
        form.close()
        x.close()


def drive_form(x: object, form: object, pause_s: float = 0.4) -> None:
    """Fill the form the way a person would."""
    for name, text in (("name", "Ada Lovelace"), ("email", "ada@example.org")):
        x.xdotool("mousemove", *map(str, form.center(name)), "click", "1")
        x.xdotool("type", "--delay", "30", text)
        time.sleep(pause_s)
    x.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
    time.sleep(pause_s)


def shoot(x, form, work: Path, out: Path, start_recorder) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from capture.store.database import open_database, sqlite_url
    from capture.store.models import SessionRow
    from capture.store.stages import set_stage
    from capture.store.steps import annotate
    from capture.store.tasks import add_tasks, get_task
    from capture.tasks import Task
    from desktop.compose import build_recorder
    from desktop.main_window import MainWindow

    url = sqlite_url(work / "shots.db")
    db = open_database(url)
    fill = Task(
        "Fill in the contact form and switch the patch to green",
        category="trajectory",
        setup_notes="The test form is open and empty.",
        expected_outcome="Name and email filled in; the patch is green.",
        reasoning_mode="live",
    )
    add_tasks(
        db,
        [
            fill,
            Task("Scroll to item 120 and select it", category="demonstration"),
            Task("Recover from a mistyped email", category="error_recovery"),
        ],
    )
    # Three takes recorded the way `demotrace record` does, then given stages.
    takes = []
    for _ in range(3):
        rec = start_recorder(x, url, "--task", fill.instruction)
        time.sleep(0.5)
        drive_form(x, form, 0.3)
        time.sleep(1.0)
        assert rec.stop(signal.SIGINT) == 0, rec.stderr_text
        takes.append(rec.session_id)
    set_stage(db, takes[0], "accepted")
    set_stage(db, takes[1], "needs_changes")
    annotate(db, takes[2], 0, {"note": "The form is empty: I start with the name."}, "ann")
    assert get_task(db, fill.id).instruction == fill.instruction

    app = QApplication.instance() or QApplication(["demotrace"])
    app.setApplicationName("demotrace")

    def make_recorder(on_error, on_stop_request, on_mark):
        return build_recorder(
            db, x.display, 10, on_error=on_error, on_stop_request=on_stop_request, on_mark=on_mark
        )

    settings = QSettings(str(work / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, make_recorder, settings)
    window.resize(1500, 640)
    window.move(0, 0)
    window.show()
    window.select_task(window.tasks.task_at(0))
    window.take_table.selectRow(0)
    settle(app, 0.5)
    out.mkdir(parents=True, exist_ok=True)
    save(window.grab(), out / "annotator-main-window.png")

    # Record, live mode: the bar, then Mark and the prompt.
    window.start_recording()
    settle(app, 0.8)
    run, bar = window.run, window.control_bar
    assert run is not None and bar is not None
    x.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    x.xdotool("type", "--delay", "30", "Grace")
    settle(app, 0.5)
    run.mark()
    settle(app, 0.5)
    prompt = window.prompt
    assert prompt is not None
    prompt.fields["see"].setText("The name is filled in, the email is empty")
    prompt.fields["do"].setText("Click the email field and type the address")
    prompt.fields["why"].setText("The form needs both before the patch can be switched")
    settle(app, 0.3)
    save(prompt.grab(), out / "annotator-live-prompt.png")
    prompt.resume.click()
    settle(app, 0.5)
    x.xdotool("mousemove", *map(str, form.center("email")), "click", "1")
    x.xdotool("type", "--delay", "30", "grace@example.org")
    settle(app, 3.5)  # a pause: the next step is a decision point without a note yet
    x.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
    bar.think_aloud.setText("the patch should turn green now")
    settle(app, 1.0)
    save(bar.grab(), out / "annotator-control-bar.png")
    window.stop_recording()
    settle(app, 1.0)
    walk = window.walkthrough
    assert walk is not None, "the walkthrough did not open"
    walk.note.setPlainText("Switched the patch once the form was complete.")
    walk.outcome.setCurrentText("success")
    settle(app, 0.3)
    save(walk.grab(), out / "annotator-walkthrough.png")

    # The step editor on the first take, at its first click.
    window.open_session(takes[2])
    editor = window.editor
    assert editor is not None
    clicks = [s.index for s in editor.model.steps if s.action.type == "click"]
    editor.select(clicks[1] if len(clicks) > 1 else 0)
    window.resize(1600, 900)
    settle(app, 2.0)
    save(window.grab(), out / "annotator-step-editor.png")
    window.close_editor()
    with db.session() as s:
        assert s.get(SessionRow, takes[2]) is not None
    window.close()
    db.close()
    print(f"screenshots written to {out}")
    return 0


def settle(app: object, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(pixmap: object, path: Path) -> None:
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


if __name__ == "__main__":
    sys.exit(main())
