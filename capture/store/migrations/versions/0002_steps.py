"""Steps with their annotations, and the audit trail of step edits.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _session_fk() -> sa.Column:
    return sa.Column(
        "session_id",
        sa.String(32),
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "steps",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("action", sa.JSON(), nullable=False),
        sa.Column("t_start", sa.BigInteger(), nullable=False),
        sa.Column("t_end", sa.BigInteger(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=True),
        sa.Column(
            "before_frame_id", RowId, sa.ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "after_frame_id", RowId, sa.ForeignKey("frames.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("window", sa.JSON(), nullable=True),
        sa.Column("decision_point", sa.Boolean(), nullable=False),
        sa.Column("decision_reason", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("draft_note", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
    )
    op.create_index("ix_steps_session_index", "steps", ["session_id", "index"], unique=True)
    op.create_table(
        "step_edits",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("op", sa.String(16), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
    )
    op.create_index("ix_step_edits_session_seq", "step_edits", ["session_id", "seq"], unique=True)


def downgrade() -> None:
    op.drop_table("step_edits")
    op.drop_table("steps")
