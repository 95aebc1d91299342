"""Domain objects to and from rows: one pair of converters per record type, the one place
that knows how each is spelled in its table.

``<kind>_row(obj, **extra)`` gives the column values to insert (``extra``: the
session id and other columns the object does not carry); ``<kind>_from_row(row)``
reads an ORM row (or a result row with the same names) back into the object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from capture.events import EventKind, Marker, RawEvent, WindowChange
from capture.segment import EditRecord, Step
from capture.segment.steps import EVENT_KEYS, LATER_KEYS, STEP_KEYS

if TYPE_CHECKING:
    from capture.grabber import Frame


# -- events


def event_row(event: RawEvent, **extra: Any) -> dict[str, Any]:
    """Column values for ``event`` (``extra``: session_id, frame_id...)."""
    return {
        "seq": event.seq,
        "t_ns": event.t_ns,
        "kind": str(event.kind),
        "x": event.x,
        "y": event.y,
        "button": event.button,
        "dx": event.dx,
        "dy": event.dy,
        "key": event.key,
        "char": event.char,
        "modifiers": "+".join(sorted(event.modifiers)),
        "synthetic": event.synthetic,
        **extra,
    }


def event_from_row(row: Any) -> RawEvent:
    return RawEvent(
        t_ns=row.t_ns,
        kind=EventKind(row.kind),
        x=row.x,
        y=row.y,
        button=row.button,
        dx=row.dx,
        dy=row.dy,
        key=row.key,
        char=row.char,
        modifiers=frozenset(m for m in row.modifiers.split("+") if m),
        synthetic=row.synthetic,
        seq=row.seq,
    )


# -- frames


@dataclass(frozen=True, slots=True)
class StoredFrame:
    """A persisted observation; its pixels are in the blob store under ``blob``."""

    id: int
    t_ns: int
    blob: str
    left: int
    top: int
    width: int
    height: int
    reason: str


def frame_row(frame: Frame, blob: str, reason: str, **extra: Any) -> dict[str, Any]:
    """Column values for a grabbed ``frame`` whose pixels went to the blob store as ``blob``."""
    return {
        "t_ns": frame.t_ns,
        "blob": blob,
        "left": frame.left,
        "top": frame.top,
        "width": frame.width,
        "height": frame.height,
        "reason": reason,
        **extra,
    }


def frame_from_row(row: Any) -> StoredFrame:
    return StoredFrame(
        row.id, row.t_ns, row.blob, row.left, row.top, row.width, row.height, row.reason
    )


# -- screen changes: (t_ns, fraction of sampled pixels that changed)


def screen_change_row(t_ns: int, changed: float, **extra: Any) -> dict[str, Any]:
    return {"t_ns": t_ns, "changed": changed, **extra}


def screen_change_from_row(row: Any) -> tuple[int, float]:
    return (row.t_ns, row.changed)


# -- markers and windows


def marker_row(marker: Marker, **extra: Any) -> dict[str, Any]:
    return {"t_ns": marker.t_ns, "kind": marker.kind, "label": marker.label, **extra}


def marker_from_row(row: Any) -> Marker:
    return Marker(row.t_ns, row.kind, row.label)


def window_row(window: WindowChange, **extra: Any) -> dict[str, Any]:
    return {
        "t_ns": window.t_ns,
        "title": window.title,
        "app": window.app,
        "window_id": window.window_id,
        **extra,
    }


def window_from_row(row: Any) -> WindowChange:
    return WindowChange(row.t_ns, row.title, row.app, row.window_id)


# -- steps and their edits

# Step JSON keys whose column is named differently.
_STEP_COLUMNS = {"before_frame": "before_frame_id", "after_frame": "after_frame_id"}


def step_row(step: Step, **extra: Any) -> dict[str, Any]:
    data = step.to_json(with_events=True)
    return {_STEP_COLUMNS.get(key, key): value for key, value in data.items()} | extra


def step_from_row(row: Any) -> Step:
    keys = (*STEP_KEYS, *EVENT_KEYS, *LATER_KEYS)
    return Step.from_json({key: getattr(row, _STEP_COLUMNS.get(key, key)) for key in keys})


def edit_row(record: EditRecord, seq: int, **extra: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "who": record.who,
        "at": record.when,
        "op": record.op,
        "args": dict(record.args),
        **extra,
    }


def edit_from_row(row: Any) -> EditRecord:
    when = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)
    return EditRecord(row.who, row.op, row.args, when)
