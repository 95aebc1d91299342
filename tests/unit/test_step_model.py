"""The step editor's model, undo stack and widget on a stored session with real frames."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from capture.store.database import Database
from capture.store.models import SessionRow
from capture.store.session_frames import SessionFrames
from capture.store.steps import edits, resegment, stored_steps
from desktop.pictures import Thumbnails
from desktop.step_editor import StepEditor
from desktop.step_model import THUMBNAIL, StepListModel
from desktop.trajectory import Trajectory
from desktop.walkthrough import Walkthrough, walk_indices
from tests.stored import stored_session
from tests.xsession import XServer

pytestmark = pytest.mark.gui


def types(db: Database, sid: str) -> list[str]:
    return [s.action.type for s in stored_steps(db, sid)]


def test_edits_undo_and_redo_through_the_audit_trail(db: Database, qapp: object) -> None:
    sid = stored_session(db).id
    model = StepListModel(Trajectory(db, sid, "ann"))
    original = types(db, sid)
    assert model.rowCount() == len(original) == 6
    model.edit("delete", index=1)
    model.edit("reorder", index=0, to=2)
    model.edit("relabel", index=0, fields={"note": "why", "outcome": "partial"})
    assert [e.op for e in edits(db, sid)] == ["delete", "reorder", "relabel"]
    after = stored_steps(db, sid)
    assert [s.action.type for s in after] == ["scroll", "drag", "click", "hotkey", "key"]
    assert model.rowCount() == 5 and model.data(model.index(0)).startswith("0  scroll")
    stack = model.undo_stack
    stack.undo()
    stack.undo()
    assert types(db, sid) == ["click", "scroll", "drag", "hotkey", "key"]
    assert [e.op for e in edits(db, sid)] == ["delete"]
    stack.redo()
    stack.redo()
    assert stored_steps(db, sid) == after
    # What undo/redo left in the store is what the trail gives from scratch.
    assert resegment(db, sid) == after
    stack.undo()
    stack.undo()
    stack.undo()
    assert types(db, sid) == original and edits(db, sid) == []


def test_the_editor_refuses_submit_until_every_decision_point_has_a_note(
    db: Database, qtbot: QtBot
) -> None:
    sid = stored_session(db).id
    frames = SessionFrames(db, sid)
    thumbnails = Thumbnails(frames, THUMBNAIL)
    model = StepListModel(Trajectory(db, sid, "ann"), thumbnails)
    editor = StepEditor(model, frames)
    qtbot.addWidget(editor)
    editor.show()
    # The thumbnail arrives from the worker thread and replaces the blank.
    qtbot.waitUntil(lambda: thumbnails.get(model.steps[0].before_frame) is not None)
    assert thumbnails.get(model.steps[0].before_frame).height() == THUMBNAIL.height()
    editor.select(3)
    editor.toggle_decision()  # a decision point added by hand
    assert model.steps[3].decision_reason == "manual"
    with qtbot.assertNotEmitted(editor.submitted):
        assert not editor.submit()
    assert editor.message.text() == (
        "Not ready to submit: step 0 is a decision point (first) without a note; "
        "step 3 is a decision point (manual) without a note"
    )
    assert editor.current_row == 0  # taken to the first one without a note
    editor.note.setPlainText("the field was empty")
    editor.next_missing()  # saves the note on the way
    assert editor.current_row == 3 and model.steps[0].note == "the field was empty"
    editor.note.setPlainText("dragging the file in")
    editor.merge()  # a drag and a hotkey do not combine
    assert editor.message.text().startswith("Cannot merge: a drag step and a hotkey step")
    with qtbot.waitSignal(editor.submitted):
        assert editor.submit()
    with db.session() as s:
        row = s.get(SessionRow, sid)
        assert row is not None and row.stage == "submitted"
    thumbnails.close()


def test_the_editor_s_keys_set_the_outcome_and_undo(
    db: Database, qtbot: QtBot, xserver: XServer
) -> None:
    sid = stored_session(db).id
    frames = SessionFrames(db, sid)
    model = StepListModel(Trajectory(db, sid, "ann"))
    editor = StepEditor(model, frames)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    row = editor.list.visualRect(model.index(2)).center()
    at = editor.list.viewport().mapToGlobal(row)
    xserver.xdotool("mousemove", str(at.x()), str(at.y()), "click", "1")
    qtbot.waitUntil(lambda: editor.current_row == 2)
    xserver.xdotool("key", "3")  # real keys through the X server, as a person types
    qtbot.waitUntil(lambda: editor.outcome.currentText() == "failure")
    assert stored_steps(db, sid)[2].outcome == "failure"
    assert editor.outcome.currentText() == "failure"
    editor.actions_by_name["undo"].trigger()
    assert stored_steps(db, sid)[2].outcome == "unknown"
    assert editor.outcome.currentText() == "unknown"
    editor.tags["mistake"].click()
    editor.error_type.setCurrentText("wrong_target")
    editor.error_type.activated.emit(editor.error_type.currentIndex())
    step = stored_steps(db, sid)[2]
    assert (step.tags, step.error_type) == (("mistake",), "wrong_target")


def test_the_walkthrough_saves_notes_and_outcomes(db: Database, qtbot: QtBot) -> None:
    sid = stored_session(db).id
    trajectory = Trajectory(db, sid, "ann")
    trajectory.annotate(4, decision_point=True)
    indices = walk_indices(trajectory, "after")
    assert indices == [0, 4]
    walk = Walkthrough(trajectory, SessionFrames(db, sid), indices)
    qtbot.addWidget(walk)
    walk.show()
    assert walk.heading.text().startswith("<b>Decision point 1 of 2</b>")
    walk.note.setPlainText("start with the field")
    walk.outcome.setCurrentText("success")
    walk.next.click()
    walk.note.setPlainText("save it")
    with qtbot.waitSignal(walk.finished_walk):
        walk.next.click()
    steps = stored_steps(db, sid)
    assert [(steps[i].note, steps[i].outcome) for i in indices] == [
        ("start with the field", "success"),
        ("save it", "unknown"),
    ]
    assert walk_indices(Trajectory(db, sid, "ann"), "live") == []


def test_the_editor_shows_why_a_session_was_sent_back_and_the_suggested_outcome(
    db: Database, qtbot: QtBot
) -> None:
    from sqlalchemy import update

    from capture.store.models import StepRow
    from capture.store.reviews import add_review

    sid = stored_session(db).id
    add_review(
        db,
        sid,
        reviewer="rita",
        verdict="needs_changes",
        reason="two notes are missing",
        comments=[(1, "Say why you type here."), (None, "Otherwise fine.")],
    )
    with db.session() as s:
        s.execute(
            update(StepRow)
            .where(StepRow.session_id == sid, StepRow.index == 2)
            .values(outcome_suggested="failure", outcome_reason="the screen did not change")
        )
        s.commit()
    model = StepListModel(Trajectory(db, sid, "ann"))
    editor = StepEditor(model, SessionFrames(db, sid))
    qtbot.addWidget(editor)
    editor.show()
    assert "sent back by rita" in editor.status.text()
    assert "two notes are missing" in editor.status.text()
    editor.select(1)
    assert "rita" in editor.review_notes.text()
    assert "Say why you type here." in editor.review_notes.text()
    editor.select(0)
    assert editor.review_notes.text() == "—"
    editor.select(2)
    assert "failure" in editor.suggestion.text()
    assert "the screen did not change" in editor.suggestion.text()
    assert editor.use_suggestion.isVisible()
    editor.use_suggestion.click()
    assert model.steps[2].outcome == "failure"
    assert not editor.use_suggestion.isVisible()
    # The person's label is the outcome; the suggestion stays a separate field.
    assert model.steps[2].outcome_suggested == "failure"
