"""Stored steps carry a suggested outcome, computed from their frames when the steps are rebuilt."""

from __future__ import annotations

from capture.store.database import Database
from capture.store.steps import resegment, stored_steps
from tests.stored import stored_session


def test_resegment_fills_in_suggestions_from_the_frames(db: Database) -> None:
    sid = stored_session(db).id
    steps = resegment(db, sid)
    assert steps == stored_steps(db, sid)
    assert all(s.outcome_suggested is not None for s in steps)
    by_type = {s.action.type: s for s in steps}
    # Every frame of the stored session differs from the last: something changed each time.
    assert by_type["click"].outcome_suggested == "success"
    assert by_type["click"].outcome_reason
    assert all(s.outcome == "unknown" for s in steps)  # the person's label is untouched
