"""The replay executor's own cost per step at 1920x1080, screen checks included.

On a private Xvfb with the test form on screen, runs N ``move`` steps through
``Executor.run`` with ``verify=True`` and no pacing: per step, the wait for
the before-frame (one grab and comparison, since the screen already matches),
the input, and the after-frame check. Each step names its own frame, decoded
from PNG as a bundle would (the after-frame of one step is the next one's
before-frame, so one decode per step). The baseline, measured in the same
run, is one mss grab of the screen: the least any screen check costs.

Usage: python bench/bench_executor.py [steps]
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture.grabber import MssScreen
from capture.listener import InjectionLog
from capture.segment import Step
from capture.segment.steps import Action
from replay.bundle import png
from replay.executor import Executor
from replay.inputs import PynputInput
from replay.player import timeline
from replay.png import encode
from replay.trajectory import Screen
from scripted.xserver import XServer

ROOT = Path(__file__).resolve().parents[1]


class PngFrames:
    """Every name decodes the same PNG afresh, as distinct bundle frames would."""

    def __init__(self, data: bytes, rgb: np.ndarray) -> None:
        self._data, self._shape, self._name = data, rgb.shape, png.content_hash(rgb)

    def rgb(self, frame: str) -> np.ndarray:
        h, w, _ = self._shape
        return png.decode(self._data, self._name, w, h)  # decoded and hash-checked


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    x = XServer(1920, 1080)
    os.environ["DISPLAY"] = x.display
    form = subprocess.Popen(
        [sys.executable, "-m", "scripted.apps.form", "--geometry", "0,0,1000,800"],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "xcb"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert form.stdout is not None
        while form.stdout.readline().strip() != "ready":
            pass
        time.sleep(1.0)
        screen = MssScreen(x.display)
        _, _, w, h, pixels = screen.grab()
        rgb = np.ascontiguousarray(np.frombuffer(pixels, np.uint8).reshape(h, w, 4)[:, :, 2::-1])
        data = encode(rgb)
        frames = PngFrames(data, rgb)
        steps = [
            Step(
                i,
                Action.make("move", x=1200 + i % 50, y=900),
                i * 1_000_000,
                i * 1_000_000,
                before_frame=f"f{i}",
                after_frame=f"f{i + 1}",
            )
            for i in range(n)
        ]
        executor = Executor(frames, screen, PynputInput(), InjectionLog(), Screen(0, 0, w, h))
        times: list[float] = []
        cpu: list[float] = []
        last = [time.perf_counter(), time.process_time()]

        def on_step(step: Step, check: object) -> None:
            now, now_cpu = time.perf_counter(), time.process_time()
            times.append(now - last[0])
            cpu.append(now_cpu - last[1])
            last[:] = [now, now_cpu]

        result = executor.run(timeline(steps, delay=0.0), verify=True, on_step=on_step)
        assert result.reached_end, result.divergence
        grabs = []
        for _ in range(30):
            t0 = time.perf_counter()
            screen.grab()
            grabs.append(time.perf_counter() - t0)
        screen.close()
        del executor  # pynput's controllers close their display connections now
        gc.collect()
        wall, p90 = statistics.median(times[1:]) * 1000, statistics.quantiles(times[1:], n=10)[-1]
        print(
            f"executor per step, before- and after-frame checks included: {wall:.1f} ms median "
            f"(p90 {p90 * 1000:.1f} ms; CPU {statistics.median(cpu[1:]) * 1000:.1f} ms); "
            "target <= 150 ms"
        )
        print(f"baseline: one mss grab of {w}x{h}: {statistics.median(grabs) * 1000:.1f} ms median")
    finally:
        form.terminate()
        form.wait()
        x.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
