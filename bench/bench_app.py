"""The annotator's app: time to a visible window, and time to open a long session's steps.

    python bench/bench_app.py [steps]

1. ``demotrace`` started as a process until a window of it is visible (its
   "visible" log line) and until the main window with the store's tasks is
   shown ("shown"), beside a bare PySide6 window started the same way: what
   any Qt app on this machine pays before it draws anything.
2. A session of ``steps`` steps (default 2,000) opened in the step editor until
   it is usable (steps listed, the first step's before/after frames decoded and
   shown; thumbnails come later, off the GUI thread), beside reading those steps
   from the store alone. Median of 5 runs each, on a private Xvfb.
3. The longest time the GUI thread went without running a 10 ms timer while
   the app records xdotool clicking and typing, beside the same window idle.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripted.xserver import XServer  # noqa: E402

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("bare"); w.resize(1280, 640); w.show(); app.processEvents()
print("shown", flush=True)
"""


def until_line(cmd: list[str], env: dict[str, str], marker: str, stream: str) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    pipe = proc.stderr if stream == "stderr" else proc.stdout
    assert pipe is not None
    try:
        for line in pipe:
            if marker in line:
                return time.perf_counter() - started
        raise RuntimeError(f"{cmd} ended without {marker!r}")
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def startup(display: str, work: Path, runs: int) -> tuple[float, float, float]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    env.update(DEMOTRACE_LOG="1", XDG_CONFIG_HOME=str(work))
    url = f"sqlite:///{work / 'startup.db'}"
    app_cmd = [sys.executable, "-m", "desktop.cli", "--db", url]
    until_line(app_cmd, env, '"event": "shown"', "stderr")  # creates the store once
    visible = [until_line(app_cmd, env, '"event": "visible"', "stderr") for _ in range(runs)]
    app = [until_line(app_cmd, env, '"event": "shown"', "stderr") for _ in range(runs)]
    bare = [
        until_line([sys.executable, "-c", BARE_WINDOW], env, "shown", "stdout") for _ in range(runs)
    ]
    return statistics.median(visible), statistics.median(app), statistics.median(bare)


def long_session(db: object, steps: int) -> str:
    """A recorded-looking session of ``steps`` clicks, a 1920x1080 frame before each."""
    import numpy as np
    from sqlalchemy import insert

    from capture.events import EventKind, RawEvent
    from capture.store.frames import FrameWriter
    from capture.store.models import EventRow, FrameRow, SessionRow
    from capture.store.rows import event_row
    from capture.store.sessions import blob_store_for
    from capture.store.steps import resegment

    ms = 1_000_000
    writer = FrameWriter(blob_store_for(db))  # type: ignore[arg-type]
    screen = np.full((1080, 1920, 4), 230, np.uint8)
    with db.session() as s:  # type: ignore[attr-defined]
        s.add(
            SessionRow(
                id="long",
                task="bench",
                status="finished",
                created_at=datetime.now(UTC),
                wall_start_ns=0,
                duration_ns=steps * 900 * ms,
                platform="bench",
                app_version="0",
                screen={"virtual": {"left": 0, "top": 0, "width": 1920, "height": 1080}},
                double_click_ms=400,
                double_click_px=5,
                fps=10,
            )
        )
        rows, frames = [], []
        for i in range(steps):
            t = i * 900 * ms
            x, y = 100 + (i * 37) % 1700, 100 + (i * 53) % 900
            screen[y % 1000 : y % 1000 + 40, x % 1800 : x % 1800 + 80, :3] = (i * 7) % 255
            digest = writer.put(screen.tobytes(), 1920, 1080, s)
            frames.append(
                {
                    "session_id": "long",
                    "t_ns": t - 5 * ms,
                    "blob": digest,
                    "left": 0,
                    "top": 0,
                    "width": 1920,
                    "height": 1080,
                    "reason": "before",
                }
            )
            for seq, kind, dt in ((2 * i, EventKind.PRESS, 0), (2 * i + 1, EventKind.RELEASE, 60)):
                e = RawEvent(t + dt * ms, kind, x=x, y=y, button="left", seq=seq)
                rows.append(event_row(e, session_id="long"))
        s.execute(insert(FrameRow), frames)
        s.execute(insert(EventRow), rows)
        s.commit()
    resegment(db, "long")  # type: ignore[arg-type]
    return "long"


