"""The demo's clock in the database, so the web chat, the terminal chat and a restarted server share one demo time.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_clock",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("offset_seconds", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("demo_clock")
