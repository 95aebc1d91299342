"""What an imported bundle brings besides steps and frames, kept so a re-export has it:
its free-form ``extra`` (other tools' data) and its context video (its header and blob chunks).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("extra", sa.JSON(), nullable=True))
    op.add_column("sessions", sa.Column("context_video", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("sessions", "context_video")
    op.drop_column("sessions", "extra")
