"""Screenshots of the reviewer's tools for docs/: two real demonstrations of one task on a
private Xvfb, reviewed, then the viewer (mid-drag, on a commented step), the grading form,
the compare view, and the HTML report opened in headless Chromium.

    .venv/bin/python scripts/review_screenshots.py [OUT_DIR]   (default: docs/)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capture.segment import EditRecord  # noqa: E402
from capture.store.database import open_database, sqlite_url  # noqa: E402
from capture.store.reviews import add_review  # noqa: E402
from capture.store.steps import current_steps, edit  # noqa: E402
from tests.xsession import FormApp, XServer, start_form, start_recorder  # noqa: E402

TASK = "Sign the form as Ada Lovelace"


def demonstrate(x: XServer, url: str, form: FormApp, detour: bool) -> str:
    rec = start_recorder(x, url, "--task", TASK)
    time.sleep(0.4)
    if detour:
        x.xdotool("mousemove", *map(str, form.center("toggle")), "click", "1")
        time.sleep(0.5)
        x.xdotool("click", "1")
        time.sleep(0.5)
    x.xdotool("mousemove", *map(str, form.center("name")), "click", "1")
    time.sleep(0.4)
    x.xdotool("key", "ctrl+a")
    x.xdotool("type", "--delay", "40", "Ada Lovelace")
    time.sleep(0.5)
    cx, cy = form.center("canvas")
    x.xdotool("mousemove", str(cx - 300), str(cy + 40), "mousedown", "1")
    for i in range(1, 16):
        x.xdotool("mousemove", str(cx - 300 + i * 40), str(cy + 40 - (i % 5) * 18 + (i // 5) * 6))
        time.sleep(0.03)
    x.xdotool("mouseup", "1")
    time.sleep(0.5)
    x.xdotool("key", "Return")
    time.sleep(0.6)
    if rec.stop() != 0:
        raise RuntimeError(rec.stderr_text)
    return rec.session_id


def note(db: object, sid: str, index: int, text: str) -> None:
    edit(db, sid, EditRecord("ann", "relabel", {"index": index, "fields": {"note": text}}))  # type: ignore[arg-type]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="review-shots-"))
    x = XServer()
    try:
        os.environ["DISPLAY"] = x.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        url = sqlite_url(work / "store.db")
        form = start_form(x, work / "form.jsonl")
        try:
            straight = demonstrate(x, url, form, detour=False)
            wandering = demonstrate(x, url, form, detour=True)
        finally:
            form.close()
        db = open_database(url)
        note(db, straight, 0, "The name field is empty; the signature goes there first.")
        drag = next(s.index for s in current_steps(db, straight) if s.action.type == "drag")
        note(db, straight, drag, "Sign in the canvas with one stroke.")
        note(db, wandering, 0, "Checking whether the toggle matters.")
        t0 = datetime.now(UTC) - timedelta(hours=2)
        add_review(
            db, straight, reviewer="rita", verdict="accept", goal="achieved", efficiency=5,
            error_handling=4, note_quality=4, when=t0,
        )  # fmt: skip
        add_review(
            db, straight, reviewer="bob", verdict="accept", goal="achieved", efficiency=4,
            error_handling=4, note_quality=3, comments=[(drag, "Clean signature stroke.")],
            when=t0 + timedelta(minutes=30),
        )  # fmt: skip
        add_review(
            db, wandering, reviewer="rita", verdict="needs_changes", goal="achieved",
            efficiency=2, error_handling=3, note_quality=2, redundant_steps=[0, 1],
            comments=[(0, "The toggle is not part of the task: why click it?"),
                      (None, "Trim the detour or explain it in the notes.")],
            when=t0 + timedelta(minutes=40),
        )  # fmt: skip
        shoot(db, straight, wandering, out)
        html = work / "report.html"
        subprocess.run(
            [sys.executable, "-m", "desktop.cli", "export", wandering, "--db", url,
             "--format", "html", "--out", str(html)],
            check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--window-size=1100,1500", f"--screenshot={out / 'html-report.png'}",
             html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        db.close()
    finally:
        x.close()
        shutil.rmtree(work, ignore_errors=True)
    for name in ("viewer-drag", "viewer-comment", "grading-form", "compare", "html-report"):
        print(out / f"{name}.png")
    return 0


def shoot(db: object, straight: str, wandering: str, out: Path) -> None:
    from desktop.compose import keep_singletons_alive

    keep_singletons_alive()
    from PySide6.QtWidgets import QApplication

    from capture.store.task_sessions import sessions_of_task
    from desktop.viewer.compare_view import CompareWindow
    from desktop.viewer.open import session_viewer
    from replay.compare import compare
    from replay.store_source import load_summaries

    app = QApplication.instance() or QApplication(["demotrace"])

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
            time.sleep(0.05)

    viewer = session_viewer(db, straight, reviewer="carol")  # type: ignore[arg-type]
    viewer.show()
    steps = viewer.timeline.steps
    drag = next(row for row, s in enumerate(steps) if s.action.type == "drag")
    step = steps[drag]
    viewer.controller.seek(step.t_start + (step.t_end - step.t_start) * 3 // 5)
    settle()
    viewer.grab().save(str(out / "viewer-drag.png"))
    viewer.close()

    viewer = session_viewer(db, wandering, reviewer="carol")  # type: ignore[arg-type]
    viewer.show()
    viewer.controller.seek_row(0)
    viewer.controller.seek(viewer.timeline.start(0) + 150_000_000)
    settle()
    viewer.grab().save(str(out / "viewer-comment.png"))
    viewer.tabs.setCurrentWidget(viewer.form)
    viewer.controller.seek_row(1)
    viewer.form.verdict.setCurrentIndex(1)  # accept, with the rubric half filled
    viewer.form.goal.setCurrentIndex(1)
    viewer.form.scores["efficiency"].setValue(2)
    viewer.form.comment.setText("Second toggle click undoes the first.")
    viewer.form.comment_on_current_step()
    viewer.form.redundant.setChecked(True)
    viewer.form.submit()
    settle()
    viewer.grab().save(str(out / "grading-form.png"))
    viewer.close()

    found = sessions_of_task(db, TASK)  # type: ignore[arg-type]
    trajs = load_summaries(db, found.session_ids)  # type: ignore[arg-type]
    window = CompareWindow(compare(trajs, found.instruction, found.task_id), trajs)
    window.show()
    settle()
    window.grab().save(str(out / "compare.png"))
    window.close()


if __name__ == "__main__":
    sys.exit(main())
