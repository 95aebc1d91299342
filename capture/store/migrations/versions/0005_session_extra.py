"""Free-form data other tools put in a bundle's ``extra``, kept so a re-export has it.

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


def downgrade() -> None:
    op.drop_column("sessions", "extra")
