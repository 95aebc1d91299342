"""The reviewer's tools at scale: opening the viewer, seeking, comparing many trajectories.

    python bench/bench_review.py [steps] [trajectories]

- open: ``ViewerWindow`` on a stored session of ``steps`` steps (1920x1080 text-like
  frames), shown and painted on a private Xvfb; median of 3, beside the baseline
  of reading the session's steps alone.
- seek: 200 random jumps to a step, each rendered and painted; median, p95 and
  max, beside the baseline of decoding one frame.
- compare: ``trajectories`` sessions of one task (about 30 steps each, some with
  detours) found, loaded and aligned; median of 3, beside the baseline of
  reading their steps alone.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2

import tests.stored as stored
from capture.store.database import Database, open_database, sqlite_url
from capture.store.steps import current_steps
from scripted.xserver import XServer
from tests.unit.factories import Script

W, H = 1920, 1080


def _desktop() -> np.ndarray:
    """A screen full of text and panels, like the ones people record."""
    rnd = random.Random(3)
    img = np.full((H, W, 4), 245, np.uint8)
    img[:, :, 3] = 255
    for _panel in range(6):
        x, y = rnd.randint(0, W - 500), rnd.randint(0, H - 400)
        cv2.rectangle(img, (x, y), (x + 500, y + 380), (230, 230, 230, 255), -1)
        cv2.rectangle(img, (x, y), (x + 500, y + 28), (90, 60, 40, 255), -1)
        for line in range(16):
            words = " ".join(
                "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
                for _ in range(7)
            )
            cv2.putText(
                img, words, (x + 8, y + 50 + line * 21), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                (30, 30, 30, 255), 1, cv2.LINE_AA,
            )  # fmt: skip
    return img


_BASE = _desktop()


def textured(index: int, x: int, y: int, width: int = W, height: int = H) -> bytes:
    """The desktop with what changed at step ``index``: a highlighted area and a counter."""
    img = _BASE.copy()
    x0, y0 = max(0, min(width - 240, x - 120)), max(0, min(height - 60, y - 30))
    cv2.rectangle(img, (x0, y0), (x0 + 240, y0 + 60), (200, 120 + index % 100, 40, 255), -1)
    cv2.putText(
        img, f"item {index}", (x0 + 10, y0 + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
        (255, 255, 255, 255), 2, cv2.LINE_AA,
    )  # fmt: skip
    return img.tobytes()


def long_session(db: Database, steps: int) -> str:
    rnd = random.Random(11)
    s = Script()
    for i in range(steps):
        x, y = rnd.randint(20, W - 20), rnd.randint(20, H - 20)
        if i % 10 == 9:
            s.type("note " + str(i)).wait(300)
        else:
            s.glide(s.x, s.y, x, y, steps=6, step_ms=10).click(x, y).wait(300)
    stored.frame_pixels = textured  # type: ignore[assignment]
    return stored.stored_session(db, s, task="A long task", width=W, height=H).id


def take(i: int) -> Script:
    """One demonstration of a 30-step task; every third one wanders off for a few steps."""
    rnd = random.Random(i)
    s = Script()
    for k in range(30):
        if i % 3 == 1 and k == 10:
            for _ in range(rnd.randint(2, 5)):
                s.click(rnd.randint(0, 319), rnd.randint(0, 199)).wait(300)
        x, y = 10 + (k * 37) % 300, 10 + (k * 53) % 180
        s.click(x, y).wait(300)
    return s


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_viewer(db: Database, sid: str) -> None:
    from desktop.compose import keep_singletons_alive

    keep_singletons_alive()
    from PySide6.QtWidgets import QApplication

    from desktop.viewer.open import session_viewer

    app = QApplication.instance() or QApplication(["bench"])
    opens, opens_cpu, base = [], [], []
    window = None
    for _ in range(3):
        t0 = time.perf_counter()
        current_steps(db, sid)
        base.append(time.perf_counter() - t0)
        if window is not None:
            window.close()
            window.deleteLater()
            app.processEvents()
        t0, c0 = time.perf_counter(), time.process_time()
        window = session_viewer(db, sid)
        window.show()
        window.repaint()
        app.processEvents()
        opens.append(time.perf_counter() - t0)
        opens_cpu.append(time.process_time() - c0)
    assert window is not None
    n = len(window.timeline.steps)
    print(
        f"open viewer, {n} steps: {median_ms(opens):.0f} ms median of 3 (target <= 1000 ms), "
        f"CPU time {median_ms(opens_cpu):.0f} ms; "
        f"baseline, reading the steps alone: {median_ms(base):.0f} ms"
    )
    rnd = random.Random(5)
    seeks, cpu, settled, decodes = [], [], [], []
    frames = window.source.frames
    hashes = list(window.timeline.trajectory.frames)
    for _ in range(200):
        row = rnd.randrange(n)
        t0, c0 = time.perf_counter(), time.process_time()
        window.controller.seek_row(row)
        window.screen_view.repaint()
        seeks.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        app.processEvents()  # the before / action / after pictures follow
        settled.append(time.perf_counter() - t0)
        assert window.controller.row == row
        t0 = time.perf_counter()
        frames.rgb(rnd.choice(hashes))
        decodes.append(time.perf_counter() - t0)
    seeks.sort()
    print(
        f"seek to a random step (render + paint): median {median_ms(seeks):.1f} ms, "
        f"p95 {seeks[int(len(seeks) * 0.95)] * 1000:.1f} ms, max {seeks[-1] * 1000:.1f} ms "
        f"(target <= 50 ms); CPU time median {median_ms(cpu):.1f} ms; "
        f"with the before / action / after pictures {median_ms(settled):.1f} ms; "
        f"baseline, decoding one frame: {median_ms(decodes):.1f} ms"
    )
    window.close()


def bench_compare(db: Database, count: int) -> None:
    from capture.store.task_sessions import sessions_of_task
    from replay.compare import compare
    from replay.store_source import load_summaries

    ids = [stored.stored_session(db, take(i), task="Fill the order form").id for i in range(count)]
    runs, loads, base = [], [], []
    result = None
    for _ in range(3):
        t0 = time.perf_counter()
        for sid in ids:
            current_steps(db, sid)
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        found = sessions_of_task(db, "Fill the order form")
        trajs = load_summaries(db, found.session_ids)
        t1 = time.perf_counter()
        result = compare(trajs, found.instruction)
        runs.append(time.perf_counter() - t0)
        loads.append(t1 - t0)
    assert result is not None
    detours = sum(bool(t.detours) for t in result.takes)
    steps = sum(t.steps for t in result.takes)
    print(
        f"compare {len(result.takes)} trajectories ({steps} steps, {detours} with detours): "
        f"{median_ms(runs):.0f} ms median of 3 (target <= 2000 ms), of which loading "
        f"{median_ms(loads):.0f} ms; baseline, reading their steps alone: {median_ms(base):.0f} ms"
    )


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as tmp, XServer() as x:
        os.environ["DISPLAY"] = x.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        db = open_database(sqlite_url(Path(tmp) / "bench.db"))
        t0 = time.perf_counter()
        sid = long_session(db, steps)
        print(f"(writing the {steps}-step session took {time.perf_counter() - t0:.1f} s)")
        bench_viewer(db, sid)
        bench_compare(db, count)
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
