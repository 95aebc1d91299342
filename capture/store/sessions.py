"""Reading sessions back: listing, resolving ids, summaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from capture.errors import SessionNotFoundError
from capture.store.blobs import BlobStore, DatabaseBlobStore, DirectoryBlobStore
from capture.store.database import Database
from capture.store.lease import orphaned
from capture.store.models import (
    EventRow,
    FrameRow,
    MarkerRow,
    ScreenChangeRow,
    SessionRow,
    WindowRow,
)
from capture.store.paths import frames_dir
from capture.store.recovery import recover_sessions, stop_reason

SHORT_ID = 12  # characters of a session id shown in lists; any unique prefix resolves


def short_id(session_id: str) -> str:
    return session_id[:SHORT_ID]


def blob_store_for(db: Database) -> BlobStore:
    path = db.sqlite_path
    return DirectoryBlobStore(frames_dir(path)) if path is not None else DatabaseBlobStore()


def resolve_session(db: Database, ref: str) -> str:
    """A full session id from an id or a unique prefix of one."""
    ref = ref.strip().lower()
    if not ref:
        raise SessionNotFoundError("no session given")
    with db.session() as s:
        if s.get(SessionRow, ref) is not None:
            recover_sessions(db, ref)
            return ref
        matches = list(
            s.scalars(
                select(SessionRow.id).where(SessionRow.id.startswith(ref, autoescape=True)).limit(2)
            )
        )
    if not matches:
        raise SessionNotFoundError(f"no session {ref}")
    if len(matches) > 1:
        raise SessionNotFoundError(f"session prefix {ref} is ambiguous; give more characters")
    recover_sessions(db, matches[0])
    return matches[0]


@dataclass(frozen=True)
class SessionSummary:
    id: str
    task: str
    status: str
    created_at: str
    duration_s: float
    events: int
    frames: int
    screen_changes: int
    markers: int
    windows: int
    screen: dict[str, Any]
    scale: float
    double_click_ms: int
    double_click_px: int
    fps: float
    platform: str
    app_version: str
    stop_reason: str
    frame_bytes: int | None
    # Where the session came from: "recorded", or "injected" with its source and fault.
    origin: str = "recorded"
    source_session_id: str | None = None
    fault: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _count(s: Any, model: Any, session_id: str) -> int:
    return int(
        s.scalar(select(func.count()).select_from(model).where(model.session_id == session_id))
    )


def has_sessions(db: Database) -> bool:
    """Whether the store holds any session at all."""
    with db.session() as s:
        return s.scalar(select(SessionRow.id).limit(1)) is not None


def list_sessions(db: Database) -> list[SessionSummary]:
    recover_sessions(db)
    with db.session() as s:
        ids = list(s.scalars(select(SessionRow.id).order_by(SessionRow.created_at)))
    return [summarize(db, sid, with_sizes=False) for sid in ids]


def summarize(db: Database, session_id: str, with_sizes: bool = True) -> SessionSummary:
    with db.session() as s:
        row = s.get(SessionRow, session_id)
        if row is None:
            raise SessionNotFoundError(f"no session {session_id}")
        frame_bytes: int | None = None
        if with_sizes:
            frame_bytes = _frame_bytes(db, s, session_id)
        # A store that could not be written still shows a dead recording as what it is.
        why = orphaned(row)
        return SessionSummary(
            id=row.id,
            task=row.task,
            status="interrupted" if why else row.status,
            created_at=row.created_at.isoformat(),
            duration_s=round(row.duration_ns / 1e9, 3),
            events=_count(s, EventRow, session_id),
            frames=_count(s, FrameRow, session_id),
            screen_changes=_count(s, ScreenChangeRow, session_id),
            markers=_count(s, MarkerRow, session_id),
            windows=_count(s, WindowRow, session_id),
            screen=row.screen,
            scale=row.scale,
            double_click_ms=row.double_click_ms,
            double_click_px=row.double_click_px,
            fps=row.fps,
            platform=row.platform,
            app_version=row.app_version,
            stop_reason=stop_reason(why) if why else row.stop_reason,
            frame_bytes=frame_bytes,
            origin=row.origin,
            source_session_id=row.source_session_id,
            fault=row.fault,
        )


def _frame_bytes(db: Database, s: Any, session_id: str) -> int:
    """Bytes of the distinct frame blobs this session references (keyframes they need included)."""
    from capture.framecodec import blob_info

    blobs = blob_store_for(db)
    digests = set(s.scalars(select(FrameRow.blob).where(FrameRow.session_id == session_id)))
    total, seen = 0, set()
    todo = list(digests)
    while todo:
        digest = todo.pop()
        if digest in seen:
            continue
        seen.add(digest)
        data = blobs.get(digest, s)
        total += len(data)
        base = blob_info(data).base
        if base:
            todo.append(base)
    return total


def session_record(db: Database, session_id: str) -> dict[str, Any]:
    """Everything a trajectory's header needs from the session row and its task."""
    from capture.store.models import TaskRow

    with db.session() as s:
        row = s.get(SessionRow, session_id)
        if row is None:
            raise SessionNotFoundError(f"no session {session_id}")
        task: dict[str, Any] = {}
        if row.task_id:
            t = s.get(TaskRow, row.task_id)
            if t is not None:
                task = {
                    "id": t.id,
                    "instruction": t.instruction,
                    "category": t.category,
                    "expected_outcome": t.expected_outcome,
                    "setup_command": t.setup_command,
                    "reset_command": t.reset_command,
                }
        created = row.created_at
        if created.tzinfo is None:
            from datetime import UTC

            created = created.replace(tzinfo=UTC)
        return {
            "id": row.id,
            "task_text": row.task,
            "task": task,
            "status": "interrupted" if orphaned(row) else row.status,
            "stage": row.stage,
            "origin": row.origin,
            "source_session_id": row.source_session_id,
            "fault": row.fault,
            "created_at": created.isoformat(),
            "duration_s": round(row.duration_ns / 1e9, 3),
            "platform": row.platform,
            "app_version": row.app_version,
            "hostname": row.hostname,
            "username": row.username,
            "screen": row.screen,
            "scale": row.scale,
            "double_click_ms": row.double_click_ms,
            "double_click_px": row.double_click_px,
            "fps": row.fps,
            "rules": row.rules,
            "extra": row.extra or {},
        }


def mark_injected(
    db: Database, session_id: str, source_session_id: str, fault: dict[str, Any]
) -> None:
    """File ``session_id`` as made by fault injection from ``source_session_id``.

    The new session takes the source's task, so statistics count it with it.
    """
    from sqlalchemy import update

    with db.session() as s:
        source = s.get(SessionRow, source_session_id)
        task_id = source.task_id if source is not None else None
        s.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(
                origin="injected",
                source_session_id=source_session_id,
                fault=dict(fault),
                task_id=task_id,
            )
        )
        s.commit()
