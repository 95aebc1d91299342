"""The scripted demonstration: a deterministic, human-paced session on the test form.

The script is built once from the form's widget rectangles and a seed, as a list
of xdotool invocations. Building it also counts, exactly, the raw input events
it will inject, in the recorder's vocabulary (``move``, ``press``, ``release``,
``scroll``, ``key_down``, ``key_up``):

- every ``mousemove`` goes to a pixel different from the pointer's current one,
  so each produces exactly one motion event;
- a click is one press and one release; a wheel notch (buttons 4-7) is one
  ``scroll`` (X reports it as a press and a release of that button; listeners
  report the press only);
- ``xdotool type`` wraps each character that needs shift on a US keymap in a
  shift press and release, so such a character is two downs and two ups;
- ``xdotool key ctrl+a`` is two downs and two ups.

``type`` and ``key`` consume the rest of an xdotool command line, so each one
ends its invocation; pointer glides and clicks are chained with ``sleep`` into a
single invocation, which keeps the harness's own footprint small.
"""

from __future__ import annotations

import math
import random
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("move", "press", "release", "scroll", "key_down", "key_up")
SHIFTED = set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ')
WHEEL = {"up": 4, "down": 5, "left": 6, "right": 7}

# Where the pointer rests before the recorder starts: outside the form window.
HOME = (1500, 950)