def editor_open(display: str, work: Path, steps: int, runs: int) -> dict[str, float]:
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    from PySide6.QtWidgets import QApplication

    from capture.store.database import open_database, sqlite_url
    from capture.store.session_frames import SessionFrames
    from capture.store.steps import current_steps
    from desktop.pictures import Thumbnails
    from desktop.step_editor import StepEditor
    from desktop.step_model import THUMBNAIL, StepListModel
    from desktop.trajectory import Trajectory

    app = QApplication.instance() or QApplication(["bench"])
    db = open_database(sqlite_url(work / "long.db"))
    sid = long_session(db, steps)
    out: dict[str, list[float]] = {"editor": [], "store read": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        current_steps(db, sid)
        out["store read"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        frames = SessionFrames(db, sid)
        thumbnails = Thumbnails(frames, THUMBNAIL)
        editor = StepEditor(StepListModel(Trajectory(db, sid, "bench"), thumbnails), frames)
        editor.resize(1600, 900)
        editor.show()
        app.processEvents()
        assert editor.model.rowCount() == steps and editor.current_row == 0
        out["editor"].append(time.perf_counter() - t0)
        thumbnails.close()
        editor.close()
        editor.deleteLater()
        app.processEvents()
    db.close()
    return {k: statistics.median(v) for k, v in out.items()}


def gui_gaps(app: object, seconds: float, during: object = None) -> float:
    """The longest the GUI thread went without running a 10 ms timer, in seconds."""
    from PySide6.QtCore import QTimer

    last = [time.perf_counter()]
    worst = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    end = time.perf_counter() + seconds
    last[0] = time.perf_counter()
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.002)
    timer.stop()
    return worst[0]


def stalls(display: str, work: Path, seconds: float = 10) -> tuple[float, float]:
    """Longest GUI stall while recording (xdotool clicking and typing) and while idle."""
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from capture.store.database import open_database, sqlite_url
    from desktop.compose import build_recorder
    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication(["bench"])
    db = open_database(sqlite_url(work / "stall.db"))

    def make(on_error, on_stop_request, on_mark):  # type: ignore[no-untyped-def]
        return build_recorder(
            db, display, on_error=on_error, on_stop_request=on_stop_request, on_mark=on_mark
        )

    window = MainWindow(db, make, QSettings(str(work / "stall.ini"), QSettings.Format.IniFormat))
    window.show()
    idle = gui_gaps(app, 3)
    window.start_recording()
    env = {**os.environ, "DISPLAY": display}
    script = "; ".join(
        f"xdotool mousemove {200 + 40 * i} {300 + 20 * i} click 1 type --delay 40 w{i}; sleep 0.3"
        for i in range(int(seconds))
    )
    driver = subprocess.Popen(["sh", "-c", script], env=env)
    busy = gui_gaps(app, seconds)
    driver.wait()
    window.stop_recording()
    window.close()
    db.close()
    return busy, idle


def main() -> int:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = 5
    x = XServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            visible_s, app_s, bare_s = startup(x.display, work, runs)
            print(
                f"after start: a demotrace window visible {visible_s:.2f} s, the main window "
                f"with its tasks {app_s:.2f} s; a bare PySide6 window {bare_s:.2f} s"
            )
            busy, idle = stalls(x.display, work)
            print(
                f"longest GUI stall while recording (clicks and typing): {busy * 1000:.0f} ms "
                f"(the same window idle, not recording: {idle * 1000:.0f} ms)"
            )
            opened = editor_open(x.display, work, steps, runs)
            print(
                f"{steps}-step session to a usable editor: {opened['editor']:.2f} s "
                f"(reading its steps from the store alone: {opened['store read']:.2f} s)"
            )
    finally:
        x.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
