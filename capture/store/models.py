"""Typed SQLAlchemy 2.0 models. Rows are plain records; domain objects live in capture/.

Each schema change gets an Alembic migration in ``migrations/versions``; the
revision id of the newest one is ``SCHEMA_HEAD`` below.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    task: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # recording | finished | interrupted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    wall_start_ns: Mapped[int] = mapped_column(BigInteger)
    # Session time of the last thing recorded; kept current while recording so a
    # killed recorder still leaves a duration behind.
    duration_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    platform: Mapped[str] = mapped_column(String(64))
    app_version: Mapped[str] = mapped_column(String(32))
    hostname: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str] = mapped_column(String(255), default="")
    # {"virtual": {left, top, width, height}, "monitors": [{left, top, width, height, primary}]}
    screen: Mapped[dict[str, Any]] = mapped_column(JSON)
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    double_click_ms: Mapped[int] = mapped_column(Integer)
    double_click_px: Mapped[int] = mapped_column(Integer)
    fps: Mapped[float] = mapped_column(Float)
    # Which recorder holds the session ("host:pid") and when it last said so.
    lease_owner: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lease_heartbeat: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    stop_reason: Mapped[str] = mapped_column(Text, default="")


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_session_seq", "session_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    t_ns: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    x: Mapped[int | None] = mapped_column(Integer, nullable=True)
    y: Mapped[int | None] = mapped_column(Integer, nullable=True)
    button: Mapped[str | None] = mapped_column(String(16), nullable=True)
    dx: Mapped[int] = mapped_column(Integer, default=0)
    dy: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    char: Mapped[str | None] = mapped_column(String(8), nullable=True)
    modifiers: Mapped[str] = mapped_column(String(32), default="")  # "ctrl+shift"
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    # The frame on screen just before this event (press, scroll and key-down only),
    # and how long before the event that frame was last grabbed.
    frame_age_ns: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    frame_id: Mapped[int | None] = mapped_column(
        ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
    )


class FrameRow(Base):
    """A persisted observation: the screen as grabbed at ``t_ns``, pixels in the blob store."""

    __tablename__ = "frames"
    __table_args__ = (Index("ix_frames_session_t", "session_id", "t_ns"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    t_ns: Mapped[int] = mapped_column(BigInteger)  # when this content was first grabbed
    blob: Mapped[str] = mapped_column(String(64))  # content hash of the pixels
    left: Mapped[int] = mapped_column(Integer)
    top: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16), default="before")  # before | after | start


class ScreenChangeRow(Base):
    """Every distinct grab, pixels or not: when the screen changed and by how much."""

    __tablename__ = "screen_changes"
    __table_args__ = (Index("ix_screen_changes_session_t", "session_id", "t_ns"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    t_ns: Mapped[int] = mapped_column(BigInteger)
    changed: Mapped[float] = mapped_column(Float)  # fraction of sampled pixels that changed


class MarkerRow(Base):
    __tablename__ = "markers"
    __table_args__ = (Index("ix_markers_session_t", "session_id", "t_ns"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    t_ns: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # mark | pause | resume
    label: Mapped[str] = mapped_column(Text, default="")


class WindowRow(Base):
    __tablename__ = "windows"
    __table_args__ = (Index("ix_windows_session_t", "session_id", "t_ns"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    t_ns: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text)
    app: Mapped[str] = mapped_column(String(255))
    window_id: Mapped[int] = mapped_column(BigInteger, default=0)


class BlobRow(Base):
    """Frame blobs kept in the database itself (team stores without a shared directory)."""

    __tablename__ = "blobs"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StepRow(Base):
    """A step as the annotator sees it now: segmentation, then every edit in ``step_edits``."""

    __tablename__ = "steps"
    __table_args__ = (Index("ix_steps_session_index", "session_id", "index", unique=True),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    action: Mapped[dict[str, Any]] = mapped_column(JSON)
    t_start: Mapped[int] = mapped_column(BigInteger)
    t_end: Mapped[int] = mapped_column(BigInteger)
    first_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before_frame_id: Mapped[int | None] = mapped_column(
        ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
    )
    after_frame_id: Mapped[int | None] = mapped_column(
        ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
    )
    window: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    decision_point: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # Text drafted by a model; never merged into the person's ``note``.
    draft_note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16), default="unknown")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    comments: Mapped[list[str]] = mapped_column(JSON, default=list)


class StepEditRow(Base):
    """The audit trail: every edit an annotator made to a session's steps, in order."""

    __tablename__ = "step_edits"
    __table_args__ = (Index("ix_step_edits_session_seq", "session_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    who: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    op: Mapped[str] = mapped_column(String(16))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
