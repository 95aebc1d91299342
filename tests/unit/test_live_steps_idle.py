"""Live steps survive a screen that changed on its own before the next action."""

from __future__ import annotations

import threading

from capture.events import EventKind
from capture.store.database import Database
from capture.store.recording import load_recording
from capture.store.steps import computed_steps, stored_steps
from tests.unit.test_recorder import Hands, Screen, recorder


def wait(seconds: float) -> None:
    threading.Event().wait(seconds)


def test_an_action_long_after_the_screen_changed_still_gets_live_steps(db: Database) -> None:
    screen, hands = Screen(), Hands()
    rec = recorder(db, screen, hands)
    sid = rec.start()
    hands.send(EventKind.PRESS, x=5, y=5, button="left")
    hands.send(EventKind.RELEASE, x=5, y=5, button="left")
    wait(0.8)
    screen.show(50)  # a page finishes loading; nobody touches anything
    wait(1.2)  # longer than the live segmenter's hold-back
    hands.send(EventKind.PRESS, x=6, y=6, button="left")  # its before-frame is that page
    hands.send(EventKind.RELEASE, x=6, y=6, button="left")
    for key, char in (("a", "a"), ("Return", None)):
        hands.send(EventKind.KEY_DOWN, key=key, char=char)
        hands.send(EventKind.KEY_UP, key=key)
    wait(1.5)
    assert [s.action.type for s in rec.live_steps][:2] == ["click", "click"]
    rec.stop()
    assert stored_steps(db, sid) == computed_steps(load_recording(db, sid))
