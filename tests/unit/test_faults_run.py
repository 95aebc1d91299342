"""InjectedRun over the executor's per-step API: the prefix, the fault and its times."""

from __future__ import annotations

import threading

import pytest

from capture.segment.steps import Step, click, key, type_text
from replay.faults import Fault, plan_fault
from replay.faults_run import MIN_GAP_S, InjectedRun, PrefixDiverged
from replay.screencheck import Check


class Runner:
    """The executor's wait_for/run_step, recorded; ``blank`` frames never show."""

    def __init__(self, blank: str = "") -> None:
        self.log: list[object] = []
        self.blank = blank
        self.clock = 0
        self.dialogs: list[str] = []
        self.sleeps: list[float] = []

    def wait_for(self, frame: str) -> Check:
        self.log.append(("wait", frame))
        ok = frame != self.blank
        return Check(frame, ok, 0.99 if ok else 0.2, None, 0.0)

    def run_step(self, step: Step) -> None:
        self.log.append(("run", step.index, step.action))

    def now(self) -> int:
        self.clock += 1000
        return self.clock

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def show(self, text: str) -> Runner:
        self.dialogs.append(text)
        return self

    def close(self) -> None:
        pass


def run(r: Runner) -> InjectedRun:
    return InjectedRun(r, r.now, r.show, sleep=r.sleep)


def steps() -> list[Step]:
    return [
        Step(index=0, action=click(1, 2), t_start=0, t_end=1, before_frame="f0"),
        Step(index=1, action=type_text("ab"), t_start=2, t_end=3, before_frame="f1"),
        Step(index=2, action=key("Return"), t_start=4, t_end=5, before_frame="f2"),
    ]


def test_each_step_runs_once_its_screen_shows() -> None:
    r = Runner()
    assert run(r).replay(steps()[:2], threading.Event())
    assert r.log == [
        ("wait", "f0"),
        ("run", 0, click(1, 2)),
        ("wait", "f1"),
        ("run", 1, type_text("ab")),
    ]
    assert r.sleeps == [MIN_GAP_S, MIN_GAP_S]


def test_a_stop_during_the_prefix_ends_it() -> None:
    r, stop = Runner(), threading.Event()
    stop.set()
    assert not run(r).replay(steps(), stop)
    assert r.log == []


def test_a_screen_that_never_shows_is_one_clear_error() -> None:
    r = Runner(blank="f1")
    with pytest.raises(PrefixDiverged, match="step 1: the screen never looked as it did"):
        run(r).replay(steps(), threading.Event())
    assert ("run", 1, type_text("ab")) not in r.log


def test_the_fault_replaces_the_step_and_is_timed() -> None:
    r = Runner()
    injected = run(r)
    times = injected.apply(steps()[2], plan_fault(steps()[2], Fault("wrong-key")))
    assert r.log == [("wait", "f2"), ("run", 2, key("Escape"))]
    assert times.t_ns < times.takeover_ns
    assert injected.dialog is None


def test_skip_sends_nothing_and_dialog_shows_the_box() -> None:
    r = Runner()
    injected = run(r)
    injected.apply(steps()[0], plan_fault(steps()[0], Fault("skip")))
    assert r.log == [("wait", "f0")]
    injected.apply(steps()[0], plan_fault(steps()[0], Fault("dialog", dialog_text="Expired")))
    assert r.dialogs == ["Expired"] and injected.dialog is r
