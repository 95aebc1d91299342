"""Scripted demonstrations on real apps, each writing its own ground truth.

A scenario drives a real Qt app (the test form or the test editor) with
xdotool the way a person would: pointer glides of many small moves, pauses,
typing with corrections. While it plays, it writes down the steps a person
would name, in the JSON form of the step contract; ``scripted.stepmatch`` scores
what a recorder made of the same input against that list.

Used by the end-to-end tests (``tests/e2e/test_segment_scenarios.py``) and by
the benchmark that compares recorders (``python -m bench.segment_f1``).
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capture.segment import SegmentationRules, Step, segment
from capture.store.database import open_database, sqlite_url
from capture.store.recording import Recording, load_recording
from scripted.cli import start_recorder
from scripted.xserver import ROOT, XServer, read_line, stop_process

# Where the pointer rests before a recording starts: outside every app window.
HOME = (1500, 950)
BUTTONS = {"left": "1", "middle": "2", "right": "3"}
# Wheel buttons: (xdotool button, dx, dy) per notch; dy > 0 is down.
WHEEL = {"up": ("4", 0, -1), "down": ("5", 0, 1), "left": ("6", -1, 0), "right": ("7", 1, 0)}

Truth = list[dict[str, Any]]


@dataclass
class App:
    """A test app running on a real X display, with the layout it announced."""

    proc: subprocess.Popen[str]
    layout: dict[str, Any]

    @property
    def widgets(self) -> dict[str, list[int]]:
        return dict(self.layout["widgets"])

    def at(self, name: str, fx: float = 0.5, fy: float = 0.5) -> tuple[int, int]:
        x, y, w, h = self.widgets[name]
        return x + round(w * fx), y + round(h * fy)

    def close(self) -> None:
        stop_process(self.proc)


def start_app(env: dict[str, str], module: str, geometry: str, log: Path | None = None) -> App:
    """Start ``python -m module`` and wait for its layout line and ``ready``."""
    args = [sys.executable, "-m", module, "--geometry", geometry]
    if log is not None:
        args += ["--log", str(log)]
    proc = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    layout: dict[str, Any] = {}
    deadline = time.monotonic() + 60
    try:
        while True:
            line = read_line(proc, max(0.1, deadline - time.monotonic())).strip()
            if not line and proc.poll() is not None:
                raise RuntimeError(f"{module} exited before it was ready")
            if line.startswith("{"):
                layout = json.loads(line)
            elif line == "ready":
                return App(proc, layout)
    except BaseException:
        stop_process(proc)
        raise


class Driver:
    """Plays input with xdotool and writes down the steps a person would name."""

    def __init__(self, env: dict[str, str], seed: int = 7, key_delay_ms: int = 70) -> None:
        self.env = env
        self.rng = random.Random(seed)
        self.key_delay_ms = key_delay_ms
        self.truth: Truth = []
        out = self.xdotool("getmouselocation").split()
        self.pos = (int(out[0].split(":")[1]), int(out[1].split(":")[1]))

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, check=True, capture_output=True, text=True, timeout=60
        )
        return done.stdout

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)

    # -- pointer

    def glide(self, x: int, y: int, step_ms: int = 12) -> None:
        """Eased, slightly bowed path of small moves ending exactly at (x, y)."""
        sx, sy = self.pos
        distance = math.hypot(x - sx, y - sy)
        steps = max(8, min(60, round(distance / 20)))
        bow = self.rng.uniform(-0.08, 0.08) * distance
        nx, ny = (-(y - sy) / distance, (x - sx) / distance) if distance else (0.0, 0.0)
        chain: list[str] = []
        last = self.pos
        for i in range(1, steps + 1):
            t = i / steps
            eased = t * t * (3 - 2 * t)
            off = bow * math.sin(math.pi * t)
            jitter = 0 if i == steps else self.rng.choice((-1, 0, 0, 1))
            px = round(sx + (x - sx) * eased + nx * off) + jitter
            py = round(sy + (y - sy) * eased + ny * off)
            if i == steps:
                px, py = x, y
            if (px, py) == last:
                continue
            chain += ["mousemove", str(px), str(py), "sleep", f"{step_ms / 1000:.3f}"]
            last = (px, py)
        if chain:
            self.xdotool(*chain)
        self.pos = (x, y)
        time.sleep(0.15)  # the hand settles before it clicks

    def click(self, button: str = "left", modifiers: tuple[str, ...] = (), count: int = 1) -> None:
        kind = {1: "click", 2: "double_click", 3: "triple_click"}[count]
        args: list[str] = []
        for m in modifiers:
            args += ["keydown", m]
        args += ["click", "--repeat", str(count), "--delay", "90", BUTTONS[button]]
        for m in reversed(modifiers):
            args += ["keyup", m]
        self.xdotool(*args)
        x, y = self.pos
        self.truth.append(
            {"type": kind, "x": x, "y": y, "button": button, "modifiers": list(modifiers)}
        )
        time.sleep(0.3)

    def scroll(self, direction: str, notches: int, gap_ms: int = 60) -> None:
        button, dx, dy = WHEEL[direction]
        self.xdotool("click", "--repeat", str(notches), "--delay", str(gap_ms), button)
        x, y = self.pos
        self.truth.append(
            {"type": "scroll", "x": x, "y": y, "dx": dx * notches, "dy": dy * notches}
        )
        time.sleep(0.3)

    def drag(self, x: int, y: int, steps: int = 25, step_ms: int = 40) -> None:
        """Press, move slowly (a wavy path), release."""
        sx, sy = self.pos
        chain = ["mousedown", "1", "sleep", "0.1"]
        for i in range(1, steps + 1):
            t = i / steps
            wave = 0 if i == steps else round(12 * math.sin(2 * math.pi * t))
            chain += [
                "mousemove",
                str(round(sx + (x - sx) * t)),
                str(round(sy + (y - sy) * t) + wave),
            ]
            chain += ["sleep", f"{step_ms / 1000:.3f}"]
        chain += ["sleep", "0.1", "mouseup", "1"]
        self.xdotool(*chain)
        self.pos = (x, y)
        self.truth.append(
            {"type": "drag", "path": [[sx, sy], [x, y]], "button": "left", "modifiers": []}
        )
        time.sleep(0.3)

    # -- keyboard

    def type(self, text: str) -> None:
        """Type ``text``; each backspace character is a press of BackSpace (fixing a typo)."""
        result: list[str] = []
        for i, part in enumerate(text.split("\b")):
            if i:
                self.xdotool("key", "--delay", str(self.key_delay_ms), "BackSpace")
                if result:
                    result.pop()
            if part:
                self.xdotool("type", "--delay", str(self.key_delay_ms), part)
                result.extend(part)
        self.truth.append({"type": "type", "text": "".join(result)})
        time.sleep(0.3)

    def key(self, name: str) -> None:
        self.xdotool("key", name)
        self.truth.append({"type": "key", "keys": [name], "repeat": 1})
        time.sleep(0.4)

    def hotkey(self, spec: str) -> None:
        self.xdotool("key", spec)
        self.truth.append({"type": "hotkey", "keys": spec.split("+")})
        time.sleep(0.4)


@dataclass(frozen=True)
class Scenario:
    name: str
    app: str  # module of the app under test
    geometry: str
    plain: bool
    play: Callable[[Driver, App], None]
    about: str = ""


def form_fill(d: Driver, app: App) -> None:
    """Fill the form: glides, clicks, typing, Tab, Return, two slow clicks on one button."""
    d.glide(*app.at("name"))
    d.click()
    d.type("Ada Lovelace")
    d.key("Tab")
    d.type("ada@example.com")
    d.key("Tab")
    d.type("Notes: 1843 (draft)")
    d.key("Return")
    d.glide(*app.at("check", 0.1))
    d.click()
    d.glide(*app.at("toggle"))
    d.click()
    d.pause(0.8)  # longer than the double-click interval: two clicks
    d.click()
    d.glide(*app.at("list", 0.3, 0.05))
    d.click()
    d.key("Down")


def editor_corrections(d: Driver, app: App) -> None:
    """Edit text: typos fixed with BackSpace, Return, ctrl+shift+Left, word and line selection."""
    cw = float(app.layout["char_width"])
    line3 = app.widgets["line3"]
    d.glide(line3[0] + round(cw * 26) + 40, line3[1] + line3[3] // 2)
    d.click()
    d.key("Return")
    d.type("Helo\b\bllo world")
    d.key("Return")
    d.type("Secnod\b\b\bond line")
    d.hotkey("ctrl+shift+Left")
    d.type("row")
    d.hotkey("ctrl+z")
    line1 = app.widgets["line1"]
    d.glide(line1[0] + 4 + round(cw * 6.5), line1[1] + line1[3] // 2)  # "quick"
    d.click(count=2)
    d.type("slow")
    line2 = app.widgets["line2"]
    d.glide(line2[0] + 4 + round(cw * 8), line2[1] + line2[3] // 2)
    d.click(count=3)
    d.key("Delete")
    d.hotkey("ctrl+End")
    d.key("Escape")


def pointer_work(d: Driver, app: App) -> None:
    """Wheel bursts (vertical, horizontal), ctrl-click, double and triple clicks, a slow drag."""
    d.glide(*app.at("list", 0.5, 0.6))
    d.scroll("down", 3)
    d.pause(1.0)
    d.scroll("down", 2)
    d.pause(1.0)
    d.scroll("up", 4)
    d.glide(*app.at("table", 0.5, 0.6))
    d.scroll("right", 3)
    d.pause(1.0)
    d.scroll("left", 1)
    d.glide(*app.at("list", 0.3, 0.2))
    d.click(modifiers=("ctrl",))
    d.glide(*app.at("list", 0.3, 0.4))
    d.click(count=2)
    d.glide(*app.at("email", 0.3))
    d.click(count=3)
    d.glide(*app.at("canvas", 0.1, 0.3))
    d.drag(*app.at("canvas", 0.6, 0.6))
    d.glide(*app.at("canvas", 0.8, 0.3))
    d.click("right")
    d.glide(*app.at("canvas", 0.9, 0.7))
    d.click("middle")
    d.glide(*app.at("toggle"))
    d.click()


SCENARIOS = (
    Scenario(
        "form_fill", "scripted.apps.form", "0,0,1000,800", True, form_fill, form_fill.__doc__ or ""
    ),
    Scenario(
        "editor_corrections",
        "scripted.apps.editor",
        "0,0,900,600",
        False,
        editor_corrections,
        editor_corrections.__doc__ or "",
    ),
    Scenario(
        "pointer_work",
        "scripted.apps.form",
        "0,0,1000,800",
        False,
        pointer_work,
        pointer_work.__doc__ or "",
    ),
)


@dataclass
class Recorded:
    """One scenario recorded by demotrace and segmented from the store."""

    scenario: Scenario
    truth: Truth
    steps: list[Step]
    timeline: Recording
    db_url: str
    layout: dict[str, Any]
    stderr: str = ""
    exit_code: int = 0
    log: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [s.action.to_json() for s in self.steps]


def play(env: dict[str, str], scenario: Scenario, app: App, seed: int = 7) -> Truth:
    """Run the scenario's script on ``app``; returns the ground truth it wrote."""
    driver = Driver(env, seed)
    scenario.play(driver, app)
    return driver.truth


