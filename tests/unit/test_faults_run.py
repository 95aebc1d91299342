"""InjectedRun: the prefix replayed inside the injection log, the fault timed, the dialog shown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from capture.segment.steps import Action, Step, click, key, type_text
from replay.faults import Fault, plan_fault
from replay.faults_run import MAX_GAP_S, MIN_GAP_S, InjectedRun

S = 1_000_000_000


class Log:
    def __init__(self) -> None:
        self.sent: list[tuple[Action, bool]] = []
        self.active = False
        self.clock = 0
        self.dialogs: list[str] = []
        self.sleeps: list[float] = []

    @contextmanager
    def injecting(self) -> Iterator[None]:
        self.active = True
        try:
            yield
        finally:
            self.active = False

    def send(self, action: Action) -> None:
        self.sent.append((action, self.active))

    def now(self) -> int:
        self.clock += 1000
        return self.clock

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def show(self, text: str) -> Log:
        self.dialogs.append(text)
        return self

    def close(self) -> None:
        pass


def run(log: Log) -> InjectedRun:
    return InjectedRun(log, log, log.now, log.show, sleep=log.sleep)


def steps() -> list[Step]:
    return [
        Step(index=0, action=click(1, 2), t_start=0, t_end=1),
        Step(index=1, action=type_text("ab"), t_start=10 * S, t_end=10 * S + 1),
        Step(index=2, action=key("Return"), t_start=10 * S + 2, t_end=10 * S + 3),
    ]


def test_the_prefix_is_sent_as_injected_and_paced() -> None:
    log = Log()
    assert run(log).replay(steps()[:2], threading.Event())
    assert log.sent == [(click(1, 2), True), (type_text("ab"), True)]
    assert log.sleeps == [MAX_GAP_S, MIN_GAP_S]


def test_a_stop_during_the_prefix_ends_it() -> None:
    log, stop = Log(), threading.Event()
    stop.set()
    assert not run(log).replay(steps(), stop)
    assert log.sent == []


def test_the_fault_is_timed_and_a_dialog_shown() -> None:
    log = Log()
    r = run(log)
    times = r.apply(plan_fault(steps()[2], Fault("wrong-key")))
    assert log.sent == [(key("Escape"), True)]
    assert times.t_ns < times.takeover_ns
    assert r.dialog is None
    r.apply(plan_fault(steps()[2], Fault("dialog", dialog_text="Session expired")))
    assert log.dialogs == ["Session expired"] and r.dialog is log
