"""Tasks, reviews, redactions; step outcome suggestions, error types, elements and faults.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _session_fk(nullable: bool = False) -> sa.Column:
    return sa.Column(
        "session_id",
        sa.String(32),
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("setup_notes", sa.Text(), nullable=False),
        sa.Column("expected_outcome", sa.Text(), nullable=False),
        sa.Column("setup_command", sa.Text(), nullable=False),
        sa.Column("reset_command", sa.Text(), nullable=False),
        sa.Column("reasoning_mode", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Plain ADD COLUMN, never a batch copy: on SQLite a batch rebuilds the table,
    # and dropping the old ``sessions`` would cascade into every event and frame.
    add = op.add_column
    add("sessions", sa.Column("stage", sa.String(16), nullable=False, server_default="draft"))
    add("sessions", sa.Column("task_id", sa.String(32), nullable=True))
    add("sessions", sa.Column("origin", sa.String(16), nullable=False, server_default="recorded"))
    add("sessions", sa.Column("source_session_id", sa.String(32), nullable=True))
    add("sessions", sa.Column("fault", sa.JSON(), nullable=True))
    add("sessions", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
    add("events", sa.Column("window", sa.JSON(), nullable=True))
    add("events", sa.Column("element", sa.JSON(), nullable=True))
    add("steps", sa.Column("outcome_suggested", sa.String(16), nullable=True))
    add("steps", sa.Column("outcome_reason", sa.Text(), nullable=False, server_default=""))
    add("steps", sa.Column("error_type", sa.String(32), nullable=True))
    add("steps", sa.Column("element", sa.JSON(), nullable=True))
    add("steps", sa.Column("fault", sa.JSON(), nullable=True))
    op.create_table(
        "reviews",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("goal", sa.String(16), nullable=True),
        sa.Column("efficiency", sa.Integer(), nullable=True),
        sa.Column("error_handling", sa.Integer(), nullable=True),
        sa.Column("note_quality", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("redundant_steps", sa.JSON(), nullable=False),
    )
    op.create_index("ix_reviews_session", "reviews", ["session_id", "created_at"])
    op.create_table(
        "review_comments",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column(
            "review_id", RowId, sa.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False
        ),
        _session_fk(),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_review_comments_session", "review_comments", ["session_id", "step_index"]
    )
    op.create_table(
        "redactions",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        _session_fk(nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("rect", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("redactions")
    op.drop_table("review_comments")
    op.drop_table("reviews")
    for name in ("fault", "element", "error_type", "outcome_reason", "outcome_suggested"):
        op.drop_column("steps", name)
    op.drop_column("events", "element")
    op.drop_column("events", "window")
    for name in ("submitted_at", "fault", "source_session_id", "origin", "task_id", "stage"):
        op.drop_column("sessions", name)
    op.drop_table("tasks")