def park_pointer(env: dict[str, str]) -> None:
    subprocess.run(["xdotool", "mousemove", *map(str, HOME)], env=env, check=True, timeout=30)


def record_with_demotrace(x: XServer, scenario: Scenario, workdir: Path) -> Recorded:
    """Start the app, record the scenario with ``demotrace record``, segment what was stored."""
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{scenario.name}.jsonl"
    app = start_app(x.env, scenario.app, scenario.geometry, log)
    url = sqlite_url(workdir / f"{scenario.name}.db")
    try:
        park_pointer(x.env)
        rec = start_recorder(x, url, "--task", scenario.name)
        try:
            time.sleep(1.0)
            truth = play(x.env, scenario, app)
            time.sleep(1.0)
        except BaseException:
            with contextlib.suppress(Exception):
                rec.kill()
            raise
        code = rec.stop()
    finally:
        app.close()
    db = open_database(url)
    try:
        timeline = load_recording(db, rec.session_id)
    finally:
        db.close()
    rules = SegmentationRules.for_session(timeline.double_click_ms, timeline.double_click_px)
    steps = segment(
        timeline.raw_events,
        [(f.id, f.t_ns) for f in timeline.frames],
        timeline.screen_changes,
        timeline.markers,
        timeline.windows,
        rules,
    )
    return Recorded(scenario, truth, steps, timeline, url, app.layout, rec.stderr_text, code, log)
