"""Steps in the store: what segmentation gives, edits on top, an audit trail, recomputable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import Script
from sqlalchemy import insert, select

from capture.errors import SessionNotFoundError
from capture.segment import EditError, EditRecord
from capture.store.database import Database
from capture.store.models import EventRow, SessionRow, StepEditRow
from capture.store.rows import event_row
from capture.store.steps import current_steps, edit, edits, resegment, stored_steps


def store_session(db: Database, script: Script, session_id: str = "s1") -> str:
    with db.session() as s:
        s.add(
            SessionRow(
                id=session_id,
                task="t",
                status="finished",
                created_at=datetime.now(UTC),
                wall_start_ns=0,
                duration_ns=script.events[-1].t_ns,
                platform="test",
                app_version="0",
                hostname="",
                username="",
                screen={},
                scale=1.0,
                double_click_ms=400,
                double_click_px=5,
                fps=10,
                stop_reason="",
            )
        )
        s.execute(insert(EventRow), [event_row(e, session_id=session_id) for e in script.events])
        s.commit()
    return session_id


def demo() -> Script:
    return Script().glide(0, 0, 100, 100).click(100, 100).wait(500).type("helo").key("Return")


def types(steps: list) -> list[str]:  # type: ignore[type-arg]
    return [s.action.type for s in steps]


def test_a_session_never_segmented_is_segmented_on_read(db: Database) -> None:
    sid = store_session(db, demo())
    assert stored_steps(db, sid) == []
    assert types(current_steps(db, sid)) == ["click", "type", "key"]


def test_edits_are_stored_with_who_and_when_and_replayed(db: Database) -> None:
    sid = store_session(db, demo())
    resegment(db, sid)
    when = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    steps = edit(
        db,
        sid,
        EditRecord(
            "ana",
            "relabel",
            {"index": 1, "fields": {"action": {"type": "type", "text": "hello"}}},
            when,
        ),
    )
    steps = edit(
        db, sid, EditRecord("ana", "relabel", {"index": 0, "fields": {"note": "open the form"}})
    )
    steps = edit(db, sid, EditRecord("bo", "delete", {"index": 2}))
    assert types(steps) == ["click", "type"]
    assert steps[1].action.to_json() == {"type": "type", "text": "hello"}
    assert steps[0].note == "open the form"
    assert stored_steps(db, sid) == steps
    log = edits(db, sid)
    assert [(e.who, e.op) for e in log] == [
        ("ana", "relabel"),
        ("ana", "relabel"),
        ("bo", "delete"),
    ]
    assert log[0].when == when
    with db.session() as s:
        assert s.scalars(select(StepEditRow.seq).where(StepEditRow.session_id == sid)).all() == [
            0,
            1,
            2,
        ]


def test_resegment_recomputes_from_raw_events_and_keeps_the_edits(db: Database) -> None:
    sid = store_session(db, demo())
    resegment(db, sid)
    edit(
        db,
        sid,
        EditRecord("ana", "merge", {"index": 1, "action": {"type": "type", "text": "helo\n"}}),
    )
    merged = stored_steps(db, sid)
    with db.session() as s:
        raw_before = s.scalars(select(EventRow.id).order_by(EventRow.id)).all()
    assert resegment(db, sid) == merged
    with db.session() as s:
        assert s.scalars(select(EventRow.id).order_by(EventRow.id)).all() == raw_before


def test_a_bad_edit_changes_nothing(db: Database) -> None:
    sid = store_session(db, demo())
    before = resegment(db, sid)
    with pytest.raises(EditError):
        edit(db, sid, EditRecord("ana", "delete", {"index": 42}))
    assert stored_steps(db, sid) == before
    assert edits(db, sid) == []


def test_unknown_session(db: Database) -> None:
    with pytest.raises(SessionNotFoundError):
        current_steps(db, "nope")
