"""Bundle export and import of a long session: time and memory.

Builds a 2,000-step session in a fresh SQLite store (1920x1080 frames of
text-heavy content, one distinct frame per step, 20 raw events per step),
then times ``export --format bundle`` to a directory and to a zip, and
``import`` of the zip into another store. Baselines measured in the same run:
decoding every frame from the store (the least an export must do) and
decoding every PNG of the bundle (the least an import must do). Memory is the
peak resident-set growth during each operation, sampled every 10 ms.

Usage: python bench/bench_bundle.py [steps] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture.events import EventKind, RawEvent
from capture.segment import Step
from capture.segment.steps import click
from capture.store.database import open_database, sqlite_url
from capture.store.imports import ImportedFrame, ImportedSession, import_session
from replay.bundle import open_bundle, write_bundle
from replay.bundle.importing import import_bundle
from replay.bundle.png import content_hash, opaque_bgra
from replay.store_source import StoreTrajectory

ROOT = Path(__file__).resolve().parents[1]
W, H = 1920, 1080


def base_screen() -> np.ndarray:
    """A desktop-like screen: the app's own screenshots tiled over a light background."""
    img = np.full((H, W, 3), 236, np.uint8)
    shot = cv2.imread(str(ROOT / "docs" / "annotator-main-window.png"))[:, :, ::-1]
    sh, sw = shot.shape[:2]
    for y in range(0, H, sh + 20):
        for x in range(0, W, sw + 20):
            h, w = min(sh, H - y), min(sw, W - x)
            img[y : y + h, x : x + w] = shot[:h, :w]
    return img


class Screens:
    """Frame i: the base screen with i words typed into a text area, one per step."""

    def __init__(self) -> None:
        self.base = base_screen()
        self.current = self.base.copy()
        self.current[600:1060, 40:1880] = 255
        self.i = 0

    def next(self) -> np.ndarray:
        line, col = divmod(self.i, 16)
        y = 620 + (line % 20) * 22
        if col == 0 and line % 20 == 0:
            self.current[600:1060, 40:1880] = 255
        x = 50 + col * 112
        cv2.putText(
            self.current,
            f"word{self.i:04d}",
            (x, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.6,
            (20, 20, 20),
            1,
            cv2.LINE_AA,
        )
        self.i += 1
        return self.current.copy()


def build(db_url: str, steps: int) -> str:
    screens = Screens()
    frames: list[ImportedFrame] = []
    for i in range(steps + 1):
        digest = content_hash(screens.next())
        frames.append(ImportedFrame(digest, i * 1_000_000_000, 0, 0, W, H))
    events, step_list = [], []
    seq = 0
    for i in range(steps):
        t = i * 1_000_000_000
        x, y = 50 + (i % 16) * 112, 620 + (i // 16 % 20) * 22
        first = seq
        for k in range(18):
            events.append(RawEvent(t + k * 10_000_000, EventKind.MOVE, x=x - 18 + k, y=y, seq=seq))
            seq += 1
        for kind, dt in ((EventKind.PRESS, 200), (EventKind.RELEASE, 260)):
            events.append(RawEvent(t + dt * 1_000_000, kind, x=x, y=y, button="left", seq=seq))
            seq += 1
        step_list.append(
            Step(
                i,
                click(x, y),
                t + 200_000_000,
                t + 260_000_000,
                first,
                seq - 1,
                before_frame=frames[i].hash,
                after_frame=frames[i + 1].hash,
                note="word" if i % 10 == 0 else "",
            )
        )
    rect = {"left": 0, "top": 0, "width": W, "height": H}
    session = ImportedSession(
        id="b" * 32,
        task_text="type many words",
        task=None,
        status="finished",
        stage="draft",
        source_session_id=None,
        fault=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        duration_ns=steps * 1_000_000_000,
        platform="bench",
        app_version="0",
        username="bench",
        screen={"virtual": rect, "monitors": [{**rect, "primary": True}]},
        scale=1.0,
        double_click_ms=400,
        double_click_px=5,
        fps=10.0,
        frames=frames,
        events=events,
        steps=step_list,
    )
    db = open_database(db_url)
    replay_screens = Screens()  # the same frames again, made one at a time
    import_session(db, session, (opaque_bgra(replay_screens.next()) for _ in frames))
    db.close()
    return session.id


def measure(what: Callable[[], object]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, peak RSS growth in MiB) of ``what()``."""
    proc = psutil.Process()
    start_rss = proc.memory_info().rss
    peak = [start_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu0, t0 = time.process_time(), time.perf_counter()
    what()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    done.set()
    sampler.join()
    return elapsed, cpu, (peak[0] - start_rss) / 2**20


def row(label: str, runs: list[tuple[float, float, float]], target: str = "") -> None:
    """Median wall and CPU time over the runs, the largest memory growth, each run's wall."""
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    mib = max(r[2] for r in runs)
    each = ", ".join(f"{r[0]:.1f}" for r in runs) if len(runs) > 1 else ""
    print(
        f"{label:<44} {wall:7.2f} s wall {cpu:7.2f} s CPU  peak +{mib:4.0f} MiB  {target}"
        + (f"  (runs: {each} s)" if each else "")
    )


def load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("steps", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="times each is measured (median)")
    args = parser.parse_args()
    steps, runs = args.steps, range(args.runs)
    tmp = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    try:
        t0 = time.perf_counter()
        url = sqlite_url(tmp / "store.db")
        sid = build(url, steps)
        built = time.perf_counter() - t0
        print(
            f"a {steps}-step session, {steps + 1} distinct {W}x{H} frames (built in {built:.0f} s)"
        )
        print(f"{load()}; {len(runs)} run{'s' if len(runs) != 1 else ''} each (median)")
        db = open_database(url)
        source = StoreTrajectory(db, sid)
        frames = list(source.trajectory.frames)  # rows loaded outside the timings

        def decode_all() -> None:
            for digest in frames:
                source.frames.rgb(digest)

        # Every run writes a path of its own, all kept to the end: files deleted just
        # before are slow to create again on some filesystems (ext4 without a journal).
        row("baseline: decode every frame from the store", [measure(decode_all) for _ in runs])
        row(
            "export to a directory",
            [measure(lambda i=i: write_bundle(source, tmp / f"d{i}")) for i in runs],
            "<= 10 s",
        )
        row(
            "export to a zip",
            [measure(lambda i=i: write_bundle(source, tmp / f"z{i}.zip")) for i in runs],
            "<= 10 s",
        )
        db.close()
        size = sum(p.stat().st_size for p in (tmp / "d0").rglob("*") if p.is_file())

        def decode_pngs() -> None:
            with open_bundle(tmp / "z0.zip") as b:
                for digest in b.trajectory.frames:
                    b.frames.rgb(digest)

        row("baseline: decode and hash every PNG", [measure(decode_pngs) for _ in runs])

        def import_zip(i: int) -> tuple[float, float, float]:
            other = open_database(sqlite_url(tmp / f"other{i}.db"))
            try:
                return measure(lambda: import_bundle(other, tmp / "z0.zip"))
            finally:
                other.close()

        row("import of the zip", [import_zip(i) for i in runs], "<= 10 s")
        raw = (steps + 1) * W * H * 3 / 2**30
        print(f"bundle: {size / 2**20:.0f} MiB on disk ({raw:.1f} GiB of raw pixels); {load()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
