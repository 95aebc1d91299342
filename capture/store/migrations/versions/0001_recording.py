"""Recording: sessions, raw input events, frames, screen changes, markers, windows, blobs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wall_start_ns", sa.BigInteger(), nullable=False),
        sa.Column("duration_ns", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(64), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("hostname", sa.String(255), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("screen", sa.JSON(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("double_click_ms", sa.Integer(), nullable=False),
        sa.Column("double_click_px", sa.Integer(), nullable=False),
        sa.Column("fps", sa.Float(), nullable=False),
        sa.Column("lease_owner", sa.String(300), nullable=True),
        sa.Column("lease_heartbeat", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stop_reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "frames",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("t_ns", sa.BigInteger(), nullable=False),
        sa.Column("blob", sa.String(64), nullable=False),
        sa.Column("left", sa.Integer(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
    )
    op.create_index("ix_frames_session_t", "frames", ["session_id", "t_ns"])
    op.create_table(
        "events",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("t_ns", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("x", sa.Integer(), nullable=True),
        sa.Column("y", sa.Integer(), nullable=True),
        sa.Column("button", sa.String(16), nullable=True),
        sa.Column("dx", sa.Integer(), nullable=False),
        sa.Column("dy", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=True),
        sa.Column("char", sa.String(8), nullable=True),
        sa.Column("modifiers", sa.String(32), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("frame_age_ns", sa.BigInteger(), nullable=True),
        sa.Column(
            "frame_id", RowId, sa.ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_index("ix_events_session_seq", "events", ["session_id", "seq"], unique=True)
    op.create_table(
        "screen_changes",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("t_ns", sa.BigInteger(), nullable=False),
        sa.Column("changed", sa.Float(), nullable=False),
    )
    op.create_index("ix_screen_changes_session_t", "screen_changes", ["session_id", "t_ns"])
    op.create_table(
        "markers",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("t_ns", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
    )
    op.create_index("ix_markers_session_t", "markers", ["session_id", "t_ns"])
    op.create_table(
        "windows",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("t_ns", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("app", sa.String(255), nullable=False),
        sa.Column("window_id", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_windows_session_t", "windows", ["session_id", "t_ns"])
    op.create_table(
        "blobs",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    for table in ("blobs", "windows", "markers", "screen_changes", "events", "frames"):
        op.drop_table(table)
    op.drop_table("sessions")
