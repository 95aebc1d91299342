"""Input the executor sends while demotrace records is stored as synthetic; a person's is not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from capture.events import EventKind
from capture.grabber import MssScreen
from capture.segment import Step
from capture.segment.steps import click
from capture.store.database import open_database, sqlite_url
from capture.store.recording import load_recording
from desktop.compose import build_recorder
from replay.executor import Executor
from replay.inputs import PynputInput
from replay.trajectory import Screen
from tests.xsession import FormApp, XServer


def test_executor_input_is_marked_synthetic(
    xserver: XServer, form: FormApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", xserver.display)
    db = open_database(sqlite_url(tmp_path / "store.db"))
    recorder = build_recorder(db, xserver.display, 10)
    screen = MssScreen(xserver.display)
    try:
        session_id = recorder.start("replayed while recording")
        time.sleep(0.5)
        x, y = form.center("toggle")
        executor = Executor(
            {},  # no frames: run_step only sends input
            screen,
            PynputInput(),
            recorder.injections,
            Screen(0, 0, xserver.width, xserver.height),
        )
        executor.run_step(Step(0, click(x, y), 0, 0))
        time.sleep(0.5)
        px, py = form.center("check")
        xserver.xdotool("mousemove", str(px), str(py), "click", "1")  # the person
        time.sleep(0.5)
    finally:
        recorder.stop()
        screen.close()
    presses = [
        e.event
        for e in load_recording(db, session_id).events
        if e.event.kind in (EventKind.PRESS, EventKind.RELEASE)
    ]
    db.close()
    assert [(e.kind.value, e.x, e.y, e.synthetic) for e in presses] == [
        ("press", x, y, True),
        ("release", x, y, True),
        ("press", px, py, False),
        ("release", px, py, False),
    ]
    assert [line["clicks"] for line in form.log_lines() if line["event"] == "clicked"] == [1]
