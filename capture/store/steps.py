"""Steps in the store: saved as segmented, edited through an audit trail, recomputable.

The steps table always holds what the annotator sees: the segmentation of the
raw events, with every edit in ``step_edits`` applied in order. Raw events are
never touched, so ``resegment`` can rebuild the table from scratch after a
rule changes, and then replay the edits on top. An imported session whose
steps that does not reproduce has a ``baseline`` edit in its trail (see
``capture/store/baseline.py``): the steps as imported, which later edits
apply to. One imported by an earlier demotrace gets it before its first edit
if it needs one (``imported_baseline``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from capture.recording_rules import RecordingRules
from capture.segment import (
    EditError,
    EditRecord,
    SegmentationRules,
    Step,
    StepFormatError,
    apply_edits,
)
from capture.segment.edits import baseline_edit
from capture.segment.recompute import recomputed
from capture.store.baseline import IMPORT, same_steps
from capture.store.database import Database
from capture.store.lease import orphaned
from capture.store.models import SessionRow, StepEditRow, StepRow
from capture.store.outcomes import with_suggestions
from capture.store.recording import Recording, load_recording
from capture.store.rows import edit_from_row, edit_row, step_from_row, step_row


def rules_for(timeline: Recording) -> SegmentationRules:
    """The segmentation rules of the session: its OS click settings and the rules it was
    recorded under."""
    return RecordingRules.from_json(timeline.rules).segmentation(
        timeline.double_click_ms, timeline.double_click_px
    )


def add_steps(s: Session, session_id: str, steps: Iterable[Step]) -> None:
    """Append steps (the live segmenter's, as they become final) in the caller's transaction."""
    rows = [step_row(step, session_id=session_id) for step in steps]
    if rows:
        s.execute(insert(StepRow), rows)


def replace_steps(s: Session, session_id: str, steps: Sequence[Step]) -> list[Step]:
    """Store recomputed steps, keeping the outcome suggestion of every step whose action,
    frames and next step's before-frame did not change; a merged, split or moved step
    gets none, and the next read suggests it afresh."""
    kept = {
        _judged(row.action, row.t_start, row.before_frame_id, row.after_frame_id, nxt): (
            row.outcome_suggested,
            row.outcome_reason,
        )
        for row, nxt in _with_next(
            list(
                s.scalars(
                    select(StepRow).where(StepRow.session_id == session_id).order_by(StepRow.index)
                )
            )
        )
    }
    s.execute(delete(StepRow).where(StepRow.session_id == session_id))
    fresh = []
    for step, nxt in _with_next(list(steps)):
        key = _judged(step.action.to_json(), step.t_start, step.before_frame, step.after_frame, nxt)
        suggested, reason = kept.get(key, (None, ""))
        fresh.append(step.evolve(outcome_suggested=suggested, outcome_reason=reason))
    add_steps(s, session_id, fresh)
    return fresh


def _with_next(items: list[Any]) -> list[tuple[Any, Any]]:
    """Each item with the before-frame of the one after it (None for the last)."""
    out = []
    for i, item in enumerate(items):
        following = items[i + 1] if i + 1 < len(items) else None
        frame = None
        if following is not None:
            frame = getattr(following, "before_frame", None)
            if frame is None:
                frame = getattr(following, "before_frame_id", None)
        out.append((item, frame))
    return out


def _judged(action: Any, t_start: int, before: Any, after: Any, next_before: Any) -> str:
    """What a suggestion was judged from, as a key."""
    import json

    return json.dumps([action, t_start, before, after, next_before], sort_keys=True, default=str)


def stored_steps(db: Database, session_id: str) -> list[Step]:
    with db.session() as s:
        # Plain rows (attribute access by column name), not ORM objects: long sessions load faster.
        rows = s.execute(
            select(*StepRow.__table__.columns)
            .where(StepRow.session_id == session_id)
            .order_by(StepRow.index)
        )
        return [step_from_row(r) for r in rows]


def edits(db: Database, session_id: str) -> list[EditRecord]:
    with db.session() as s:
        rows = s.scalars(
            select(StepEditRow)
            .where(StepEditRow.session_id == session_id)
            .order_by(StepEditRow.seq)
        )
        return [edit_from_row(r) for r in rows]


def computed_steps(timeline: Recording, edit_log: Iterable[EditRecord] = ()) -> list[Step]:
    """The segmentation of ``timeline`` with ``edit_log`` applied: what the table should hold."""
    return recomputed(
        timeline.raw_events,
        [(f.id, f.t_ns) for f in timeline.frames],
        rules_for(timeline),
        edit_log,
        screen_changes=timeline.screen_changes,
        markers=timeline.markers,
        windows=timeline.windows,
        targets=timeline.targets,
        fault=timeline.fault,
    )


def current_steps(db: Database, session_id: str) -> list[Step]:
    """The stored steps; computed for a session never segmented, or one whose recorder
    died in a store that could not be written to recover it (it holds only the live steps).

    Outcome suggestions are filled in here, on the first read after the steps
    were (re)computed, and stored if the store is open for writing: decoding
    frames would slow the end of a recording by tens of milliseconds per step.
    """
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        dead = row is not None and orphaned(row) is not None
        # An imported session's steps stay as its bundle had them, suggestions included.
        imported = row is not None and row.origin == "imported"
    steps = [] if dead else stored_steps(db, session_id)
    if not steps:
        timeline = load_recording(db, session_id)
        return with_suggestions(db, timeline, computed_steps(timeline, edits(db, session_id)))
    if imported or all(step.outcome_suggested is not None for step in steps):
        return steps
    steps = with_suggestions(db, load_recording(db, session_id), steps)
    if db.readonly:  # a reader (or a store on read-only media): computed, not kept
        return steps
    with db.session() as s:
        s.execute(
            update(StepRow),
            [
                {
                    "id": row_id,
                    "outcome_suggested": step.outcome_suggested,
                    "outcome_reason": step.outcome_reason,
                }
                for row_id, step in zip(_row_ids(s, session_id), steps, strict=True)
            ],
        )
        s.commit()
    return steps


def _row_ids(s: Session, session_id: str) -> list[int]:
    return list(
        s.scalars(
            select(StepRow.id).where(StepRow.session_id == session_id).order_by(StepRow.index)
        )
    )


def unchecked_import(db: Database, session_id: str) -> bool:
    """Whether the session may be one an earlier demotrace imported, before imports
    added baselines: imported, no baseline in its trail, in a store open for writing.

    Such a session has none even when its trail does not give its steps (a
    version-1 bundle's notes, outcomes and tags), so recomputing them would drop
    what was imported. Two small queries; a read-only store is never written.
    """
    if db.readonly:
        return False
    with db.session() as s:
        origin = s.scalar(select(SessionRow.origin).where(SessionRow.id == session_id))
        if origin != "imported":
            return False
        based = s.scalar(
            select(StepEditRow.id)
            .where(StepEditRow.session_id == session_id, StepEditRow.op == "baseline")
            .limit(1)
        )
        return based is None


def imported_baseline(
    db: Database, session_id: str, timeline: Recording, trail: Sequence[EditRecord]
) -> tuple[list[EditRecord], list[Step]]:
    """What editing the session starts from: the baseline edit its trail still needs
    (none or one) and the steps the trail, with it, gives.

    Checked as an import checks (``capture/store/baseline.py``) for an
    ``unchecked_import``: when the raw input segmented with ``trail`` replayed does
    not give the stored steps, a baseline of the stored steps, to append before
    the caller's own edit. Otherwise no baseline, and the segmentation is reused.
    """
    if not unchecked_import(db, session_id):
        return [], computed_steps(timeline, trail)
    stored = stored_steps(db, session_id)
    try:
        again = computed_steps(timeline, trail)
    except (EditError, StepFormatError):  # a trail this store cannot replay
        again = None
    if again is not None and same_steps(again, stored):
        return [], again
    base = [baseline_edit(stored, IMPORT)]
    return base, computed_steps(timeline, [*trail, *base])


def _append(s: Session, session_id: str, records: Sequence[EditRecord]) -> int:
    """Append ``records`` to the trail in the caller's transaction; the last one's position."""
    seq = int(
        s.scalar(
            select(func.count())
            .select_from(StepEditRow)
            .where(StepEditRow.session_id == session_id)
        )
        or 0
    )
    s.execute(
        insert(StepEditRow),
        [edit_row(r, seq + i, session_id=session_id) for i, r in enumerate(records)],
    )
    return seq + len(records) - 1


def resegment(db: Database, session_id: str) -> list[Step]:
    """Rebuild the steps from the raw events and the edit log, and store them."""
    base, steps = imported_baseline(
        db, session_id, load_recording(db, session_id), edits(db, session_id)
    )
    with db.session() as s:
        if base:
            _append(s, session_id, base)
        steps = replace_steps(s, session_id, steps)
        s.commit()
    return steps


def edit(db: Database, session_id: str, record: EditRecord) -> list[Step]:
    """Apply one edit: append it to the audit trail and store the resulting steps."""
    timeline = load_recording(db, session_id)
    base, steps = imported_baseline(db, session_id, timeline, edits(db, session_id))
    steps = apply_edits(  # raises EditError before anything is written
        steps,
        [record],
        events=timeline.raw_events,
        frames=[(f.id, f.t_ns) for f in timeline.frames],
        rules=rules_for(timeline),
    )
    with db.session() as s:
        _append(s, session_id, [*base, record])
        steps = replace_steps(s, session_id, steps)
        s.commit()
    return steps


def annotate(
    db: Database, session_id: str, index: int, fields: dict[str, Any], who: str
) -> list[Step]:
    """Change a step's annotation (note, outcome, decision point, tags, error type) via the log."""
    return edit(db, session_id, EditRecord(who, "relabel", {"index": index, "fields": fields}))


def record_edit(
    db: Database,
    session_id: str,
    record: EditRecord,
    steps: Sequence[Step],
    *,
    checked: bool = False,
) -> int:
    """Append ``record`` to the audit trail with ``steps`` (its result, already computed).

    The editor computes an edit's result in memory (undo/redo keep both sides);
    returns the edit's position in the trail. An ``unchecked_import`` gets the
    baseline it needs first, as with ``edit``; ``checked``: this caller has
    recorded an edit of the session since it read its steps, so that was done.
    """
    base: list[EditRecord] = []
    if not checked and unchecked_import(db, session_id):
        base, _ = imported_baseline(
            db, session_id, load_recording(db, session_id), edits(db, session_id)
        )
    with db.session() as s:
        seq = _append(s, session_id, [*base, record])
        replace_steps(s, session_id, steps)
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
        replace_steps(s, session_id, steps)
        s.commit()
