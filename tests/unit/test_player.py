from __future__ import annotations

import pytest

from capture.segment import Step
from capture.segment.steps import click
from replay.player import (
    Cue,
    at_speed,
    cap_idle,
    cue_at,
    cues,
    fixed_delay,
    schedule,
    seek,
    timeline,
)


def steps_at(*seconds: float) -> list[Step]:
    return [
        Step(index=i, action=click(1, 1), t_start=int(t * 1e9), t_end=int(t * 1e9))
        for i, t in enumerate(seconds)
    ]


def delays(items: list[Cue]) -> list[float]:
    return [round(c.delay, 6) for c in items]


def test_relative_time() -> None:
    assert delays(list(cues(steps_at(1.0, 1.5, 4.5, 4.6)))) == [0.0, 0.5, 3.0, 0.1]


def test_idle_cap_and_speed() -> None:
    chain = at_speed(cap_idle(cues(steps_at(0, 0.5, 10.5)), 2.0), 2.0)
    assert delays(list(chain)) == [0.0, 0.25, 1.0]
    assert delays(list(cap_idle(cues(steps_at(0, 9)), None))) == [0.0, 9.0]
    with pytest.raises(ValueError):
        list(at_speed(cues(steps_at(0)), 0))


def test_fixed_delay_ignores_the_recording() -> None:
    assert delays(list(fixed_delay(cues(steps_at(0, 0.1, 30)), 0.5))) == [0.0, 0.5, 0.5]


def test_seek_picks_a_range_and_starts_it_at_zero() -> None:
    steps = steps_at(0, 1, 2, 3, 4)
    assert [s.index for s in seek(steps, 2, 3)] == [2, 3]
    assert [s.index for s in seek(steps, None, 1)] == [0, 1]
    scheduled = timeline(steps, first=2, last=4)
    assert [(round(t, 3), c.index) for t, c in scheduled] == [(0.0, 2), (1.0, 3), (2.0, 4)]


def test_schedule_and_position() -> None:
    scheduled = schedule(cues(steps_at(5, 6, 8)))
    assert [t for t, _ in scheduled] == [0.0, 1.0, 3.0]
    assert cue_at(scheduled, -0.1) is None
    assert cue_at(scheduled, 0.0) == 0
    assert cue_at(scheduled, 2.9) == 1
    assert cue_at(scheduled, 99) == 2


def test_timeline_speed_and_delay() -> None:
    steps = steps_at(0, 1, 2)
    assert [t for t, _ in timeline(steps, speed=4)] == [0.0, 0.25, 0.5]
    assert [t for t, _ in timeline(steps, delay=0.1)] == pytest.approx([0.0, 0.1, 0.2])
