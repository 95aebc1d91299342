"""Fault injection on the real test form: record once, inject a fault, a scripted person recovers.

The source demonstration fills the form: name "Ada", email, Tab to notes,
"hi", then Toggle (the patch turns green). For each fault, a fresh form app is
started, ``demotrace inject`` replays the steps before K, applies the fault and
hands over; xdotool plays the person's recovery; the test checks the stored
session (prefix, fault, recovery, link to the source) and the form's end state.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mss
import mss.tools
import pytest

from capture.store.database import sqlite_url
from tests.xsession import (
    ROOT,
    FormApp,
    XServer,
    _read_line,
    demotrace,
    start_form,
    start_recorder,
    stop_process,
)

NAME, EMAIL, NOTES = "Ada", "ada@example.org", "hi"


@dataclass(frozen=True)
class Source:
    url: str
    session_id: str
    steps: list[dict[str, Any]]


def _pause() -> None:
    time.sleep(0.5)


def _click(x: XServer, at: tuple[int, int]) -> None:
    x.xdotool("mousemove", str(at[0]), str(at[1]))
    time.sleep(0.15)
    x.xdotool("click", "1")
    _pause()


def _type(x: XServer, text: str) -> None:
    x.xdotool("type", "--delay", "30", text)
    _pause()


def _key(x: XServer, combo: str) -> None:
    x.xdotool("key", combo)
    _pause()


@pytest.fixture(scope="module")
def source(xserver: XServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    tmp = tmp_path_factory.mktemp("inject")
    url = sqlite_url(tmp / "store.db")
    form = start_form(xserver, tmp / "source.jsonl")
    try:
        rec = start_recorder(xserver, url, "--task", "fill the form and toggle")
        _pause()
        _click(xserver, form.center("name"))
        _type(xserver, NAME)
        _click(xserver, form.center("email"))
        _type(xserver, EMAIL)
        _key(xserver, "Tab")
        _type(xserver, NOTES)
        _click(xserver, form.center("toggle"))
        assert rec.stop() == 0, rec.stderr_text
    finally:
        form.close()
    listed = demotrace("steps", rec.session_id, "--db", url, "--json")
    steps = [s for s in json.loads(listed.stdout) if s["action"]["type"] != "move"]
    assert [s["action"]["type"] for s in steps] == [
        "click", "type", "click", "type", "key", "type", "click"
    ]  # fmt: skip
    yield Source(url, rec.session_id, steps)


def _inject(x: XServer, source: Source, what: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "inject", what, "--db", source.url, *args],
        env=x.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = _read_line(proc, 60).strip()
    except TimeoutError:
        line = ""
    if not line.startswith("recording session "):
        stop_process(proc)
        raise AssertionError(f"inject did not hand over: {line!r}")
    return proc, line.split()[-1]


def _finish(form: FormApp) -> dict[str, Any]:
    """The form's end state from its log: last text per field, toggle clicks."""
    texts: dict[str, str] = {}
    clicks = 0
    for entry in form.log_lines():
        if entry["event"] == "text":
            texts[entry["widget"]] = entry["text"]
        elif entry["event"] == "clicked":
            clicks = entry["clicks"]
    return {**texts, "clicks": clicks}


def _rest(x: XServer, form: FormApp, after: int) -> None:
    """The person does the source's steps from ``after`` on (indexes of the source)."""
    plan: list[Callable[[], None]] = [
        lambda: _click(x, form.center("name")),
        lambda: _type(x, NAME),
        lambda: _click(x, form.center("email")),
        lambda: _type(x, EMAIL),
        lambda: _key(x, "Tab"),
        lambda: _type(x, NOTES),
        lambda: _click(x, form.center("toggle")),
    ]
    for step in plan[after:]:
        step()


def _recover_typo(x: XServer, form: FormApp) -> None:
    _click(x, form.center("name"))
    _key(x, "ctrl+a")
    _type(x, NAME)
    _rest(x, form, 2)


def _recover_offset(x: XServer, form: FormApp) -> None:
    _click(x, form.center("toggle"))


def _recover_skip(x: XServer, form: FormApp) -> None:
    _rest(x, form, 2)


def _recover_wrong_key(x: XServer, form: FormApp) -> None:
    _rest(x, form, 4)


