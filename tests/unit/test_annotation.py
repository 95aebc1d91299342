"""Annotating steps through the audit trail, notes written while recording, and submit."""

from __future__ import annotations

import pytest
from factories import MS, Script, session_row

from capture.events import Marker, WindowChange
from capture.segment import EditError, EditRecord, SegmentationRules, segment
from capture.store.database import Database
from capture.store.models import SessionRow
from capture.store.stages import SubmitRefused, set_stage, submit, takes
from capture.store.steps import (
    annotate,
    current_steps,
    edits,
    record_edit,
    resegment,
    stored_steps,
    withdraw_edit,
)
from capture.store.tasks import add_tasks
from capture.tasks import Task


def three_clicks() -> Script:
    # A pause of 4 s before the third click makes it a decision point too.
    return Script().click(10, 10).wait(500).click(20, 20).wait(4000).click(30, 30)


def test_notes_attach_to_the_next_step_and_trailing_ones_to_the_last() -> None:
    s = three_clicks()
    first, second, third = (e.t_ns for e in s.events if e.kind == "press")
    markers = [
        Marker(first - 50 * MS, "note", "the menu is closed"),
        Marker(second - 10 * MS, "note", "this one opens it"),
        Marker(second - 5 * MS, "note", "second thought"),
        Marker(third + 900 * MS, "note", "done now"),
    ]
    steps = segment(s.events, markers=markers)
    assert [st.note for st in steps] == [
        "the menu is closed",
        "this one opens it\nsecond thought",
        "done now",
    ]


def test_a_click_is_not_put_on_demotrace_when_the_target_becomes_active_after_it() -> None:
    s = Script().click(10, 10)
    press = s.events[0].t_ns
    windows = [
        WindowChange(0, "demotrace", "demotrace"),
        WindowChange(press + 200 * MS, "Form", "form"),
    ]
    (step,) = segment(s.events, windows=windows, rules=SegmentationRules())
    assert step.window is not None and step.window.title == "Form"
    (alone,) = segment(s.events, windows=windows[:1])
    assert alone.window is None
    # The window watcher had not reported anything yet when the click came.
    (early,) = segment(s.events, windows=windows[1:])
    assert early.window is not None and early.window.title == "Form"


def test_annotate_goes_through_the_audit_trail_and_survives_resegment(db: Database) -> None:
    sid = session_row(db, three_clicks(), markers=[Marker(0, "note", "start here")])
    steps = resegment(db, sid)
    assert [st.decision_reason for st in steps] == ["first", None, "pause"]
    annotate(db, sid, 1, {"decision_point": True, "note": "picked the second field"}, "ann")
    annotate(
        db, sid, 2, {"outcome": "failure", "tags": ["mistake"], "error_type": "wrong_target"}, "ann"
    )
    annotate(db, sid, 2, {"decision_point": False}, "ann")
    again = resegment(db, sid)
    assert again == stored_steps(db, sid)
    assert [(st.decision_point, st.decision_reason) for st in again] == [
        (True, "first"),
        (True, "manual"),
        (False, None),
    ]
    assert again[0].note == "start here"
    assert (again[2].outcome, again[2].tags, again[2].error_type) == (
        "failure",
        ("mistake",),
        "wrong_target",
    )
    assert [e.op for e in edits(db, sid)] == ["relabel"] * 3
    with pytest.raises(EditError):
        annotate(db, sid, 0, {"outcome": "great"}, "ann")


def test_undo_withdraws_the_newest_edit_and_restores_the_steps(db: Database) -> None:
    sid = session_row(db, three_clicks())
    before = resegment(db, sid)
    after = [before[0], before[2].evolve(index=1)]
    seq = record_edit(db, sid, EditRecord("ann", "delete", {"index": 1}), after)
    assert stored_steps(db, sid) == after and seq == 0
    withdraw_edit(db, sid, seq, before)
    assert stored_steps(db, sid) == before and edits(db, sid) == []
    with pytest.raises(EditError, match="not the newest"):
        withdraw_edit(db, sid, 3, before)


