"""Input sent to the live desktop through pynput's controllers (XTest on X11).

Key names are X keysym names as the recorder writes them (``Return``, ``a``,
``exclam``); modifiers are ``ctrl``, ``alt``, ``shift``, ``super``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from capture.errors import DemotraceError

Point = tuple[int, int]

# Pointer motion along a drag: one move every DRAG_STEP_PX pixels, DRAG_STEP_S apart.
DRAG_STEP_PX = 12
DRAG_STEP_S = 0.008
# Pause between the notches of one scroll, and after pressing before moving on a drag.
NOTCH_S = 0.02
SETTLE_S = 0.03
# A click is held this long, and the clicks of a double or triple click are this far apart:
# well inside any double-click interval, but not simultaneous, as some toolkits want.
HOLD_S = 0.02
CLICK_GAP_S = 0.05


class InputDevice(Protocol):
    """What the executor needs from an input backend; tests pass a recording fake."""

    def move(self, x: int, y: int) -> None: ...

    def click(self, x: int, y: int, button: str, count: int, modifiers: Sequence[str]) -> None: ...

    def drag(self, path: Sequence[Point], button: str, modifiers: Sequence[str]) -> None: ...

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None: ...

    def type(self, text: str) -> None: ...

    def keys(self, keys: Sequence[str], repeat: int) -> None: ...

    def hotkey(self, keys: Sequence[str]) -> None: ...


def interpolate(path: Sequence[Point], step_px: int = DRAG_STEP_PX) -> list[Point]:
    """The points of ``path`` with intermediate points at most ``step_px`` apart."""
    out = [path[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step_px))
        out.extend(
            (round(x0 + (x1 - x0) * i / n), round(y0 + (y1 - y0) * i / n)) for i in range(1, n + 1)
        )
    return out


class PynputInput:
    """Real input on the current display through pynput."""

    MODIFIER_KEYS = {"ctrl": "ctrl", "alt": "alt", "shift": "shift", "super": "cmd"}

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        from pynput import keyboard, mouse

        self._kb_mod = keyboard
        self._mouse_mod = mouse
        self._keyboard = keyboard.Controller()
        self._mouse = mouse.Controller()
        self._sleep = sleep

    def _button(self, name: str) -> Any:
        return getattr(self._mouse_mod.Button, name)

    def key(self, name: str) -> Any:
        """The pynput key for an X keysym name or a modifier name."""
        if name in self.MODIFIER_KEYS:
            return getattr(self._kb_mod.Key, self.MODIFIER_KEYS[name])
        from Xlib import XK

        keysym = XK.string_to_keysym(name)
        if not keysym and len(name) == 1:
            return self._kb_mod.KeyCode.from_char(name)
        if not keysym and name.startswith("U") and len(name) > 1:
            keysym = 0x01000000 | int(name[1:], 16)
        if not keysym:
            raise DemotraceError(f"cannot send the key {name!r}: no such X keysym")
        return self._kb_mod.KeyCode.from_vk(keysym)

    @contextmanager
    def _holding(self, names: Sequence[str]) -> Iterator[None]:
        keys = [self.key(n) for n in names]
        for k in keys:
            self._keyboard.press(k)
        try:
            yield
        finally:
            for k in reversed(keys):
                self._keyboard.release(k)

    def move(self, x: int, y: int) -> None:
        self._mouse.position = (x, y)

    def click(self, x: int, y: int, button: str, count: int, modifiers: Sequence[str]) -> None:
        self.move(x, y)
        self._sleep(SETTLE_S)
        pressed = self._button(button)
        with self._holding(modifiers):
            for n in range(count):
                if n:
                    self._sleep(CLICK_GAP_S)
                self._mouse.press(pressed)
                self._sleep(HOLD_S)
                self._mouse.release(pressed)

    def drag(self, path: Sequence[Point], button: str, modifiers: Sequence[str]) -> None:
        points = interpolate(path)
        self.move(*points[0])
        self._sleep(SETTLE_S)
        with self._holding(modifiers):
            self._mouse.press(self._button(button))
            try:
                for p in points[1:]:
                    self._sleep(DRAG_STEP_S)
                    self.move(*p)
                self._sleep(SETTLE_S)
            finally:
                self._mouse.release(self._button(button))

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self.move(x, y)
        self._sleep(SETTLE_S)
        # pynput: dy > 0 scrolls up; ours: dy > 0 scrolls down. dx > 0 is right in both.
        for _ in range(abs(dy)):
            self._mouse.scroll(0, -1 if dy > 0 else 1)
            self._sleep(NOTCH_S)
        for _ in range(abs(dx)):
            self._mouse.scroll(1 if dx > 0 else -1, 0)
            self._sleep(NOTCH_S)

    def type(self, text: str) -> None:
        self._keyboard.type(text)

    def keys(self, keys: Sequence[str], repeat: int) -> None:
        for _ in range(repeat):
            for name in keys:
                k = self.key(name)
                self._keyboard.press(k)
                self._keyboard.release(k)

    def hotkey(self, keys: Sequence[str]) -> None:
        with self._holding(keys):
            pass
