"""Record a real Qt app on a real X server while xdotool drives it; check what the store holds."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from capture.events import EventKind
from capture.store.database import open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.recording import StoredEvent, load_recording
from capture.store.sessions import blob_store_for
from tests.xsession import FormApp, XServer, demotrace, start_recorder

TYPED = "Hello World! @#"


def glide(x: XServer, to: tuple[int, int], steps: int = 8) -> None:
    """Move the pointer the way a hand does: a few small moves, not one jump."""
    start = x.xdotool("getmouselocation").split()
    sx, sy = (int(part.split(":")[1]) for part in start[:2])
    for i in range(1, steps + 1):
        x.xdotool(
            "mousemove", str(sx + (to[0] - sx) * i // steps), str(sy + (to[1] - sy) * i // steps)
        )


def without_moves(events: list[StoredEvent]) -> list[StoredEvent]:
    return [e for e in events if e.event.kind is not EventKind.MOVE]


def test_every_injected_event_is_stored_in_order(
    xserver: XServer, form: FormApp, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "demo.db")
    rec = start_recorder(xserver, url, "--task", "fill the form")
    toggle = form.center("toggle")
    name = form.center("name")
    lst = form.center("list")
    table = form.center("table")
    cx, cy = form.center("canvas")

    glide(xserver, toggle)
    time.sleep(0.3)
    xserver.xdotool("click", "1")  # patch turns green
    time.sleep(0.4)
    xserver.xdotool("click", "1")  # back to red
    time.sleep(0.3)
    glide(xserver, name)
    xserver.xdotool("click", "1")
    xserver.xdotool("type", "--delay", "30", TYPED)
    xserver.xdotool("key", "ctrl+a")
    xserver.xdotool("key", "ctrl+shift+Left")
    xserver.xdotool("click", "--repeat", "2", "--delay", "80", "1")
    glide(xserver, lst)
    xserver.xdotool("click", "5", "click", "5", "click", "4")
    xserver.xdotool("mousemove", str(table[0]), str(table[1]))
    xserver.xdotool("click", "7", "click", "6")
    xserver.xdotool("mousemove", str(cx - 200), str(cy))
    xserver.xdotool("mousedown", "1")
    for step in range(1, 11):
        xserver.xdotool("mousemove", str(cx - 200 + step * 40), str(cy + (step % 3) * 10))
    xserver.xdotool("mouseup", "1")
    xserver.xdotool("click", "3")
    time.sleep(0.5)
    assert rec.stop() == 0, rec.stderr_text

    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    events = without_moves(timeline.events)
    seqs = [e.event.seq for e in timeline.events]
    assert seqs == list(range(len(seqs)))
    times = [e.event.t_ns for e in timeline.events]
    assert times == sorted(times)

    pointer = [
        (str(e.event.kind), e.event.x, e.event.y, e.event.button, e.event.dx, e.event.dy)
        for e in events
        if e.event.kind in (EventKind.PRESS, EventKind.RELEASE, EventKind.SCROLL)
    ]
    drag_end = (cx - 200 + 400, cy + (10 % 3) * 10)
    expected = [
        ("press", *toggle, "left", 0, 0),
        ("release", *toggle, "left", 0, 0),
        ("press", *toggle, "left", 0, 0),
        ("release", *toggle, "left", 0, 0),
        ("press", *name, "left", 0, 0),
        ("release", *name, "left", 0, 0),
        ("press", *name, "left", 0, 0),
        ("release", *name, "left", 0, 0),
        ("press", *name, "left", 0, 0),
        ("release", *name, "left", 0, 0),
        ("scroll", *lst, None, 0, 1),
        ("scroll", *lst, None, 0, 1),
        ("scroll", *lst, None, 0, -1),
        ("scroll", table[0], table[1], None, 1, 0),
        ("scroll", table[0], table[1], None, -1, 0),
        ("press", cx - 200, cy, "left", 0, 0),
        ("release", *drag_end, "left", 0, 0),
        ("press", *drag_end, "right", 0, 0),
        ("release", *drag_end, "right", 0, 0),
    ]
    assert pointer == expected

    # The drag's path is in the moves between its press and release.
    press_at = next(
        i
        for i, e in enumerate(timeline.events)
        if e.event.x == cx - 200 and e.event.kind is EventKind.PRESS
    )
    moves = [
        (e.event.x, e.event.y) for e in timeline.events[press_at:] if e.event.kind is EventKind.MOVE
    ][:10]
    assert moves == [(cx - 200 + s * 40, cy + (s % 3) * 10) for s in range(1, 11)]

    downs = [e.event for e in events if e.event.kind is EventKind.KEY_DOWN]
    ups = [e.event for e in events if e.event.kind is EventKind.KEY_UP]
    assert len(downs) == len(ups)
    typed = [d for d in downs if d.char is not None and not d.modifiers - {"shift"}]
    assert "".join(d.char or "" for d in typed) == TYPED
    for d in typed:
        shifted = d.char is not None and (d.char.isupper() or d.char in "!@#")
        assert ("shift" in d.modifiers) == shifted, d
    assert [d.key for d in typed if d.char == " "] == ["space", "space"]
    assert [d.key for d in typed if d.char == "!"] == ["exclam"]
    hotkeys = [(d.key, sorted(d.modifiers)) for d in downs if d.modifiers & {"ctrl"}]
    assert hotkeys == [("a", ["ctrl"]), ("shift", ["ctrl"]), ("Left", ["ctrl", "shift"])]

    # Every action start carries the frame that was on screen just before it.
    starts = [
        e for e in events if e.event.kind in (EventKind.PRESS, EventKind.SCROLL, EventKind.KEY_DOWN)
    ]
    assert all(e.frame_id is not None for e in starts)
    assert all(e.frame_age_ns is not None and e.frame_age_ns > 0 for e in starts)

    # The before-frame of each toggle click shows the patch as it was before that click.
    frames = {f.id: f for f in timeline.frames}
    reader = FrameReader(blob_store_for(db))
    px, py = form.center("patch")
    colors = []
    with db.session() as s:
        for e in starts[:2]:
            frame = frames[e.frame_id or 0]
            rgb = reader.rgb(frame.blob, s)
            colors.append(tuple(int(c) for c in rgb[py - frame.top, px - frame.left]))
    assert colors == [(255, 0, 0), (0, 255, 0)]
    with db.session() as s:
        last = reader.rgb(timeline.frames[-1].blob, s)
    assert np.array_equal(last[py, px], [255, 0, 0])
    # The screen at stop is kept ("end"), unless it was kept already as an action's after-frame.
    assert timeline.frames[-1].reason in ("end", "after")

    # The form's window is what was active.
    assert any(w.title == "demotrace test form" for w in timeline.windows)

    listed = demotrace("steps", rec.session_id[:8], "--db", url, "--json")
    assert listed.returncode == 0, listed.stderr
    steps = json.loads(listed.stdout)
    assert [step["index"] for step in steps] == list(range(len(steps)))
    assert set(steps[0]) >= {  # the contract's fields; more may follow
        "index",
        "action",
        "t_start",
        "t_end",
        "before_frame",
        "after_frame",
        "window",
        "decision_point",
        "decision_reason",
        "note",
        "draft_note",
        "outcome",
        "outcome_suggested",
        "tags",
        "error_type",
        "comments",
        "outcome_reason",
        "element",
        "fault",
    }
    actions = [step["action"] for step in steps]
    assert {"type": "type", "text": TYPED} in actions
    assert {"type": "hotkey", "keys": ["ctrl", "a"]} in actions
    assert {"type": "hotkey", "keys": ["ctrl", "shift", "Left"]} in actions
    assert actions[-1] == {
        "type": "click",
        "x": drag_end[0],
        "y": drag_end[1],
        "button": "right",
        "modifiers": [],
    }
    assert all(step["before_frame"] is not None for step in steps)
    assert steps[0]["decision_point"] and steps[0]["window"]["title"] == "demotrace test form"
    table = demotrace("steps", rec.session_id, "--db", url)
    assert table.returncode == 0 and "hotkey" in table.stdout and "ctrl+shift+Left" in table.stdout

    shown = demotrace("show", rec.session_id[:8], "--db", url)
    assert shown.returncode == 0, shown.stderr
    assert "finished" in shown.stdout
    assert f"events        {len(timeline.events)}" in shown.stdout
    db.close()
