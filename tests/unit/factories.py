"""Test objects in one line: raw event scripts (``Script``, from ``scripted.input``),
the actions segmentation makes of them, stored sessions, damaged stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from capture.events import Marker, RawEvent
from scripted.input import MS, Script

__all__ = ["MS", "Script", "acts", "click_at", "damage", "session_row"]


def acts(events: list[RawEvent], **rules: object) -> list[dict[str, object]]:
    """The actions ``segment`` makes of ``events``, as JSON."""
    from capture.segment import SegmentationRules, segment

    return [s.action.to_json() for s in segment(events, rules=SegmentationRules(**rules))]  # type: ignore[arg-type]


def click_at(
    x: int, y: int, button: str = "left", modifiers: list[str] | None = None, kind: str = "click"
) -> dict[str, object]:
    return {"type": kind, "x": x, "y": y, "button": button, "modifiers": modifiers or []}


def session_row(
    db: Any,
    script: Script | None = None,
    session_id: str = "s1",
    markers: Sequence[Marker] = (),
    **row: Any,
) -> str:
    """Only a session row (finished unless ``status`` says otherwise), ``script``'s events
    and ``markers``: no frames, no steps (``tests.stored.stored_session`` writes a whole
    recording)."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from capture.store.models import EventRow, MarkerRow, SessionRow
    from capture.store.rows import event_row

    events = script.events if script is not None else []
    values: dict[str, Any] = {
        "id": session_id,
        "task": "t",
        "status": "finished",
        "created_at": datetime.now(UTC),
        "wall_start_ns": 0,
        "duration_ns": events[-1].t_ns if events else 0,
        "platform": "test",
        "app_version": "0",
        "screen": {"virtual": {"left": 0, "top": 0, "width": 16, "height": 8}, "monitors": []},
        "double_click_ms": 400,
        "double_click_px": 5,
        "fps": 10,
        **row,
    }
    with db.session() as s:
        s.add(SessionRow(**values))
        if events:
            s.execute(insert(EventRow), [event_row(e, session_id=session_id) for e in events])
        for m in markers:
            s.add(MarkerRow(session_id=session_id, t_ns=m.t_ns, kind=m.kind, label=m.label))
        s.commit()
    return session_id


def damage(path: Any, table: str = "sessions") -> None:
    """Overwrite the first page of ``table`` with garbage, as a failing disk would."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(root[0] - 1) * page : root[0] * page] = b"\xa5" * page
    path.write_bytes(bytes(data))
