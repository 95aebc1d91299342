"""The session row as a recorder sees it: created, continued under a lease, closed.

The recorder says what it knows (screen, clock, who and where) and gets back
what it needs; the rows, the lease and the queries stay in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from capture.errors import SessionNotFoundError
from capture.recording_rules import RecordingRules
from capture.segment import SegmentationRules
from capture.store.database import Database
from capture.store.lease import claim, release
from capture.store.models import EventRow, SessionRow


@dataclass(frozen=True)
class NewSession:
    id: str
    task: str
    task_id: str | None
    wall_start_ns: int
    platform: str
    app_version: str
    hostname: str
    username: str
    screen: dict[str, Any]
    scale: float
    double_click_ms: int
    double_click_px: int
    fps: float
    rules: RecordingRules
    owner: str


def create_session(db: Database, new: NewSession) -> None:
    """A session being recorded, held by ``new.owner``."""
    with db.session() as s:
        s.add(
            SessionRow(
                id=new.id,
                task=new.task,
                task_id=new.task_id,
                status="recording",
                created_at=datetime.fromtimestamp(new.wall_start_ns / 1e9, UTC),
                wall_start_ns=new.wall_start_ns,
                duration_ns=0,
                platform=new.platform,
                app_version=new.app_version,
                hostname=new.hostname,
                username=new.username,
                screen=new.screen,
                scale=new.scale,
                double_click_ms=new.double_click_ms,
                double_click_px=new.double_click_px,
                fps=new.fps,
                rules=new.rules.to_json(),
                lease_owner=new.owner,
                lease_heartbeat=datetime.now(UTC),
                stop_reason="",
            )
        )
        s.commit()


@dataclass(frozen=True)
class Continued:
    """Where a continued session stands: its wall-clock start, its length, its next event."""

    wall_start_ns: int
    duration_ns: int
    next_seq: int


def continue_session(db: Database, session_id: str, owner: str) -> Continued:
    """Claim an existing session for ``owner``; refused while a live recorder holds it."""
    with db.session() as s:
        row = claim(s, session_id, owner)
        last_seq = s.scalar(
            select(EventRow.seq)
            .where(EventRow.session_id == session_id)
            .order_by(EventRow.seq.desc())
            .limit(1)
        )
        continued = Continued(
            row.wall_start_ns, row.duration_ns, (last_seq + 1) if last_seq is not None else 0
        )
        s.commit()
    return continued


def close_session(
    db: Database, session_id: str, owner: str, status: str, reason: str, duration_ns: int
) -> None:
    """Mark the session finished or interrupted and give up its lease (if still ours)."""
    with db.session() as s:
        release(s, session_id, owner, status, reason, duration_ns)
        s.commit()


def segmentation_rules(db: Database, session_id: str) -> SegmentationRules:
    """The session's OS click settings and the rules it is recorded under."""
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        if row is None:
            raise SessionNotFoundError(f"no session {session_id}")
        return RecordingRules.from_json(row.rules).segmentation(
            row.double_click_ms, row.double_click_px
        )
