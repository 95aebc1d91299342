"""The sample trajectory in the repository replays on the form it was recorded from.

A new reviewer's first bundle (samples/fill-the-form) must keep working: on a
display of the recording's size, a fresh form and ``demotrace replay --execute
--verify`` must reach the end with the form holding what the task asked for.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from replay.bundle import open_bundle
from scripted.form_demo import NEUTRAL, form_state
from tests.xsession import XServer, demotrace, start_form

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "fill-the-form"


@pytest.fixture(scope="module")
def display() -> Iterator[XServer]:
    with open_bundle(SAMPLE) as bundle:
        screen = bundle.trajectory.screen
    x = XServer(screen.width, screen.height)
    try:
        yield x
    finally:
        x.close()


def test_the_sample_replays_to_the_state_its_task_asks_for(
    display: XServer, tmp_path: Path
) -> None:
    with open_bundle(SAMPLE) as bundle:
        assert bundle.trajectory.edits, "the sample carries its annotation trail"
        assert sum(bool(s.note) for s in bundle.trajectory.steps) >= 5
    display.xdotool("mousemove", *map(str, NEUTRAL))
    form = start_form(display, tmp_path / "form.jsonl")
    try:
        done = demotrace(
            "replay", str(SAMPLE), "--execute", "--verify", "--speed", "2",
            env=display.env, timeout=120,
        )  # fmt: skip
        time.sleep(0.3)
        state = form_state(form.log_lines())
    finally:
        form.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reached the end" in done.stdout
    assert state["text"]["name"] == "Augusta Lovelace"
    assert state["text"]["email"] == "ada@example.org"
    assert state["checked"] is True
    assert state["strokes"], "the signature was drawn"
