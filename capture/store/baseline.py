"""What later edits of an imported session start from.

A session's steps are its raw input segmented, with its edit trail applied
(``capture/store/steps.py``); every edit recomputes them that way. An imported
session's steps are the bundle's, which need not be that: a version-1 bundle
has no trail (so segmenting again would lose every note), another producer
may segment differently. So an import checks: when segmenting the imported
raw input (with its frames, screen changes, markers, windows, targets and
rules) and replaying the imported trail gives exactly the bundle's steps
(boundaries, actions, frames, windows, annotations; outcome suggestions
aside, they are kept apart), the trail is kept as it is. Otherwise a
``baseline`` edit holding the bundle's steps goes after the imported trail, so
recomputing gives those steps back and later edits apply on top of them.

Sessions imported by an earlier demotrace, before imports added baselines,
may lack the one they need: the store checks them the same way before their
first edit (``capture/store/steps.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from capture.recording_rules import RecordingRules
from capture.segment import EditError, EditRecord, Step, StepFormatError
from capture.segment.edits import baseline_edit
from capture.segment.recompute import recomputed
from capture.segment.steps import FrameId

if TYPE_CHECKING:
    from capture.store.imports import ImportedSession

# Who a baseline edit names: the import, not a person.
IMPORT = "import"
# Filled in when the steps are read (from the frames), not part of what segmenting gives.
NOT_COMPARED = ("outcome_suggested", "outcome_reason")


def _compared(steps: Sequence[Step]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        data = step.to_json(with_events=True)
        for key in NOT_COMPARED:
            data.pop(key)
        data["before_frame"] = None if step.before_frame is None else str(step.before_frame)
        data["after_frame"] = None if step.after_frame is None else str(step.after_frame)
        out.append(data)
    return out


def reproduces(session: ImportedSession) -> bool:
    """Whether segmenting ``session`` again and replaying its trail gives its steps."""
    rules = RecordingRules.from_json(session.rules).segmentation(
        session.double_click_ms, session.double_click_px
    )
    try:
        again = recomputed(
            session.events,
            [(f.hash, f.t_ns) for f in session.frames],
            rules,
            session.edits,
            screen_changes=session.screen_changes,
            markers=session.markers,
            windows=session.windows,
            targets=session.targets.values(),
        )
    except (EditError, StepFormatError):  # a trail this store cannot replay
        return False
    return same_steps(again, session.steps)


def same_steps(these: Sequence[Step], those: Sequence[Step]) -> bool:
    """Whether two segmentations agree in everything but outcome suggestions."""
    return _compared(these) == _compared(those)


def imported_trail(session: ImportedSession, when: datetime | None = None) -> list[EditRecord]:
    """The edit trail to store for ``session``: its own, plus a baseline of its steps
    when its own does not reproduce them (frame references stay the session's)."""
    trail = list(session.edits)
    if reproduces(session):
        return trail
    return [*trail, baseline_edit(session.steps, IMPORT, when or datetime.now(UTC))]


def with_frames(record: EditRecord, ref: Callable[[Any], FrameId | None]) -> EditRecord:
    """``record`` with the frame references of a baseline's steps passed through ``ref``
    (store frame ids to content hashes on export, and back on import); others as they are."""
    if record.op != "baseline":
        return record
    steps = [_refs(step, ref) for step in record.args["steps"]]
    return EditRecord(record.who, record.op, {**record.args, "steps": steps}, record.when)


def _refs(step: Mapping[str, Any], ref: Callable[[Any], FrameId | None]) -> dict[str, Any]:
    out = dict(step)
    for key in ("before_frame", "after_frame"):
        if out.get(key) is not None:
            out[key] = ref(out[key])
    return out
