"""Export benchmark: steps per second per format, and resident memory as sessions grow.

    python -m bench.export [--steps 300] [--width 1920 --height 1080] [--memory-steps 1000,10000]

A synthetic session (a real UI screenshot tiled over the screen, a marker and
a counter drawn so every frame is distinct; one click per step, a typed note
every third step) is exported in each format. The baseline, measured in the
same run, is writing the same distinct frames as PNG files the plain way
(``cv2.imwrite`` with OpenCV's defaults, one thread). Memory runs in a child process per size
and reports its peak resident set.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from capture.events import RawEvent
from capture.segment import Action, Step
from replay.export.registry import FORMATS, ExportOptions, exporter
from replay.trajectory import FrameInfo, Screen, TaskInfo, Trajectory

ROOT = Path(__file__).resolve().parents[1]
BACKDROP = ROOT / "docs" / "annotator-main-window.png"


def backdrop(width: int, height: int) -> np.ndarray:
    tile = cv2.imread(str(BACKDROP))[:, :, ::-1]
    reps = (height // tile.shape[0] + 1, width // tile.shape[1] + 1, 1)
    return np.ascontiguousarray(np.tile(tile, reps)[:height, :width])


class SyntheticFrames:
    """Frame ``f<i>``: the backdrop with a marker at the click and the number drawn on it."""

    def __init__(self, width: int, height: int) -> None:
        self.base = backdrop(width, height)

    def rgb(self, frame: str) -> np.ndarray:
        i = int(frame[1:])
        img = self.base.copy()
        x, y = _point(i, img.shape[1], img.shape[0])
        cv2.rectangle(img, (x - 20, y - 10), (x + 20, y + 10), (30, 90, 200), -1)
        cv2.putText(img, f"frame {i}", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        return img


def _point(i: int, width: int, height: int) -> tuple[int, int]:
    return 40 + (i * 97) % (width - 80), 30 + (i * 53) % (height - 60)


@dataclass
class SyntheticSource:
    trajectory: Trajectory
    frames: SyntheticFrames

    def events(self) -> Iterator[RawEvent]:
        return iter(())


def source(steps: int, width: int, height: int) -> SyntheticSource:
    infos = {f"f{i}": FrameInfo(f"f{i}", i * 10**9, 0, 0, width, height) for i in range(steps + 1)}
    made = []
    for i in range(steps):
        x, y = _point(i, width, height)
        made.append(
            Step(
                index=i,
                action=Action.make("click", x=x, y=y, button="left", modifiers=()),
                t_start=i * 10**9,
                t_end=i * 10**9 + 10**8,
                before_frame=f"f{i}",
                after_frame=f"f{i + 1}",
                note="I open the next record to check its total." if i % 3 == 0 else "",
            )
        )
    traj = Trajectory(
        session_id="b" * 32,
        task=TaskInfo("Check every record"),
        created_at="2026-01-01T00:00:00+00:00",
        duration_s=steps,
        screen=Screen(0, 0, width, height),
        platform="Linux",
        app_version="0.1.0",
        annotator="bench",
        fps=10,
        double_click_ms=400,
        double_click_px=5,
        steps=tuple(made),
        frames=infos,
    )
    return SyntheticSource(traj, SyntheticFrames(width, height))


Timing = tuple[float, float]  # (wall seconds, CPU seconds of every thread)


def export_once(fmt: str, steps: int, width: int, height: int, max_size: int | None) -> Timing:
    src = source(steps, width, height)
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        exporter(fmt).export([src], Path(tmp) / "out", ExportOptions(max_size), lambda d, t: None)
        return time.perf_counter() - wall, time.process_time() - cpu


def baseline(steps: int, width: int, height: int) -> Timing:
    """Each distinct frame written once as PNG the plain way (OpenCV's defaults), one thread."""
    frames = SyntheticFrames(width, height)
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(steps + 1):
            cv2.imwrite(str(Path(tmp) / f"{i}.png"), frames.rgb(f"f{i}")[:, :, ::-1])
        return time.perf_counter() - wall, time.process_time() - cpu


def peak_rss_mb(fmt: str, steps: int, width: int, height: int) -> float:
    code = (
        "import resource, sys; from bench.export import export_once; "
        f"export_once({fmt!r}, {steps}, {width}, {height}, None); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def make_store(path: str, steps: int) -> None:
    """A stored session of ``steps`` clicks, 320x200 frames, through the real store."""
    from capture.store.database import open_database, sqlite_url
    from tests.stored import stored_session
    from tests.unit.factories import Script

    script = Script()
    for i in range(steps):
        x, y = _point(i, 320, 200)
        script.move(x, y).click(x, y).wait(300)
    db = open_database(sqlite_url(Path(path) / "store.db"))
    stored_session(db, script=script, session_id="c" * 32)
    db.close()


def export_store(path: str, fmt: str) -> None:
    from capture.store.database import open_database, sqlite_url
    from replay.store_source import StoreTrajectory

    db = open_database(sqlite_url(Path(path) / "store.db"))
    out = Path(path) / fmt
    shutil.rmtree(out, ignore_errors=True)
    exporter(fmt).export(
        [StoreTrajectory(db, "c" * 32)], out, ExportOptions(None), lambda d, t: None
    )
    db.close()


def store_peak_rss_mb(fmt: str, steps: int) -> float:
    """Peak RSS of a fresh process exporting a stored session of ``steps`` steps."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from bench.export import make_store; make_store({tmp!r}, {steps})",
            ],
            cwd=ROOT,
            check=True,
        )
        code = (
            "import resource; from bench.export import export_store; "
            f"export_store({tmp!r}, {fmt!r}); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--width", type=int, default=1920)
    p.add_argument("--height", type=int, default=1080)
    p.add_argument("--formats", default=",".join(sorted(FORMATS)))
    p.add_argument("--runs", type=int, default=1, help="best of this many runs (a busy machine)")
    p.add_argument("--memory-steps", default="1000,10000")
    p.add_argument("--memory-format", default="agentnet")
    p.add_argument("--memory-size", default="640x400")
    p.add_argument("--store-steps", default="", help="also export stored sessions of these sizes")
    a = p.parse_args(argv)
    results: dict[str, object] = {"steps": a.steps, "screen": f"{a.width}x{a.height}"}

    def best(timings: list[Timing]) -> Timing:
        return min(t[0] for t in timings), min(t[1] for t in timings)

    def show(label: str, t: Timing, base: Timing | None) -> None:
        rate, per_cpu = a.steps / t[0], a.steps / t[1]
        versus = (
            f" ({base[0] / t[0]:.2f}x baseline wall, {base[1] / t[1]:.2f}x CPU)" if base else ""
        )
        print(f"{label:12s} {rate:8.1f} steps/s, {per_cpu:8.1f} steps/CPU-s{versus}", flush=True)
        results[label] = {"steps_per_s": round(rate, 1), "steps_per_cpu_s": round(per_cpu, 1)}

    base = best([baseline(a.steps, a.width, a.height) for _ in range(a.runs)])
    show("baseline", base, None)
    for fmt in a.formats.split(","):
        show(
            fmt,
            best([export_once(fmt, a.steps, a.width, a.height, None) for _ in range(a.runs)]),
            base,
        )
    w, h = (int(v) for v in a.memory_size.split("x"))
    for n in (int(v) for v in a.memory_steps.split(",") if v):
        rss = peak_rss_mb(a.memory_format, n, w, h)
        results[f"peak_rss_mb_{n}"] = round(rss, 1)
        print(f"{a.memory_format} {n} steps at {w}x{h}: peak RSS {rss:.0f} MB", flush=True)
    for n in (int(v) for v in a.store_steps.split(",") if v):
        rss = store_peak_rss_mb(a.memory_format, n)
        results[f"store_peak_rss_mb_{n}"] = round(rss, 1)
        print(f"{a.memory_format} stored session of {n} steps: peak RSS {rss:.0f} MB", flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
