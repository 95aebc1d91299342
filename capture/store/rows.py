"""Raw events to and from ``events`` rows: the one place that knows how they are spelled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from capture.events import EventKind, RawEvent

EVENT_FIELDS = (
    "seq",
    "t_ns",
    "kind",
    "x",
    "y",
    "button",
    "dx",
    "dy",
    "key",
    "char",
    "modifiers",
    "synthetic",
)


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


def event_from_row(row: Mapping[str, Any]) -> RawEvent:
    return RawEvent(
        t_ns=row["t_ns"],
        kind=EventKind(row["kind"]),
        x=row["x"],
        y=row["y"],
        button=row["button"],
        dx=row["dx"],
        dy=row["dy"],
        key=row["key"],
        char=row["char"],
        modifiers=frozenset(m for m in row["modifiers"].split("+") if m),
        synthetic=row["synthetic"],
        seq=row["seq"],
    )
