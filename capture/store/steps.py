"""Steps in the store: saved as segmented, edited through an audit trail, recomputable.

The steps table always holds what the annotator sees: the segmentation of the
raw events, with every edit in ``step_edits`` applied in order. Raw events are
never touched, so ``resegment`` can rebuild the table from scratch after a
rule changes, and then replay the edits on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from capture.segment import EditError, EditRecord, SegmentationRules, Step, apply_edits, segment
from capture.store.database import Database
from capture.store.models import StepEditRow, StepRow
from capture.store.recording import Recording, load_recording


def rules_for(timeline: Recording) -> SegmentationRules:
    return SegmentationRules.for_session(timeline.double_click_ms, timeline.double_click_px)


def step_row(session_id: str, step: Step) -> dict[str, Any]:
    data = step.to_json(with_events=True)
    return {
        "session_id": session_id,
        "index": data["index"],
        "action": data["action"],
        "t_start": data["t_start"],
        "t_end": data["t_end"],
        "first_seq": data["first_seq"],
        "last_seq": data["last_seq"],
        "before_frame_id": data["before_frame"],
        "after_frame_id": data["after_frame"],
        "window": data["window"],
        "decision_point": data["decision_point"],
        "decision_reason": data["decision_reason"],
        "note": data["note"],
        "draft_note": data["draft_note"],
        "outcome": data["outcome"],
        "tags": data["tags"],
        "comments": data["comments"],
        "outcome_suggested": data["outcome_suggested"],
        "outcome_reason": data["outcome_reason"],
        "error_type": data["error_type"],
        "element": data["element"],
        "fault": data["fault"],
    }


def row_step(row: StepRow) -> Step:
    return Step.from_json(
        {
            "index": row.index,
            "action": row.action,
            "t_start": row.t_start,
            "t_end": row.t_end,
            "first_seq": row.first_seq,
            "last_seq": row.last_seq,
            "before_frame": row.before_frame_id,
            "after_frame": row.after_frame_id,
            "window": row.window,
            "decision_point": row.decision_point,
            "decision_reason": row.decision_reason,
            "note": row.note,
            "draft_note": row.draft_note,
            "outcome": row.outcome,
            "tags": row.tags,
            "comments": row.comments,
            "outcome_suggested": row.outcome_suggested,
            "outcome_reason": row.outcome_reason,
            "error_type": row.error_type,
            "element": row.element,
            "fault": row.fault,
        }
    )


def add_steps(s: Session, session_id: str, steps: Iterable[Step]) -> None:
    """Append steps (the live segmenter's, as they become final) in the caller's transaction."""
    rows = [step_row(session_id, step) for step in steps]
    if rows:
        s.execute(insert(StepRow), rows)


def _replace(s: Session, session_id: str, steps: Sequence[Step]) -> None:
    s.execute(delete(StepRow).where(StepRow.session_id == session_id))
    add_steps(s, session_id, steps)


def stored_steps(db: Database, session_id: str) -> list[Step]:
    with db.session() as s:
        rows = s.scalars(
            select(StepRow).where(StepRow.session_id == session_id).order_by(StepRow.index)
        )
        return [row_step(r) for r in rows]


def edits(db: Database, session_id: str) -> list[EditRecord]:
    with db.session() as s:
        rows = s.scalars(
            select(StepEditRow)
            .where(StepEditRow.session_id == session_id)
            .order_by(StepEditRow.seq)
        )
        return [EditRecord(r.who, r.op, r.args, _aware(r.at)) for r in rows]


def _aware(when: Any) -> Any:
    from datetime import UTC

    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def computed_steps(timeline: Recording, edit_log: Iterable[EditRecord] = ()) -> list[Step]:
    """The segmentation of ``timeline`` with ``edit_log`` applied: what the table should hold."""
    rules = rules_for(timeline)
    steps = segment(
        timeline.raw_events,
        frames=[(f.id, f.t_ns) for f in timeline.frames],
        screen_changes=timeline.screen_changes,
        markers=timeline.markers,
        windows=timeline.windows,
        rules=rules,
    )
    return apply_edits(
        steps,
        edit_log,
        events=timeline.raw_events,
        frames=[(f.id, f.t_ns) for f in timeline.frames],
        rules=rules,
    )


def current_steps(db: Database, session_id: str) -> list[Step]:
    """The stored steps; for a session never segmented (e.g. killed mid-recording), computed."""
    steps = stored_steps(db, session_id)
    if steps:
        return steps
    return computed_steps(load_recording(db, session_id), edits(db, session_id))


def resegment(db: Database, session_id: str) -> list[Step]:
    """Rebuild the steps from the raw events and the edit log, and store them."""
    steps = computed_steps(load_recording(db, session_id), edits(db, session_id))
    with db.session() as s:
        _replace(s, session_id, steps)
        s.commit()
    return steps


def edit(db: Database, session_id: str, record: EditRecord) -> list[Step]:
    """Apply one edit: append it to the audit trail and store the resulting steps."""
    timeline = load_recording(db, session_id)
    log = [*edits(db, session_id), record]
    steps = computed_steps(timeline, log)  # raises EditError before anything is written
    with db.session() as s:
        seq = s.scalar(
            select(func.count())
            .select_from(StepEditRow)
            .where(StepEditRow.session_id == session_id)
        )
        s.add(
            StepEditRow(
                session_id=session_id,
                seq=int(seq or 0),
                who=record.who,
                at=record.when,
                op=record.op,
                args=dict(record.args),
            )
        )
        _replace(s, session_id, steps)
        s.commit()
    return steps


def annotate(
    db: Database, session_id: str, index: int, fields: dict[str, Any], who: str
) -> list[Step]:
    """Change a step's annotation (note, outcome, decision point, tags, error type) via the log."""
    return edit(db, session_id, EditRecord(who, "relabel", {"index": index, "fields": fields}))


def record_edit(db: Database, session_id: str, record: EditRecord, steps: Sequence[Step]) -> int:
    """Append ``record`` to the audit trail with ``steps`` (its result, already computed).

    The editor computes an edit's result in memory (undo/redo keep both sides);
    returns the edit's position in the trail.
    """
    with db.session() as s:
        seq = int(
            s.scalar(
                select(func.count())
                .select_from(StepEditRow)
                .where(StepEditRow.session_id == session_id)
            )
            or 0
        )
        s.add(
            StepEditRow(
                session_id=session_id,
                seq=seq,
                who=record.who,
                at=record.when,
                op=record.op,
                args=dict(record.args),
            )
        )
        _replace(s, session_id, steps)
        s.commit()
    return seq


def withdraw_edit(db: Database, session_id: str, seq: int, steps: Sequence[Step]) -> None:
    """Undo: drop edit ``seq`` (the newest) from the trail and store ``steps`` as they were."""
    with db.session() as s:
        last = s.scalar(
            select(func.max(StepEditRow.seq)).where(StepEditRow.session_id == session_id)
        )
        if last != seq:
            raise EditError(f"edit {seq} is not the newest one ({last}); cannot undo it")
        s.execute(
            delete(StepEditRow).where(StepEditRow.session_id == session_id, StepEditRow.seq == seq)
        )
        _replace(s, session_id, steps)
        s.commit()
