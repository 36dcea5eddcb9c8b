"""Outbox: drop the index by due time, so every claim reads a workspace's rows along the queue index.

With both, SQLite's planner found a claim's due rows by time and then sorted the whole queue by id, twice per
claim: 7 ms of a claim's 13 ms of SQL with a 10,000-card round waiting. A round's rows are due when queued, so
the queue index, read oldest first, reaches the rows a claim takes at once.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_claim", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_claim", "outbox", ["status", "not_before"], unique=False)
