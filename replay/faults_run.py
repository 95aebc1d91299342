"""Running a fault injection: replay the steps before K, apply the fault, hand over.

``InjectedRun`` drives an ``ActionSender`` (anything that performs one action
of the vocabulary on the screen) inside the recorder's injection log, so the
recorder marks what it sends as synthetic, and reports the session-clock times
that label the recorded steps (see capture/segment/injected.py).

``PynputSender`` is a small sender of our own on pynput's controllers (XTest on
X11): enough for the prefix and the fault.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from capture.segment.steps import Action, Step
from replay.faults import FaultPlan

# Pause between replayed steps: the recorded gap, kept within these bounds (seconds).
MIN_GAP_S = 0.3
MAX_GAP_S = 1.5
# Longest ``wait`` step replayed as it was.
MAX_WAIT_S = 3.0
MODIFIER_KEYSYMS = {"ctrl": "Control_L", "alt": "Alt_L", "shift": "Shift_L", "super": "Super_L"}


class ActionSender(Protocol):
    def send(self, action: Action) -> None: ...


class Injections(Protocol):
    def injecting(self) -> AbstractContextManager[None]: ...


class Dialog(Protocol):
    def close(self) -> None: ...


@dataclass
class FaultTimes:
    """Session-clock times of the fault (``t_ns``) and the takeover (``takeover_ns``)."""

    t_ns: int
    takeover_ns: int


class InjectedRun:
    def __init__(
        self,
        sender: ActionSender,
        injections: Injections,
        now_ns: Callable[[], int],
        show_dialog: Callable[[str], Dialog],
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        self._sender = sender
        self._injections = injections
        self._now = now_ns
        self._show_dialog = show_dialog
        self._sleep = sleep
        self.dialog: Dialog | None = None

    def replay(self, steps: Sequence[Step], stop: threading.Event) -> bool:
        """Perform ``steps`` in order, paced like the recording; False if stopped first."""
        for i, step in enumerate(steps):
            if stop.is_set():
                return False
            if step.action.type == "wait":
                self._sleep(min(float(step.action["seconds"]), MAX_WAIT_S))
            else:
                with self._injections.injecting():
                    self._sender.send(step.action)
            following = steps[i + 1] if i + 1 < len(steps) else None
            gap = (following.t_start - step.t_end) / 1e9 if following else MIN_GAP_S
            self._sleep(min(max(gap, MIN_GAP_S), MAX_GAP_S))
        return not stop.is_set()

    def apply(self, plan: FaultPlan) -> FaultTimes:
        t_ns = self._now()
        with self._injections.injecting():
            for action in plan.actions:
                self._sender.send(action)
        if plan.dialog_text is not None:
            self.dialog = self._show_dialog(plan.dialog_text)
        self._sleep(MIN_GAP_S)  # let the screen show the fault before the person acts
        return FaultTimes(t_ns, self._now())


class PynputSender:
    """Performs actions with pynput's mouse and keyboard controllers."""

    def __init__(self) -> None:
        from pynput import keyboard, mouse
        from Xlib import display as xdisplay

        self._mouse = mouse.Controller()
        self._keyboard = keyboard.Controller()
        self._buttons = {b: getattr(mouse.Button, b) for b in ("left", "right", "middle")}
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
            raise ValueError(f"no key for {name!r} on this keyboard")
        return int(code)

    def _chord(self, keys: Sequence[str]) -> None:
        # Named keys go through XTest directly: pynput's controller would also
        # tell this process's listeners, and the recorder would see each twice.
        from Xlib import X
        from Xlib.ext import xtest

        codes = [self._keycode(k) for k in keys]
        for code in codes:
            xtest.fake_input(self._x, X.KeyPress, code)
        for code in reversed(codes):
            xtest.fake_input(self._x, X.KeyRelease, code)
        self._x.sync()

    def _hold(self, modifiers: Sequence[str], down: bool) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        for m in modifiers if down else reversed(modifiers):
            xtest.fake_input(self._x, X.KeyPress if down else X.KeyRelease, self._keycode(m))
        self._x.sync()

    def send(self, action: Action) -> None:
        kind, f = action.type, action.fields
        if kind in ("click", "double_click", "triple_click", "scroll", "move"):
            self._mouse.position = (f["x"], f["y"])
            time.sleep(0.05)
        if kind in ("click", "double_click", "triple_click"):
            count = {"click": 1, "double_click": 2, "triple_click": 3}[kind]
            self._hold(f["modifiers"], True)
            self._mouse.click(self._buttons[f["button"]], count)
            self._hold(f["modifiers"], False)
        elif kind == "drag":
            path = f["path"]
            self._mouse.position = path[0]
            time.sleep(0.05)
            self._mouse.press(self._buttons[f["button"]])
            for point in path[1:]:
                time.sleep(0.01)
                self._mouse.position = point
            self._mouse.release(self._buttons[f["button"]])
        elif kind == "scroll":
            self._mouse.scroll(f["dx"], -f["dy"])  # ours: dy > 0 is down; pynput's: up
        elif kind == "type":
            self._keyboard.type(f["text"])
        elif kind == "key":
            for _ in range(f["repeat"]):
                self._chord(f["keys"])
        elif kind == "hotkey":
            self._chord(f["keys"])
        elif kind == "wait":
            time.sleep(min(f["seconds"], MAX_WAIT_S))
