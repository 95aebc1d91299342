"""Long sessions: resident memory over a simulated eight-hour recording.

    python -m bench.long_session [--hours 8] [--commit-every 2.0]

Eight hours of input at a high rate go through the real writer (its commit,
one batch per ``--commit-every`` seconds of session time: 2 s by default, ten
of the writer thread's 0.2 s batches in one) and the real live segmenter into
a real SQLite store with a frame directory: the pointer moves at 100 Hz all
the time, a click every 10 s, a typing burst of 20 keys every 30 s, the screen
changes every second (a clock) and after every action. The session clock is
simulated, so eight hours take minutes. Resident memory is sampled every
simulated ten minutes; the figure is its growth after the first hour, beside
the memory the process had once the store and recorder modules were loaded
(the baseline, measured in the same run).
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

from capture.events import EventKind, RawEvent
from capture.grabber import Frame, ScreenChange
from capture.live_steps import LiveSteps
from capture.segment import SegmentationRules
from capture.segment.settle import Settling
from capture.store.database import open_database, sqlite_url
from capture.store.sessions import blob_store_for
from capture.writer import Item, ObservedEvent, StoreWriter

MB = 1024 * 1024
NS = 1_000_000_000
TICK_NS = NS // 5  # one writer commit per 0.2 s of session time
WIDTH, HEIGHT = 640, 360


@dataclass
class Run:
    baseline_mb: float
    samples: list[tuple[float, float]] = field(default_factory=list)  # (hours, RSS MB)
    events: int = 0
    steps: int = 0
    wall_s: float = 0.0

    def growth_mb(self, after_h: float = 1.0) -> float:
        """RSS growth from the first sample at or after ``after_h`` to the end."""
        start = next(mb for h, mb in self.samples if h >= after_h)
        return self.samples[-1][1] - start


class Screen:
    """Frames of a mostly still screen with a ticking clock and what the actions draw."""

    def __init__(self) -> None:
        self.image = np.full((HEIGHT, WIDTH, 4), 235, np.uint8)
        self.number = 0

    def change(self, t_ns: int, what: int, area: tuple[int, int]) -> Frame:
        y, x = area
        self.image[y : y + 24, x : x + 96, :3] = (what * 37) % 256
        self.number += 1
        return Frame(self.number, t_ns, 0, 0, WIDTH, HEIGHT, self.image.tobytes())


def session_input(hours: float) -> Iterator[tuple[int, list[Item]]]:
    """(session time, items) per 0.2 s of the simulated session."""
    screen = Screen()
    current: Frame = screen.change(0, 0, (0, 0))
    end = int(hours * 3600 * NS)
    typing_left = 0
    for tick_start in range(0, end, TICK_NS):
        items: list[Item] = []
        for i in range(20):  # 100 Hz
            t = tick_start + i * 10_000_000
            k = t // 10_000_000
            if typing_left == 0:
                items.append(
                    ObservedEvent(
                        RawEvent(t, EventKind.MOVE, x=int(k % 600), y=int(k // 600 % 340))
                    )
                )
        if tick_start % (10 * NS) == 0 and tick_start:  # a click, and the screen answers
            t = tick_start + 5_000_000
            items.append(
                ObservedEvent(RawEvent(t, EventKind.PRESS, x=5, y=5, button="left"), current, t - 1)
            )
            items.append(
                ObservedEvent(RawEvent(t + 80_000_000, EventKind.RELEASE, x=5, y=5, button="left"))
            )
            current = screen.change(t + 150_000_000, t // NS, (100, 100))
            items.append(ScreenChange(current.t_ns, 0.05, current))
        if tick_start % (30 * NS) == 15 * NS:  # a typing burst starts
            typing_left = 20
        if typing_left:
            for j in range(2):  # 10 keys a second
                t = tick_start + j * 100_000_000 + 1_000_000
                ch = "abcdefghij"[(t // 100_000_000) % 10]
                items.append(
                    ObservedEvent(RawEvent(t, EventKind.KEY_DOWN, key=ch, char=ch), current, t - 1)
                )
                items.append(ObservedEvent(RawEvent(t + 40_000_000, EventKind.KEY_UP, key=ch)))
                typing_left -= 1
            current = screen.change(tick_start + 190_000_000, tick_start // NS, (200, 40))
            items.append(ScreenChange(current.t_ns, 0.01, current))
        if tick_start % NS == 0:  # the clock in the corner
            current = screen.change(tick_start + 2_000_000, tick_start // NS, (330, 540))
            items.append(ScreenChange(current.t_ns, 0.002, current))
        yield tick_start + TICK_NS, items


def batches(hours: float, commit_every_s: float) -> Iterator[tuple[int, list[Item]]]:
    """``session_input`` grouped into one batch per ``commit_every_s`` of session time."""
    per = max(1, round(commit_every_s * NS / TICK_NS))
    batch: list[Item] = []
    for i, (now, items) in enumerate(session_input(hours), 1):
        batch.extend(items)
        if i % per == 0:
            yield now, batch
            batch = []
    if batch:
        yield now, batch


def simulate(
    hours: float, workdir: Path, commit_every_s: float = 2.0, sample_every_h: float = 1 / 6
) -> Run:
    db = open_database(sqlite_url(workdir / "long.db"))
    from capture.recorder import Recorder  # noqa: F401 - the recorder's imports count in the baseline

    gc.collect()
    process = psutil.Process()
    run = Run(baseline_mb=process.memory_info().rss / MB)
    now = 0

    def clock() -> int:
        return now

    from datetime import UTC, datetime

    from capture.store.models import SessionRow

    with db.session() as s:
        s.add(
            SessionRow(
                id="long",
                task="eight hours",
                status="recording",
                created_at=datetime.now(UTC),
                wall_start_ns=time.time_ns(),
                platform="bench",
                app_version="bench",
                screen={
                    "virtual": {"left": 0, "top": 0, "width": WIDTH, "height": HEIGHT},
                    "monitors": [],
                },
                double_click_ms=400,
                double_click_px=5,
                fps=10.0,
                lease_owner="bench",
            )
        )
        s.commit()
    rules = SegmentationRules()
    live = LiveSteps("long", rules, clock)
    writer = StoreWriter(
        db,
        blob_store_for(db),
        "long",
        "bench",
        on_error=lambda e: None,
        settling=Settling.from_rules(rules),
        live=live,
        now=clock,
    )
    started = time.monotonic()
    next_sample = 0.0
    for now, items in batches(hours, commit_every_s):
        writer._commit(items)  # what the writer thread does every 0.2 s
        run.events += sum(isinstance(i, ObservedEvent) for i in items)
        hours_done = now / 3600 / NS
        if hours_done >= next_sample:
            run.samples.append((hours_done, process.memory_info().rss / MB))
            next_sample += sample_every_h
    run.samples.append((now / 3600 / NS, process.memory_info().rss / MB))
    run.wall_s = time.monotonic() - started
    run.steps = len(live.steps)
    db.close()
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--commit-every", type=float, default=2.0, help="seconds of session time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run = simulate(args.hours, Path(tmp), args.commit_every)
        store_mb = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / MB
    print(f"simulated             {args.hours:g} h in {run.wall_s:.0f} s")
    print(f"events written        {run.events:,}   steps cut live {run.steps:,}")
    print(f"store on disk         {store_mb:.0f} MB")
    print(f"baseline RSS          {run.baseline_mb:.1f} MB (store and recorder loaded)")
    for h, mb in run.samples[:: max(1, len(run.samples) // 9)]:
        print(f"  RSS at {h:5.2f} h      {mb:.1f} MB")
    print(f"RSS at the end        {run.samples[-1][1]:.1f} MB")
    if run.samples[-1][0] >= 1.0:
        print(f"growth after hour 1   {run.growth_mb():.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
