"""Hotkeys and decision thresholds a person sets: checked, stored with the session, followed
by the live recorder and by every later segmentation of that session."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import update

from capture.events import EventKind
from capture.recording_rules import RecordingRules, RulesError
from capture.store.database import Database
from capture.store.models import SessionRow
from capture.store.recording import load_recording
from capture.store.steps import resegment
from tests.stored import stored_session
from tests.unit.factories import Script
from tests.unit.test_recorder import Hands, Screen, recorder


def test_rules_are_checked_and_round_trip() -> None:
    rules = RecordingRules(decision_pause_ms=None).with_hotkeys({"mark": "ctrl+alt+n"})
    assert rules.hotkey("mark").keys == "ctrl+alt+n"
    assert RecordingRules.from_json(rules.to_json()) == rules
    assert RecordingRules.from_json(None) == RecordingRules()
    seg = rules.segmentation(400, 5)
    assert "ctrl+alt+n" in seg.control_hotkeys and seg.decision_pause_ms is None
    with pytest.raises(RulesError, match="both the mark and the stop hotkey"):
        RecordingRules().with_hotkeys({"mark": "ctrl+alt+s"})
    with pytest.raises(RulesError, match="needs ctrl, alt or super"):
        RecordingRules().with_hotkeys({"pause": "shift+p"})
    with pytest.raises(RulesError, match="needs ctrl, alt or super"):
        RecordingRules().with_hotkeys({"pause": "ctrl"})
    with pytest.raises(RulesError, match="decision pause"):
        RecordingRules(decision_pause_ms=-5)
    with pytest.raises(RulesError, match="screen change"):
        RecordingRules(decision_screen_change=1.5)


def test_a_session_is_segmented_again_under_the_rules_it_was_recorded_with(db: Database) -> None:
    script = (
        Script()
        .click(40, 30)
        .wait(5000)  # a long pause: a decision point under the default rules
        .click(60, 40)
        .hotkey("ctrl", "alt", "n")  # the person's own mark key: never a step
        .wait(300)
        .hotkey("ctrl", "alt", "m")  # no longer a control key in this session: a step
        .wait(300)
    )
    made = stored_session(db, script)
    default = resegment(db, made.id)
    assert [s.action.type for s in default] == ["click", "click", "hotkey"]
    assert [s.decision_reason for s in default][:2] == ["first", "pause"]
    rules = RecordingRules(decision_pause_ms=None).with_hotkeys({"mark": "ctrl+alt+n"})
    with db.session() as s:
        s.execute(update(SessionRow).where(SessionRow.id == made.id).values(rules=rules.to_json()))
        s.commit()
    steps = resegment(db, made.id)
    assert [s.action.type for s in steps] == ["click", "click", "hotkey"]
    assert steps[2].action["keys"] == ("ctrl", "alt", "m")
    assert [s.decision_reason for s in steps][:2] == ["first", None]
    assert load_recording(db, made.id).rules == rules.to_json()


def test_the_recorder_stores_its_rules_and_obeys_its_hotkeys(db: Database) -> None:
    screen, hands = Screen(), Hands()
    rules = RecordingRules().with_hotkeys({"stop": "ctrl+alt+q"})
    stopped = threading.Event()
    rec = recorder(db, screen, hands, rules=rules, on_stop_request=stopped.set)
    sid = rec.start(task="rules")
    hands.send(EventKind.KEY_DOWN, key="s", char="s", modifiers=frozenset({"ctrl", "alt"}))
    assert not stopped.wait(0.3)  # the default stop key does nothing here
    hands.send(EventKind.KEY_DOWN, key="q", char="q", modifiers=frozenset({"ctrl", "alt"}))
    assert stopped.wait(5)
    rec.stop()
    with db.session() as s:
        row = s.get(SessionRow, sid)
        assert row is not None and row.rules == rules.to_json()