@dataclass
class Script:
    """xdotool invocations (each a list of arguments after ``xdotool``) and pauses."""

    steps: list[tuple[str, list[str] | float]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    presses: list[tuple[int, int, str]] = field(default_factory=list)
    planned_seconds: float = 0.0

    def expected(self) -> dict[str, int]:
        return {kind: self.counts[kind] for kind in KINDS}


class _Builder:
    def __init__(self, widgets: dict[str, list[int]], seed: int) -> None:
        self.widgets = widgets
        self.rng = random.Random(seed)
        self.script = Script()
        self.chain: list[str] = []
        self.pos = HOME

    # -- plumbing ---------------------------------------------------------
    def _flush(self) -> None:
        if self.chain:
            self.script.steps.append(("xdotool", self.chain))
            self.chain = []

    def _sleep(self, seconds: float) -> None:
        self.chain += ["sleep", f"{seconds:.3f}"]
        self.script.planned_seconds += seconds

    def pause(self, seconds: float) -> None:
        self._flush()
        self.script.steps.append(("pause", seconds))
        self.script.planned_seconds += seconds

    def center(self, name: str, fx: float = 0.5, fy: float = 0.5) -> tuple[int, int]:
        x, y, w, h = self.widgets[name]
        return x + round(w * fx), y + round(h * fy)

    # -- pointer ----------------------------------------------------------
    def move_to(self, x: int, y: int) -> None:
        if (x, y) == self.pos:
            return
        self.chain += ["mousemove", str(x), str(y)]
        self.script.counts["move"] += 1
        self.pos = (x, y)

    def glide(self, target: tuple[int, int], seconds: float | None = None) -> None:
        """A human-like glide: eased, slightly curved, ~100 small moves per second."""
        (x0, y0), (x1, y1) = self.pos, target
        distance = math.hypot(x1 - x0, y1 - y0)
        if distance == 0:
            return
        seconds = seconds or min(1.2, 0.25 + distance / 1500)
        steps = max(4, round(seconds / 0.012))
        bow = self.rng.uniform(-0.12, 0.12) * distance
        nx, ny = -(y1 - y0) / distance, (x1 - x0) / distance
        for i in range(1, steps + 1):
            t = i / steps
            eased = t * t * (3 - 2 * t)
            arc = math.sin(math.pi * t) * bow
            x = round(x0 + (x1 - x0) * eased + nx * arc)
            y = round(y0 + (y1 - y0) * eased + ny * arc)
            if i == steps:
                x, y = x1, y1
            if (x, y) != self.pos:
                self.move_to(x, y)
                self._sleep(seconds / steps)

    def click(self, button: int = 1, repeat: int = 1) -> None:
        name = {1: "left", 2: "middle", 3: "right"}[button]
        for i in range(repeat):
            self.chain += ["click", str(button)]
            if i < repeat - 1:
                self._sleep(0.09)
            self.script.counts["press"] += 1
            self.script.counts["release"] += 1
            self.script.presses.append((self.pos[0], self.pos[1], name))

    def glide_click(self, name: str, button: int = 1, repeat: int = 1, **frac: float) -> None:
        self.glide(self.center(name, **frac))
        self._sleep(self.rng.uniform(0.12, 0.25))
        self.click(button, repeat)
        self._flush()

    def wheel(self, direction: str, notches: int, interval: float = 0.11) -> None:
        for _ in range(notches):
            self.chain += ["click", str(WHEEL[direction])]
            self.script.counts["scroll"] += 1
            self._sleep(interval)
        self._flush()

    def drag(self, points: list[tuple[int, int]], step_seconds: float = 0.015) -> None:
        self.glide(points[0])
        self._sleep(0.15)
        self.chain += ["mousedown", "1"]
        self.script.counts["press"] += 1
        self.script.presses.append((self.pos[0], self.pos[1], "left"))
        for x, y in points[1:]:
            self._sleep(step_seconds)
            self.move_to(x, y)
        self._sleep(0.1)
        self.chain += ["mouseup", "1"]
        self.script.counts["release"] += 1
        self._flush()

    # -- keyboard ---------------------------------------------------------
    def type(self, text: str, delay_ms: int = 75) -> None:
        self._flush()
        self.script.steps.append(("xdotool", ["type", "--delay", str(delay_ms), text]))
        for char in text:
            keys = 2 if char in SHIFTED else 1
            self.script.counts["key_down"] += keys
            self.script.counts["key_up"] += keys
        self.script.planned_seconds += len(text) * delay_ms / 1000

    def key(self, *combos: str, delay_ms: int = 120) -> None:
        self._flush()
        self.script.steps.append(("xdotool", ["key", "--delay", str(delay_ms), *combos]))
        for combo in combos:
            keys = len(combo.split("+"))
            self.script.counts["key_down"] += keys
            self.script.counts["key_up"] += keys
        self.script.planned_seconds += len(combos) * delay_ms / 1000


def build(widgets: dict[str, list[int]], seed: int = 7) -> Script:
    """The demonstration: fill the form, fix a typo, toggle, scroll, draw, re-type."""
    b = _Builder(widgets, seed)
    b.pause(1.5)

    b.glide_click("name", fx=0.3)
    b.type("Ada Lovelace")
    b.pause(0.8)
    b.key("Tab")
    b.type("ada.lovelace@example.com")
    b.pause(1.2)

    b.glide_click("notes", fx=0.2)
    b.type("Hello, World! (test #1) 50% & more?")
    b.pause(0.6)
    b.key("ctrl+a")
    b.type("Replaced: OK; see ~/notes_v2.txt")
    b.key("BackSpace", "BackSpace", "BackSpace")
    b.type("md")
    b.pause(1.5)

    b.glide_click("name", repeat=2, fx=0.1)
    b.pause(0.5)
    b.type("Grace")
    b.key("End")
    b.pause(1.0)

    for _ in range(3):
        b.glide_click("toggle")
        b.pause(1.0)
        b.glide(b.center("toggle", fx=0.8, fy=0.3))
    b.glide_click("check", fx=0.1)
    b.pause(1.0)

    b.glide(b.center("list", fy=0.4))
    b.pause(0.4)
    b.wheel("down", 10)
    b.pause(0.8)
    b.wheel("up", 4)
    b.glide_click("list", fy=0.25)
    b.key("Down", "Down", "Down")
    b.pause(1.2)

    b.glide(b.center("table", fy=0.55))
    b.pause(0.4)
    b.wheel("right", 6)
    b.pause(0.6)
    b.wheel("left", 3)
    b.wheel("down", 2)
    b.pause(1.2)

    x, y, w, h = widgets["canvas"]
    wave = [
        (x + 60 + round(i * (w - 120) / 80), y + h // 2 + round(math.sin(i / 6) * h / 3))
        for i in range(81)
    ]
    b.drag(wave)
    b.pause(0.8)
    loop = [
        (
            x + w // 2 + round(math.cos(a / 40 * 2 * math.pi) * 70),
            y + h // 2 + round(math.sin(a / 40 * 2 * math.pi) * 60),
        )
        for a in range(41)
    ]
    b.drag(loop, step_seconds=0.02)
    b.pause(1.0)
    b.glide_click("canvas", button=3, fx=0.85, fy=0.3)
    b.pause(0.5)
    b.glide_click("canvas", button=2, fx=0.9, fy=0.7)
    b.pause(1.0)

    b.glide_click("email", repeat=3, fx=0.4)
    b.pause(0.4)
    b.type("Grace.Hopper+bench@example.org")
    b.key("Return")
    b.pause(1.5)
    b.key("shift+Tab")
    b.key("ctrl+z")
    b.pause(0.8)
    b.key("Escape")
    b.pause(1.0)

    b.glide_click("toggle", fx=0.6)
    b.pause(1.0)
    b.glide(rest_point(widgets))
    b._flush()
    return b.script


def rest_point(widgets: dict[str, list[int]]) -> tuple[int, int]:
    """A resting place inside the window, away from every widget."""
    x, y, _w, _h = widgets["patch"]
    return x + 320, y + 60


def run(script: Script, env: dict[str, str], until: float | None = None) -> tuple[float, float]:
    """Play the script; then idle until monotonic time ``until``. Returns (start, end)."""
    start = time.monotonic()
    for kind, arg in script.steps:
        if kind == "pause":
            assert isinstance(arg, float)
            time.sleep(arg)
        else:
            assert isinstance(arg, list)
            subprocess.run(["xdotool", *arg], env=env, check=True)
    if until is not None:
        time.sleep(max(0.0, until - time.monotonic()))
    return start, time.monotonic()
