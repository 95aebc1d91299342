"""The control hotkeys: one table, read by the recorder and by segmentation."""

from __future__ import annotations

import dataclasses

from factories import Script

from capture.events import EventKind, RawEvent
from capture.hotkeys import CONTROL_HOTKEYS, ControlHotkey, Hotkeys, hotkey, parse_hotkey
from capture.segment import SegmentationRules, segment


def test_every_hotkey_in_the_table_is_recognised_and_never_a_step() -> None:
    keys = Hotkeys()
    for entry in CONTROL_HOTKEYS:
        *mods, last = entry.keys.split("+")
        press = RawEvent(0, EventKind.KEY_DOWN, key=last.upper(), modifiers=frozenset(mods))
        assert keys.command(press) == entry.name
        script = Script().type("ab").hotkey(*entry.keys.split("+")).type("cd")
        assert [s.action.to_json() for s in segment(script.events)] == [
            {"type": "type", "text": "ab"},
            {"type": "type", "text": "cd"},
        ]  # an ordinary ctrl+alt+x here would be a hotkey step between the two
    assert {h.name for h in CONTROL_HOTKEYS} >= {"mark", "pause", "stop"}


def test_other_keys_and_releases_are_no_command() -> None:
    keys = Hotkeys()
    assert (
        keys.command(RawEvent(0, EventKind.KEY_DOWN, key="s", modifiers=frozenset({"ctrl"})))
        is None
    )
    assert keys.command(RawEvent(0, EventKind.KEY_DOWN, key="s")) is None
    up = RawEvent(0, EventKind.KEY_UP, key="s", modifiers=frozenset({"ctrl", "alt"}))
    assert keys.command(up) is None


def test_a_row_added_to_the_table_reaches_recorder_and_segmentation() -> None:
    table = (*CONTROL_HOTKEYS, ControlHotkey("note", "ctrl+alt+n", "type a note"))
    press = RawEvent(0, EventKind.KEY_DOWN, key="n", modifiers=frozenset({"ctrl", "alt"}))
    assert Hotkeys(table).command(press) == "note"
    rules = dataclasses.replace(SegmentationRules(), control_hotkeys=tuple(h.keys for h in table))
    steps = segment(Script().hotkey("ctrl", "alt", "n").events, rules=rules)
    assert steps == []


def test_labels_read_as_on_screen() -> None:
    assert hotkey("stop").label == "Ctrl+Alt+S"
    assert parse_hotkey("ctrl+alt+S") == frozenset({"ctrl", "alt", "s"})
