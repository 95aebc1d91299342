"""Batch segmentation throughput on a long, realistic synthetic session.

Prints the median over several runs of ``segment`` beside a baseline measured
in the same run: one pass over the events that groups them by kind (the least
any segmentation has to do). Usage: python bench/bench_segment.py [events] [runs]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture.events import RawEvent
from capture.segment import segment
from scripted.input import MS, Script


def session(n_events: int, seed: int = 7) -> tuple[Script, list, list]:
    """Glides, clicks, typing with corrections, hotkeys, wheel, drags, pauses; 10 fps grabs."""
    rnd = random.Random(seed)
    s = Script()
    while len(s.events) < n_events:
        x, y = rnd.randint(0, 1900), rnd.randint(0, 1060)
        s.glide(s.x, s.y, x, y, steps=rnd.randint(8, 30), step_ms=8)
        what = rnd.random()
        if what < 0.35:
            s.clicks(rnd.choice([1, 1, 1, 2, 3]), x, y)
        elif what < 0.6:
            s.click(x, y).type(rnd.choice(["hello world", "Report Q3\b4!", "x = y + 1"]))
            s.key("Return")
        elif what < 0.7:
            s.hotkey(*rnd.choice([("ctrl", "s"), ("ctrl", "shift", "Left"), ("alt", "Tab")]))
        elif what < 0.85:
            s.scroll(dy=rnd.choice([-1, 1]), notches=rnd.randint(1, 8), gap_ms=40)
        else:
            s.drag(x, y, rnd.randint(0, 1900), rnd.randint(0, 1060), steps=25)
        s.wait(rnd.choice([100, 300, 800, 1500, 4000]))
    end = s.t // MS
    changes = [(t * MS, rnd.choice([0.0, 0.001, 0.02, 0.3])) for t in range(0, end, 100)]
    changes = [c for c in changes if c[1] > 0]
    frames = [(i, t) for i, (t, f) in enumerate(changes) if f >= 0.02]
    return s, frames, changes


def baseline(events: list[RawEvent]) -> int:
    groups: dict[str, list[RawEvent]] = defaultdict(list)
    for e in events:
        groups[e.kind].append(e)
    return sum(len(g) for g in groups.values())


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    s, frames, changes = session(n)
    events = s.events
    steps = segment(events, frames, changes)
    base = timed(lambda: baseline(events), runs)
    seg = timed(lambda: segment(events, frames, changes), runs)
    print(
        f"session: {len(events)} raw events, {len(changes)} screen changes, "
        f"{len(frames)} frames, {len(steps)} steps, {s.t / 1e9 / 60:.0f} min"
    )
    print(f"baseline (group events by kind): {len(events) / base:12,.0f} events/s")
    print(f"segment (batch):                 {len(events) / seg:12,.0f} events/s")
    print(f"segment costs {seg / base:.1f}x the baseline; median of {runs} runs")


if __name__ == "__main__":
    main()
