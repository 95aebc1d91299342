"""Each record type survives the trip through its table unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from factories import Script, session_row
from sqlalchemy import insert, select

from capture.events import Marker, WindowChange
from capture.grabber import Frame
from capture.segment import EditRecord, segment
from capture.store import rows
from capture.store.database import Database
from capture.store.models import (
    EventRow,
    FrameRow,
    MarkerRow,
    ScreenChangeRow,
    StepEditRow,
    StepRow,
    WindowRow,
)


def round_trip(db: Database, model: Any, values: list[dict[str, Any]], read: Any) -> list[Any]:
    with db.session() as s:
        s.execute(insert(model), values)
        s.commit()
        return [read(r) for r in s.scalars(select(model).order_by(model.id))]


def test_events_markers_windows_and_screen_changes(db: Database) -> None:
    script = Script().hotkey("ctrl", "s").click(10, 20).type("Hé").scroll(dy=-2, x=5, y=6)
    sid = session_row(db)
    events = script.events
    back = round_trip(
        db, EventRow, [rows.event_row(e, session_id=sid) for e in events], rows.event_from_row
    )
    assert back == events

    marker = Marker(5, "mark", "hotkey")
    assert round_trip(
        db, MarkerRow, [rows.marker_row(marker, session_id=sid)], rows.marker_from_row
    ) == [marker]
    window = WindowChange(7, "Résumé — Browser", "Browser", 99)
    assert round_trip(
        db, WindowRow, [rows.window_row(window, session_id=sid)], rows.window_from_row
    ) == [window]
    change = rows.screen_change_row(9, 0.25, session_id=sid)
    assert round_trip(db, ScreenChangeRow, [change], rows.screen_change_from_row) == [(9, 0.25)]


def test_frames_steps_and_edits(db: Database) -> None:
    sid = session_row(db)
    frame = Frame(3, 11, 0, 0, 16, 8, b"")
    [stored] = round_trip(
        db,
        FrameRow,
        [rows.frame_row(frame, "ab" * 16, "before", session_id=sid)],
        rows.frame_from_row,
    )
    assert (stored.t_ns, stored.blob, stored.width, stored.height, stored.reason) == (
        11,
        "ab" * 16,
        16,
        8,
        "before",
    )

    steps = segment(Script().click(1, 1).wait(4000).type("hello").key("Return").events)
    back = round_trip(
        db, StepRow, [rows.step_row(s, session_id=sid) for s in steps], rows.step_from_row
    )
    assert back == steps

    record = EditRecord("ann", "merge", {"first": 1, "last": 2}, datetime(2026, 1, 2, tzinfo=UTC))
    edits = round_trip(
        db, StepEditRow, [rows.edit_row(record, 0, session_id=sid)], rows.edit_from_row
    )
    assert edits == [record]
