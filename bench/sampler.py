"""CPU time and resident memory of a process and all its descendants, sampled."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil


@dataclass
class Sample:
    t: float  # time.monotonic()
    cpu: float  # seconds of CPU used so far by the whole tree
    rss: int  # bytes resident now, summed over the tree


@dataclass
class TreeSampler:
    """Polls ``pid`` and its descendants every ``interval`` seconds on a thread.

    CPU time of a descendant that has exited is kept at its last sampled value,
    so short-lived children are counted (up to one interval of their life).
    """

    pid: int
    interval: float = 0.2
    on_sample: Callable[[Sample], None] | None = None
    samples: list[Sample] = field(default_factory=list)
    peak_rss: int = 0
    _cpu_by_pid: dict[tuple[int, float], float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def sample(self) -> Sample:
        with self._lock:
            rss = 0
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for proc in procs:
                try:
                    with proc.oneshot():
                        times = proc.cpu_times()
                        mem = proc.memory_info().rss
                        key = (proc.pid, proc.create_time())
                except psutil.Error:
                    continue
                self._cpu_by_pid[key] = times.user + times.system
                rss += mem
            sample = Sample(time.monotonic(), sum(self._cpu_by_pid.values()), rss)
            self.samples.append(sample)
            self.peak_rss = max(self.peak_rss, rss)
        if self.on_sample is not None:
            self.on_sample(sample)
        return sample

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def start(self) -> TreeSampler:
        self.sample()
        self._thread = threading.Thread(target=self._loop, name="tree-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def peak_cpu(self, start: float, end: float, window: float = 5.0) -> float | None:
        """Highest CPU fraction of one core over any ``window``-second span in [start, end]."""
        points = [s for s in self.samples if start <= s.t <= end]
        best: float | None = None
        j = 0
        for i, first in enumerate(points):
            j = max(j, i)
            while j < len(points) - 1 and points[j].t - first.t < window:
                j += 1
            span = points[j].t - first.t
            if span >= window * 0.9:
                rate = (points[j].cpu - first.cpu) / span
                best = rate if best is None else max(best, rate)
        return best
