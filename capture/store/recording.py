"""A session's recorded timeline read back as domain objects (events, frames, markers...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from capture.events import Marker, RawEvent, Target, WindowChange
from capture.store.database import Database
from capture.store.models import (
    EventRow,
    FrameRow,
    MarkerRow,
    ScreenChangeRow,
    SessionRow,
    WindowRow,
)
from capture.store.rows import (
    StoredFrame,
    event_from_row,
    frame_from_row,
    marker_from_row,
    screen_change_from_row,
    window_from_row,
)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A raw event as stored, with the before-frame the recorder attached to it."""

    event: RawEvent
    frame_id: int | None
    frame_age_ns: int | None


@dataclass(frozen=True)
class Recording:
    session_id: str
    double_click_ms: int
    double_click_px: int
    events: list[StoredEvent]
    frames: list[StoredFrame]
    screen_changes: list[tuple[int, float]]
    markers: list[Marker]
    windows: list[WindowChange]
    targets: list[Target] = field(default_factory=list)
    # For a session made by ``demotrace inject``: the fault and when it happened.
    fault: dict[str, Any] | None = None
    # The rules it was recorded under (hotkeys, decision thresholds); None: the defaults.
    rules: dict[str, Any] | None = None

    @property
    def raw_events(self) -> list[RawEvent]:
        return [e.event for e in self.events]


def load_recording(db: Database, session_id: str) -> Recording:
    with db.session() as s:
        session = s.get(SessionRow, session_id)
        if session is None:
            from capture.errors import SessionNotFoundError

            raise SessionNotFoundError(f"no session {session_id}")
        events = []
        targets = []
        for r in s.scalars(
            select(EventRow).where(EventRow.session_id == session_id).order_by(EventRow.seq)
        ):
            events.append(StoredEvent(event_from_row(r), r.frame_id, r.frame_age_ns))
            if r.window is not None or r.element is not None:
                targets.append(Target(r.t_ns, r.window, r.element))
        frames = [
            frame_from_row(r)
            for r in s.scalars(
                select(FrameRow)
                .where(FrameRow.session_id == session_id)
                .order_by(FrameRow.t_ns, FrameRow.id)
            )
        ]
        markers, windows, changes = _context(s, session_id)
        return Recording(
            session_id,
            session.double_click_ms,
            session.double_click_px,
            events,
            frames,
            changes,
            markers,
            windows,
            targets,
            fault=session.fault if session.origin == "injected" else None,
            rules=session.rules,
        )


def recorded_context(
    db: Database, session_id: str
) -> tuple[list[Marker], list[WindowChange], list[tuple[int, float]]]:
    """What segmentation reads besides raw input and frames: markers, window changes and
    screen changes, each in time order."""
    with db.session() as s:
        return _context(s, session_id)


def _context(
    s: Session, session_id: str
) -> tuple[list[Marker], list[WindowChange], list[tuple[int, float]]]:
    changes = [
        screen_change_from_row(r)
        for r in s.execute(
            select(ScreenChangeRow.t_ns, ScreenChangeRow.changed)
            .where(ScreenChangeRow.session_id == session_id)
            .order_by(ScreenChangeRow.t_ns, ScreenChangeRow.id)
        )
    ]
    markers = [
        marker_from_row(r)
        for r in s.scalars(
            select(MarkerRow)
            .where(MarkerRow.session_id == session_id)
            .order_by(MarkerRow.t_ns, MarkerRow.id)
        )
    ]
    windows = [
        window_from_row(r)
        for r in s.scalars(
            select(WindowRow)
            .where(WindowRow.session_id == session_id)
            .order_by(WindowRow.t_ns, WindowRow.id)
        )
    ]
    return markers, windows, changes


def event_targets(db: Database, session_id: str) -> dict[int, Target]:
    """Where each press and key-down landed, by event seq (events with neither left out)."""
    with db.session() as s:
        rows = s.execute(
            select(EventRow.seq, EventRow.t_ns, EventRow.window, EventRow.element)
            .where(EventRow.session_id == session_id)
            .where(or_(EventRow.window.is_not(None), EventRow.element.is_not(None)))
            .order_by(EventRow.seq)
        ).all()
    # A JSON column may hold JSON null rather than SQL NULL: look again here.
    return {
        seq: Target(t_ns, window, element)
        for seq, t_ns, window, element in rows
        if window is not None or element is not None
    }
