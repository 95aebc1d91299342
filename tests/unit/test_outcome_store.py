"""Stored steps get a suggested outcome on their first read, computed from their frames."""

from __future__ import annotations

from capture.segment import EditRecord
from capture.store.database import Database
from capture.store.steps import current_steps, edit, resegment, stored_steps
from tests.stored import stored_session


def test_the_first_read_fills_in_suggestions_and_stores_them(db: Database) -> None:
    sid = stored_session(db).id
    steps = resegment(db, sid)
    assert all(s.outcome_suggested is None for s in stored_steps(db, sid))
    read = current_steps(db, sid)
    assert [s.action for s in read] == [s.action for s in steps]
    assert all(s.outcome_suggested is not None for s in read)
    assert stored_steps(db, sid) == read  # stored: the next read costs nothing
    by_type = {s.action.type: s for s in read}
    # Every frame of the stored session differs from the last: something changed each time.
    assert by_type["click"].outcome_suggested == "success"
    assert by_type["click"].outcome_reason == "the change stays at the target"
    assert all(s.outcome == "unknown" for s in read)  # the person's label is untouched
    # Cutting the steps again keeps what was judged from the same action and frames.
    assert resegment(db, sid) == read
    assert stored_steps(db, sid) == read
    # A moved step, and the one now before it, are judged afresh on the next read.
    edit(db, sid, EditRecord("ann", "reorder", {"index": 0, "to": 2}))
    pending = [s.action.type for s in stored_steps(db, sid) if s.outcome_suggested is None]
    assert pending == ["scroll", "click"]
    assert all(s.outcome_suggested is not None for s in current_steps(db, sid))


def test_a_read_only_store_gets_suggestions_without_keeping_them(db: Database) -> None:
    from capture.store.database import open_database

    sid = stored_session(db).id
    reader = open_database(db.url, readonly=True)
    try:
        read = current_steps(reader, sid)
    finally:
        reader.close()
    assert all(s.outcome_suggested is not None for s in read)
    assert all(s.outcome_suggested is None for s in stored_steps(db, sid))
