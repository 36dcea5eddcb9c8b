"""Outbox: an index that serves a claim's read of one workspace's waiting rows, oldest first.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_queue", "outbox", ["status", "platform", "workspace", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_queue", table_name="outbox")
