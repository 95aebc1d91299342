"""A small stored session with real frames, for tests of everything after recording.

``stored_session`` writes what a recording would: a session row, raw events,
one distinct frame before each action (pixels through the real frame encoder
and blob store) and the screen after the last one, then segments the events
into steps. Frames are small and drawn so each is recognisable: a flat colour
per frame with a dark square where the action lands.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import insert

from capture.events import ACTION_STARTS
from capture.store.database import Database
from capture.store.frames import FrameWriter
from capture.store.models import EventRow, FrameRow, SessionRow
from capture.store.rows import event_row
from capture.store.sessions import blob_store_for
from capture.store.steps import resegment
from tests.unit.factories import Script

WIDTH, HEIGHT = 320, 200


def demo_script() -> Script:
    """One of each common action: click, typing with a correction, scroll, drag, hotkey, key."""
    return (
        Script()
        .glide(0, 0, 40, 30)
        .click(40, 30)
        .wait(400)
        .type("helo\blo world")
        .wait(400)
        .scroll(dy=1, x=160, y=100, notches=3)
        .wait(400)
        .drag(60, 60, 200, 150)
        .wait(400)
        .hotkey("ctrl", "s")
        .wait(400)
        .key("Return")
        .wait(300)
    )


def frame_pixels(index: int, x: int, y: int, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """BGRA pixels: a colour of its own per ``index``, a dark 9x9 square at (x, y)."""
    img = np.zeros((height, width, 4), np.uint8)
    img[:, :, 0] = (37 * index) % 256
    img[:, :, 1] = (91 * index + 60) % 256
    img[:, :, 2] = (53 * index + 120) % 256
    img[:, :, 3] = 255
    x0, y0 = max(0, min(width - 9, x - 4)), max(0, min(height - 9, y - 4))
    img[y0 : y0 + 9, x0 : x0 + 9, :3] = 20
    return img.tobytes()


@dataclass(frozen=True)
class StoredSession:
    id: str
    script: Script
    frames: int


def stored_session(
    db: Database,
    script: Script | None = None,
    task: str = "Fill in the form",
    width: int = WIDTH,
    height: int = HEIGHT,
    session_id: str | None = None,
) -> StoredSession:
    script = script or demo_script()
    session_id = session_id or uuid.uuid4().hex
    writer = FrameWriter(blob_store_for(db))
    events = script.events
    with db.session() as s:
        s.add(
            SessionRow(
                id=session_id,
                task=task,
                status="finished",
                created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                wall_start_ns=0,
                duration_ns=events[-1].t_ns + 300_000_000,
                platform="Linux test (X11)",
                app_version="0.1.0",
                hostname="host",
                username="ann",
                screen={
                    "virtual": {"left": 0, "top": 0, "width": width, "height": height},
                    "monitors": [
                        {"left": 0, "top": 0, "width": width, "height": height, "primary": True}
                    ],
                },
                scale=1.0,
                double_click_ms=400,
                double_click_px=5,
                fps=10,
                stop_reason="",
            )
        )
        s.flush()
        rows = []
        frame_no = 0
        last_frame: int | None = None
        previous = None
        for event in events:
            frame_id = None
            # A new screen before each press, and before the first wheel notch or key
            # of a run: what a person would have seen change between actions.
            starts_run = event.kind in ACTION_STARTS and (
                event.kind.value == "press" or previous is None or previous.kind != event.kind
            )
            if event.kind.value in ("move", "release", "key_up"):
                pass
            else:
                previous = event
            if starts_run:
                x = event.x if event.x is not None else width // 2
                y = event.y if event.y is not None else height // 2
                digest = writer.put(frame_pixels(frame_no, x, y, width, height), width, height, s)
                frame = FrameRow(
                    session_id=session_id,
                    t_ns=max(0, event.t_ns - 1_000_000),
                    blob=digest,
                    left=0,
                    top=0,
                    width=width,
                    height=height,
                    reason="before",
                )
                s.add(frame)
                s.flush()
                frame_no += 1
                last_frame = frame.id
            if event.kind in ACTION_STARTS:
                frame_id = last_frame
            rows.append(event_row(event, session_id=session_id, frame_id=frame_id, frame_age_ns=0))
        s.execute(insert(EventRow), rows)
        digest = writer.put(frame_pixels(frame_no, 0, 0, width, height), width, height, s)
        s.add(
            FrameRow(
                session_id=session_id,
                t_ns=events[-1].t_ns + 200_000_000,
                blob=digest,
                left=0,
                top=0,
                width=width,
                height=height,
                reason="after",
            )
        )
        s.commit()
    resegment(db, session_id)
    return StoredSession(session_id, script, frame_no + 1)


# Rules other than the defaults, so a test can tell they were kept.
RULES = {
    "hotkeys": {
        "mark": "ctrl+alt+n",
        "pause": "ctrl+alt+p",
        "stop": "ctrl+alt+q",
        "secret": "ctrl+alt+h",
    },
    "decision_pause_ms": 2500,
    "decision_screen_change": 0.25,
}


def with_history(db: Database, session_id: str) -> None:
    """Give a stored session what a real one carries beyond its steps: the rules it was
    recorded under, where each press and key-down landed, a Mark before the scroll, the
    active window's changes, the screen's changes, and an annotator's edits."""
    from sqlalchemy import select, update

    from capture.events import Marker, WindowChange
    from capture.segment import EditRecord
    from capture.store.models import MarkerRow, ScreenChangeRow, WindowRow
    from capture.store.rows import marker_row, screen_change_row, window_row
    from capture.store.steps import edit

    with db.session() as s:
        s.execute(update(SessionRow).where(SessionRow.id == session_id).values(rules=RULES))
        rows = s.scalars(
            select(EventRow)
            .where(EventRow.session_id == session_id)
            .where(EventRow.kind.in_(("press", "key_down")))
            .order_by(EventRow.seq)
        ).all()
        for n, row in enumerate(rows):
            row.window = {
                "id": 4194311,
                "title": "Form - demo",
                "app": "demo",
                "pid": 4242,
                "popup": False,
            }
            if n % 3 == 2:
                row.element = {"reason": "timeout"}
            else:
                row.element = {
                    "role": "text" if row.kind == "key_down" else "push button",
                    "name": f"field {n}",
                    "states": ["enabled", "focused"],
                    "bbox": [10 * n, 20, 80, 24],
                    "path": [0, 2, n],
                }
        s.execute(
            insert(MarkerRow),
            [
                marker_row(m, session_id=session_id)
                for m in (
                    Marker(2_300_000_000, "mark", "scroll to the end"),
                    Marker(2_310_000_000, "note", "the list is long"),
                )
            ],
        )
        s.execute(
            insert(WindowRow),
            [
                window_row(w, session_id=session_id)
                for w in (
                    WindowChange(0, "Form - demo", "demo", 4194311),
                    WindowChange(2_000_000_000, "Form - demo (edited)", "demo", 4194311),
                )
            ],
        )
        changes = [(141_000_000, 0.1), (661_000_000, 0.05), (2_351_000_000, 0.02)]
        changes += [(3_300_000_000, 0.4), (3_541_000_000, 0.01), (4_312_000_000, 0.1)]
        s.execute(
            insert(ScreenChangeRow),
            [screen_change_row(t, c, session_id=session_id) for t, c in changes],
        )
        s.commit()
    when = datetime(2026, 1, 2, 4, 0, 0, tzinfo=UTC)
    edit(
        db,
        session_id,
        EditRecord("ann", "relabel", {"index": 0, "fields": {"note": "Start with the name"}}, when),
    )
    edit(
        db,
        session_id,
        EditRecord("rita", "relabel", {"index": 1, "fields": {"tags": ["mistake"]}}, when),
    )
