"""Typed SQLAlchemy 2.0 models. Rows are plain records; domain objects live in capture/.

Each schema change gets an Alembic migration in ``migrations/versions`` and its
revision id at the end of ``SCHEMA_REVISIONS`` in ``database.py``.
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


class TaskRow(Base):
    """What an annotator is asked to demonstrate, and how every demonstration of it starts."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    instruction: Mapped[str] = mapped_column(Text)
    # demonstration | trajectory | error_recovery | feedback
    category: Mapped[str] = mapped_column(String(32), default="trajectory")
    setup_notes: Mapped[str] = mapped_column(Text, default="")
    expected_outcome: Mapped[str] = mapped_column(Text, default="")
    # Shell commands run before and after a recording so every take starts alike.
    setup_command: Mapped[str] = mapped_column(Text, default="")
    reset_command: Mapped[str] = mapped_column(Text, default="")
    # live | after | think_aloud
    reasoning_mode: Mapped[str] = mapped_column(String(16), default="after")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    task: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # recording | finished | interrupted
    # Where the trajectory is in its life once recorded:
    # draft | submitted | accepted | needs_changes | rejected
    stage: Mapped[str] = mapped_column(String(16), default="draft")
    # No foreign key: SQLite cannot add one to an existing table without copying
    # it; the store clears it when a task is deleted.
    task_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # How the session came to be: "recorded", "imported", "injected".
    origin: Mapped[str] = mapped_column(String(16), default="recorded")
    # An injected-fault session names the session it was replayed from, and its fault.
    source_session_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    fault: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The rules it was recorded under (capture/recording_rules.py); None: the defaults.
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # An imported bundle's free-form ``extra`` (other tools' data), kept as it was.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # An imported bundle's context.mp4, kept as it came (capture/store/videos.py):
    # {"header": the bundle's context_video, "size", "sha256", "chunks": [blob digests]}.
    context_video: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
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
    # Which recorder holds the session ("host:pid:nonce") and when it last said so
    # (see lease.py).
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
    # Presses and key-downs: the top-level window the action landed on, and the
    # accessible element under the pointer (or focused), when they could be read.
    window: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    element: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


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
    kind: Mapped[str] = mapped_column(String(16))  # mark | pause | resume | note (label: the text)
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
    """Blobs kept in the database itself (team stores without a shared directory): frames,
    and the chunks of kept context videos."""

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
    # What the screen did after the step suggests about its outcome (never the label itself).
    outcome_suggested: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    error_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    element: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # An injected fault: {"kind": ..., plus its parameters}.
    fault: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


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


class ReviewRow(Base):
    """One reviewer's grade of one trajectory; a trajectory may have several."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_session", "session_id", "created_at"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verdict: Mapped[str] = mapped_column(String(16))  # accept | needs_changes | reject
    goal: Mapped[str | None] = mapped_column(String(16), nullable=True)  # achieved|partly|not
    efficiency: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..5
    error_handling: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..5
    note_quality: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..5
    reason: Mapped[str] = mapped_column(Text, default="")
    redundant_steps: Mapped[list[int]] = mapped_column(JSON, default=list)


class ReviewCommentRow(Base):
    """A reviewer's comment pinned to one step (or to the whole trajectory when step is None)."""

    __tablename__ = "review_comments"
    __table_args__ = (Index("ix_review_comments_session", "session_id", "step_index"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    step_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RedactionRow(Base):
    """A redaction: a rectangle on one session, or a rule on window class or title.

    ``session_id`` None makes it a rule for every session.
    """

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # rect | window_class | window_title
    pattern: Mapped[str] = mapped_column(Text, default="")  # glob, for the window rules
    rect: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)  # [left, top, w, h]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