def test_submit_lists_every_decision_point_without_a_note(db: Database) -> None:
    sid = session_row(db, three_clicks())
    resegment(db, sid)
    with pytest.raises(SubmitRefused) as refused:
        submit(db, sid)
    assert refused.value.problems == [
        "step 0 is a decision point (first) without a note",
        "step 2 is a decision point (pause) without a note",
    ]
    annotate(db, sid, 0, {"note": "start"}, "ann")
    with pytest.raises(SubmitRefused, match="step 2"):
        submit(db, sid)
    annotate(db, sid, 2, {"note": "   ", "draft_note": "a model's guess"}, "ann")
    with pytest.raises(SubmitRefused, match="step 2"):
        submit(db, sid)
    annotate(db, sid, 2, {"note": "waited for the dialog"}, "ann")
    submit(db, sid)
    with db.session() as s:
        row = s.get(SessionRow, sid)
        assert row is not None and row.stage == "submitted" and row.submitted_at is not None
    with pytest.raises(SubmitRefused, match="already submitted"):
        submit(db, sid)
    set_stage(db, sid, "needs_changes")
    submit(db, sid)


def test_a_session_still_recording_cannot_be_submitted(db: Database) -> None:
    sid = session_row(db, three_clicks(), status="recording")
    with pytest.raises(SubmitRefused, match="still recording"):
        submit(db, sid)


def test_takes_of_a_task_show_status_and_open_decision_points(db: Database) -> None:
    task = Task("Fill the form")
    add_tasks(db, [task])
    sid = session_row(db, three_clicks(), task_id=task.id)
    session_row(db, Script().click(1, 1), "other", status="interrupted")
    resegment(db, sid)
    annotate(db, sid, 0, {"note": "start"}, "ann")
    (take,) = takes(db, task.id)
    assert (take.id, take.status, take.steps, take.decision_points, take.unexplained) == (
        sid,
        "draft",
        3,
        2,
        1,
    )
    assert [t.status for t in takes(db, None)] == ["interrupted"]
    assert len(takes(db, all_tasks=True)) == 2
    assert len(current_steps(db, "other")) == 1


def test_typing_right_after_a_click_away_from_demotrace_is_kept() -> None:
    """The watcher still says demotrace when the keys come; the click moved the focus."""
    s = Script().click(10, 10).type("Ada")
    windows = [WindowChange(0, "demotrace", "demotrace")]
    assert [st.action.type for st in segment(s.events, windows=windows)] == ["click", "type"]
    # Typed into demotrace's own window after it became active: not part of the demo.
    late = [*windows, WindowChange(s.events[2].t_ns - 1, "demotrace recording", "demotrace")]
    assert [st.action.type for st in segment(s.events, windows=late)] == ["click"]


def test_live_steps_keep_coming_when_input_arrives_late(db: Database) -> None:
    from capture.live_steps import LiveSteps

    sid = session_row(db, Script())
    now = [0]
    live = LiveSteps(sid, SegmentationRules(), lambda: now[0], delay_ns=500 * MS)
    first = Script().click(10, 10).wait(4000)
    late_click = Script(t=first.t, seq=first.seq).click(50, 50)
    then = Script(t=late_click.t + 4000 * MS, seq=late_click.seq).click(90, 90).wait(4000)
    with db.session() as s:
        live.feed(s, first.events, [])
        now[0] = late_click.t + 3000 * MS  # the second click's time is declared complete...
        live.feed(s, [], [])
        live.feed(s, late_click.events, [])  # ...before it reaches the writer
        now[0] = then.t + 4000 * MS
        live.feed(s, then.events, [])
        s.commit()
    assert not live.failed and live.late == len(late_click.events)
    assert [(st.action.type, st.action["x"]) for st in live.steps] == [
        ("click", 10),
        ("click", 50),
        ("click", 90),
    ]
