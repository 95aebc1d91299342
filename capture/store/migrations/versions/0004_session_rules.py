"""The rules a session was recorded under: control hotkeys, decision-point thresholds.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("rules", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("sessions", "rules")
