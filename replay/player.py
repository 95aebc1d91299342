"""The timeline of a trajectory as a chain of small pure transforms, like asciinema's player.

``cues`` turns steps into relative delays; ``cap_idle`` and ``at_speed``
reshape the delays; ``seek`` picks a range of steps; ``schedule`` makes the
delays absolute again. The viewer drives a timer over the result and the
executor paces its steps by it; neither does any time arithmetic of its own.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from capture.segment import Step

# Longest pause kept when replaying at the recording's pace (seconds); None keeps all.
DEFAULT_IDLE_LIMIT = 2.0


@dataclass(frozen=True, slots=True)
class Cue:
    """A step and how long to wait, after the previous cue, before it starts (seconds)."""

    step: Step
    delay: float

    @property
    def index(self) -> int:
        return self.step.index


def cues(steps: Iterable[Step]) -> Iterator[Cue]:
    """Relative time: each step's delay is the time since the previous step started."""
    previous: int | None = None
    for step in steps:
        delay = 0.0 if previous is None else max(0, step.t_start - previous) / 1e9
        previous = step.t_start
        yield Cue(step, delay)


def cap_idle(items: Iterable[Cue], limit: float | None) -> Iterator[Cue]:
    """No delay longer than ``limit`` seconds."""
    for cue in items:
        yield cue if limit is None or cue.delay <= limit else replace(cue, delay=limit)


def at_speed(items: Iterable[Cue], speed: float) -> Iterator[Cue]:
    """Delays divided by ``speed`` (2.0 plays twice as fast)."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    for cue in items:
        yield replace(cue, delay=cue.delay / speed)


def fixed_delay(items: Iterable[Cue], seconds: float) -> Iterator[Cue]:
    """The same delay before every step but the first, whatever the recording did."""
    for n, cue in enumerate(items):
        yield replace(cue, delay=0.0 if n == 0 else seconds)


def seek(steps: Iterable[Step], first: int | None = None, last: int | None = None) -> list[Step]:
    """Steps with ``first <= index <= last`` (either end open when None)."""
    return [
        s
        for s in steps
        if (first is None or s.index >= first) and (last is None or s.index <= last)
    ]


def schedule(items: Iterable[Cue]) -> list[tuple[float, Cue]]:
    """Absolute time: (seconds from the start of playback, cue); the first cue starts at 0."""
    out, t = [], 0.0
    for n, cue in enumerate(items):
        t = 0.0 if n == 0 else t + cue.delay
        out.append((t, cue))
    return out


def timeline(
    steps: Sequence[Step],
    *,
    speed: float = 1.0,
    idle_limit: float | None = DEFAULT_IDLE_LIMIT,
    delay: float | None = None,
    first: int | None = None,
    last: int | None = None,
) -> list[tuple[float, Cue]]:
    """The whole chain: seek, relative time, then a fixed delay or idle cap and speed."""
    chosen = cues(seek(steps, first, last))
    if delay is not None:
        return schedule(fixed_delay(chosen, delay))
    return schedule(at_speed(cap_idle(chosen, idle_limit), speed))


def cue_at(scheduled: Sequence[tuple[float, Cue]], t: float) -> int | None:
    """Position in ``scheduled`` of the step playing at ``t`` seconds (None before the first)."""
    times = [when for when, _ in scheduled]
    pos = bisect.bisect_right(times, t) - 1
    return pos if pos >= 0 else None
