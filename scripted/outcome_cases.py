"""Labelled cases for the outcome suggestion, played on scripted/apps/outcomes.py and recorded.

Each case is one action whose right outcome is known (a click on a disabled
button fails, a submit that shows "Saved" succeeds ...). ``record_cases``
starts the app and the real recorder (``demotrace record``), plays the cases
with xdotool, stops, and pairs every case with the step the recorder made of
it. The benchmark (bench/outcome_accuracy.py) plays them all; a test plays a
few.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capture.store.database import open_database
from capture.store.outcomes import with_suggestions
from capture.store.recording import load_recording
from capture.store.steps import computed_steps, current_steps
from scripted.cli import start_recorder
from scripted.xserver import ROOT, XServer, read_line, stop_process

# Seconds to leave after each action: the after-frame is taken once the screen settles.
SETTLE_S = 0.7


@dataclass(frozen=True)
class Case:
    name: str
    expected: str
    kind: str  # click | type | key | hotkey | scroll | hscroll | drag
    arg: str  # widget name, text, or key names
    notches: int = 3  # scroll: > 0 down (or right), < 0 up (or left)


def _round(first_name: str, email: str) -> list[Case]:
    return [
        Case("click a line edit", "success", "click", "name"),
        Case("type into the focused field", "success", "type", first_name),
        Case("submit a valid form", "success", "click", "submit"),
        Case("click a disabled button", "failure", "click", "archive"),
        Case("click a disabled check box", "failure", "click", "locked"),
        Case("tick a check box", "success", "click", "check"),
        Case("type with a check box focused", "failure", "type", "xyz"),
        Case("open a dialog", "success", "click", "settings"),
        Case("close the dialog with Escape", "success", "key", "Escape"),
        Case("click static text", "failure", "click", "caption"),
        Case("click into the filled field", "success", "click", "name"),
        Case("select all in a field", "success", "hotkey", "ctrl+a"),
        Case("type a name that is refused", "success", "type", "denied"),
        Case("submit and get permission denied", "failure", "click", "submit"),
        Case("dismiss the error with Return", "success", "key", "Return"),
        Case("delete fails with a warning", "failure", "click", "delete"),
        Case("dismiss the warning with Escape", "success", "key", "Escape"),
        Case("scroll a long list", "success", "scroll", "list"),
        Case("scroll a list that cannot scroll", "failure", "scroll", "short"),
        Case("click into the field again", "success", "click", "name"),
        Case("select the whole name", "success", "hotkey", "ctrl+a"),
        Case("erase the name", "success", "key", "BackSpace"),
        Case("submit an empty form", "failure", "click", "submit"),
        Case("dismiss the error", "success", "key", "Return"),
        Case("click the email field", "success", "click", "email"),
        Case("type an email", "success", "type", email),
    ]


def all_cases() -> list[Case]:
    return [*_round("Ada Lovelace", "ada@example.org"), *_round("Grace", "grace@navy.mil")]


def form_cases() -> list[Case]:
    """Cases on the test form (scripted/apps/form.py), which starts with the caret in name."""
    return [
        Case("click the email field", "success", "click", "email"),
        Case("type an email", "success", "type", "bob@example.org"),
        Case("toggle the patch green", "success", "click", "toggle"),
        Case("toggle it back", "success", "click", "toggle"),
        Case("click the coloured patch", "failure", "click", "patch"),
        Case("click the counter label", "failure", "click", "counter"),
        Case("scroll the list down", "success", "scroll", "list", 3),
        Case("scroll the list back up", "success", "scroll", "list", -3),
        Case("scroll up past the top", "failure", "scroll", "list", -3),
        Case("scroll the table sideways", "success", "hscroll", "table", 3),
        Case("tick the check box", "success", "click", "check"),
        Case("type with the check box focused", "failure", "type", "xyz"),
        Case("draw on the canvas", "success", "drag", "canvas"),
        Case("click the notes field", "success", "click", "notes"),
        Case("type a note", "success", "type", "hello there"),
    ]


def quick_cases() -> list[Case]:
    """A handful that covers each cue, for the test suite."""
    return [
        Case("click a line edit", "success", "click", "name"),
        Case("type a name that is refused", "success", "type", "denied"),
        Case("click a disabled button", "failure", "click", "archive"),
        Case("submit and get permission denied", "failure", "click", "submit"),
        Case("dismiss the error with Return", "success", "key", "Return"),
        Case("open a dialog", "success", "click", "settings"),
        Case("close the dialog with Escape", "success", "key", "Escape"),
        Case("scroll a list that cannot scroll", "failure", "scroll", "short"),
        Case("tick a check box", "success", "click", "check"),
    ]


@dataclass(frozen=True)
class Result:
    case: Case
    suggested: str | None
    reason: str
    pixels_only: str | None = None  # the suggestion without window titles

    @property
    def right(self) -> bool:
        return self.suggested == self.case.expected


def start_app(
    x: XServer, app: str = "outcomes"
) -> tuple[subprocess.Popen[str], dict[str, list[int]]]:
    """``scripted.apps.<app>`` on ``x``, once it says it is ready, with its widgets."""
    proc = subprocess.Popen(
        [sys.executable, "-m", f"scripted.apps.{app}"],
        env=x.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    widgets: dict[str, list[int]] = {}
    while True:
        line = read_line(proc, max(0.1, deadline - time.monotonic())).strip()
        if not line and proc.poll() is not None:
            stop_process(proc)
            raise RuntimeError(f"{app} app exited before it was ready")
        if line.startswith("{"):
            widgets = json.loads(line)["widgets"]
        elif line == "ready":
            return proc, widgets


def _center(widgets: dict[str, list[int]], name: str) -> tuple[int, int]:
    x, y, w, h = widgets[name]
    if name == "caption":
        return x + w - 20, y + h // 2  # past the end of the text: nothing there to click
    if name == "check":
        return x + 10, y + h // 2  # on the box itself: past its text a click does nothing
    return x + w // 2, y + h // 2


def play(x: XServer, widgets: dict[str, list[int]], case: Case) -> None:
    if case.kind in ("click", "scroll", "hscroll", "drag"):
        cx, cy = _center(widgets, case.arg)
        if case.kind == "drag":
            cx -= 150
        x.xdotool("mousemove", str(cx), str(cy))
        time.sleep(0.35)  # hover effects belong to the before-frame
        if case.kind == "click":
            x.xdotool("click", "1")
        elif case.kind == "drag":
            x.xdotool("mousedown", "1")
            for i in range(1, 11):
                x.xdotool("mousemove", str(cx + 30 * i), str(cy + (i % 3) * 8))
            x.xdotool("mouseup", "1")
        else:
            buttons = ("5", "4") if case.kind == "scroll" else ("7", "6")
            button = buttons[0] if case.notches > 0 else buttons[1]
            for _ in range(abs(case.notches)):
                x.xdotool("click", button)
    elif case.kind == "type":
        x.xdotool("type", "--delay", "25", case.arg)
    else:
        x.xdotool("key", case.arg)
    time.sleep(SETTLE_S)


def _matches(step: dict[str, Any], case: Case, widgets: dict[str, list[int]]) -> bool:
    action = step["action"]
    if case.kind in ("click", "scroll", "hscroll"):
        kind = "click" if case.kind == "click" else "scroll"
        return action["type"] == kind and (action["x"], action["y"]) == _center(widgets, case.arg)
    if case.kind == "drag":
        return action["type"] == "drag"
    if case.kind == "type":
        return action["type"] == "type" and action["text"] == case.arg
    keys = case.arg.split("+")
    return action["type"] in ("key", "hotkey") and action["keys"] == keys


@dataclass(frozen=True)
class Timing:
    """Seconds to cut the recording into steps, and to suggest their outcomes."""

    steps: int
    segment_s: float
    suggest_s: float


def time_suggestions(db_url: str, session_id: str) -> Timing:
    db = open_database(db_url)
    try:
        t0 = time.perf_counter()
        timeline = load_recording(db, session_id)
        steps = computed_steps(timeline)
        t1 = time.perf_counter()
        with_suggestions(db, timeline, steps)
        t2 = time.perf_counter()
    finally:
        db.close()
    return Timing(len(steps), t1 - t0, t2 - t1)


def record_cases(
    x: XServer, db_url: str, cases: list[Case], tmp: Path, app_name: str = "outcomes"
) -> tuple[str, list[Result]]:
    """The recorded session's id, and each case with the suggestion for its step."""
    app, widgets = start_app(x, app_name)
    try:
        rec = start_recorder(x, db_url, "--task", "outcome cases")
        try:
            time.sleep(0.5)
            for case in cases:
                play(x, widgets, case)
        finally:
            code = rec.stop()
        if code != 0:
            raise RuntimeError(f"recorder failed: {rec.stderr_text}")
    finally:
        stop_process(app)
    db = open_database(db_url)
    stored = current_steps(db, rec.session_id)
    timeline = load_recording(db, rec.session_id)
    unjudged = [s.evolve(outcome_suggested=None, outcome_reason="") for s in stored]
    blind = with_suggestions(db, timeline, unjudged, titles=False)
    db.close()
    steps = [s.to_json() for s in stored]
    results, at = [], 0
    for case in cases:
        found = next((i for i in range(at, len(steps)) if _matches(steps[i], case, widgets)), None)
        if found is None:
            results.append(Result(case, None, "no step was made of it"))
            continue
        at = found + 1
        results.append(
            Result(
                case,
                steps[found]["outcome_suggested"],
                steps[found]["outcome_reason"],
                blind[found].outcome_suggested,
            )
        )
    return rec.session_id, results