def _recover_dialog(x: XServer, form: FormApp) -> None:
    shots = os.environ.get("DEMOTRACE_SCREENSHOTS")
    if shots:  # the error box over the form, as the person finds it
        with mss.MSS(display=x.display) as screen:
            shot = screen.grab({"left": 0, "top": 0, "width": 1200, "height": 820})
            mss.tools.to_png(shot.rgb, shot.size, output=str(Path(shots) / "fault-dialog.png"))
    _key(x, "Return")  # dismiss the error box
    _rest(x, form, 6)


CASES = {
    "typo": (1, ["--typo", "swap"], _recover_typo),
    "offset": (6, ["--offset", "40,40"], _recover_offset),
    "skip": (2, [], _recover_skip),
    "wrong-key": (4, [], _recover_wrong_key),
    "dialog": (6, ["--dialog-text", "Network error"], _recover_dialog),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_inject_then_recover(kind: str, xserver: XServer, source: Source, tmp_path: Path) -> None:
    at, options, recover = CASES[kind]
    what = source.session_id
    if kind == "skip":  # from a bundle, as another machine would
        what = str(tmp_path / "source-bundle")
        done = demotrace("export", source.session_id, "--db", source.url, "--format", "bundle",
                         "--out", what)  # fmt: skip
        assert done.returncode == 0, done.stderr
    form = start_form(xserver, tmp_path / "form.jsonl")
    try:
        proc, session_id = _inject(
            xserver, source, what, "--at", str(at), "--fault", kind, *options
        )
        try:
            recover(xserver, form)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        finally:
            stop_process(proc)
        state = _finish(form)
    finally:
        form.close()
    # The app ends in the goal state.
    assert state == {"name": NAME, "email": EMAIL, "notes": NOTES, "clicks": 1}, state

    sessions = json.loads(demotrace("sessions", "--db", source.url, "--json").stdout)
    made = next(s for s in sessions if s["id"] == session_id)
    assert made["origin"] == "injected"
    assert made["source_session_id"] == source.session_id
    assert made["fault"]["kind"] == kind and made["fault"]["at"] == at

    listed = demotrace("steps", session_id, "--db", source.url, "--json")
    steps = [s for s in json.loads(listed.stdout) if s["action"]["type"] != "move"]
    tags = [s["tags"] for s in steps]
    assert all(len(t) == 1 and t[0] in ("replayed", "injected_fault", "recovery") for t in tags)
    replayed = [s for s in steps if s["tags"] == ["replayed"]]
    assert [s["action"] for s in replayed] == [s["action"] for s in source.steps[:at]]
    faults = [s for s in steps if s["tags"] == ["injected_fault"]]
    assert len(faults) == 1
    fault = faults[0]["fault"]
    assert fault["kind"] == kind and fault["at"] == at and fault["source"] == source.session_id
    marker = kind in ("skip", "dialog")
    if marker:
        assert faults[0]["action"] == {"type": "wait", "seconds": 0.0}
    elif kind == "typo":
        assert faults[0]["action"] == {"type": "type", "text": fault["typed"]}
        assert fault["typed"] != NAME
    elif kind == "offset":
        original = source.steps[at]["action"]
        assert (faults[0]["action"]["x"], faults[0]["action"]["y"]) == (
            original["x"] + 40,
            original["y"] + 40,
        )
    else:
        assert faults[0]["action"] == {"type": "key", "keys": ["Return"], "repeat": 1}
    recovery = [s for s in steps if s["tags"] == ["recovery"]]
    assert recovery and recovery[0]["decision_point"]
    first_recovery = steps.index(recovery[0])
    assert steps.index(faults[0]) < first_recovery
    assert all(s["tags"] == ["recovery"] for s in steps[first_recovery:])
    # The person's last step is the toggle click, as in the source.
    assert recovery[-1]["action"] == source.steps[-1]["action"]
    # Recovered: the last step (unlabelled) is suggested a success.
    assert recovery[-1]["outcome_suggested"] == "success", recovery[-1]["outcome_reason"]
    stats = json.loads(demotrace("stats", "--db", source.url, "--json").stdout)
    assert stats["faults"][kind] == {"injected": 1, "recovered": 1}
