"""Injected input is marked while demotrace sends it, and for a moment after."""

from __future__ import annotations

from capture.listener import InjectionLog


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_input_heard_just_after_a_span_closes_is_still_injected() -> None:
    clock = Clock()
    log = InjectionLog(grace_s=0.3, clock=clock)
    assert not log.active and not log.injecting_now
    with log.injecting():
        with log.injecting():  # nested spans: the outer one decides
            assert log.injecting_now
        clock.t += 1.0
        assert log.active and log.injecting_now
    assert not log.injecting_now
    # The listener hears XRecord's copy of the last release a little late.
    clock.t += 0.29
    assert log.active
    # The person's own input, later, is theirs.
    clock.t += 0.02
    assert not log.active
