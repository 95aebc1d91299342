"""Running a fault injection: replay the steps before K, apply the fault, hand over.

``InjectedRun`` drives the replay executor (replay/executor.py) one step at a
time: it waits for each step's before-frame, sends the step (the executor marks
what it sends as synthetic through the recorder's injection log), then sends
the fault's actions in place of step K and reports the session-clock times
that label the recorded steps (see capture/segment/injected.py).

``RecordedInput`` is the executor's pynput input with named keys sent through
XTest alone: pynput's controller also tells listeners in its own process about
the keys it sends, and the recorder listening in this process would see each
key twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from capture.errors import DemotraceError
from capture.segment.steps import Step
from replay.faults import FaultPlan
from replay.inputs import PynputInput
from replay.screencheck import Check

# Pause after each replayed step before looking for the next one's screen (seconds).
MIN_GAP_S = 0.3
MODIFIER_KEYSYMS = {"ctrl": "Control_L", "alt": "Alt_L", "shift": "Shift_L", "super": "Super_L"}


class StepRunner(Protocol):
    """The executor's per-step API (replay.executor.Executor)."""

    def wait_for(self, frame: str) -> Check: ...

    def run_step(self, step: Step) -> None: ...


class Dialog(Protocol):
    def close(self) -> None: ...


class PrefixDiverged(DemotraceError):
    """The screen never showed what the recording showed before a replayed step."""


@dataclass
class FaultTimes:
    """Session-clock times of the fault (``t_ns``) and the takeover (``takeover_ns``)."""

    t_ns: int
    takeover_ns: int


class InjectedRun:
    def __init__(
        self,
        runner: StepRunner,
        now_ns: Callable[[], int],
        show_dialog: Callable[[str], Dialog],
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        self._runner = runner
        self._now = now_ns
        self._show_dialog = show_dialog
        self._sleep = sleep
        self.dialog: Dialog | None = None

    def _ready(self, step: Step) -> None:
        if step.before_frame is None:
            return
        check = self._runner.wait_for(str(step.before_frame))
        if not check.ok:
            raise PrefixDiverged(
                f"step {step.index}: the screen never looked as it did before this step "
                f"(similarity {check.similarity:.3f}); start the app as it was when the "
                "session was recorded"
            )

    def replay(self, steps: Sequence[Step], stop: threading.Event) -> bool:
        """Perform ``steps`` in order, each once its screen shows; False if stopped first."""
        for step in steps:
            if stop.is_set():
                return False
            self._ready(step)
            self._runner.run_step(step)
            self._sleep(MIN_GAP_S)
        return not stop.is_set()

    def apply(self, step: Step, plan: FaultPlan) -> FaultTimes:
        """Step ``step`` as the fault has it: its actions instead, or none, or a dialog."""
        self._ready(step)
        t_ns = self._now()
        for action in plan.actions:
            self._runner.run_step(step.evolve(action=action))
        if plan.dialog_text is not None:
            self.dialog = self._show_dialog(plan.dialog_text)
        self._sleep(MIN_GAP_S)  # let the screen show the fault before the person acts
        return FaultTimes(t_ns, self._now())


class RecordedInput(PynputInput):
    """``PynputInput`` whose keys reach the recorder in this process once."""

    def __init__(self) -> None:
        super().__init__()
        from Xlib import display as xdisplay

        self._x: Any = xdisplay.Display()

    def close(self) -> None:
        self._x.close()

    def _keycode(self, name: str) -> int:
        from Xlib import XK

        keysym = XK.string_to_keysym(MODIFIER_KEYSYMS.get(name, name))
        if not keysym and len(name) == 1:
            keysym = ord(name)
        code = self._x.keysym_to_keycode(keysym) if keysym else 0
        if not code:
            raise DemotraceError(f"cannot send the key {name!r}: not on this keyboard")
        return int(code)

    def _fake(self, name: str, down: bool) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        xtest.fake_input(self._x, X.KeyPress if down else X.KeyRelease, self._keycode(name))
        self._x.sync()

    @contextmanager
    def _holding(self, names: Sequence[str]) -> Iterator[None]:
        for name in names:
            self._fake(name, True)
        try:
            yield
        finally:
            for name in reversed(names):
                self._fake(name, False)

    def keys(self, keys: Sequence[str], repeat: int) -> None:
        for _ in range(repeat):
            for name in keys:
                self._fake(name, True)
                self._fake(name, False)
