"""Pulse answers wait in a table of their own until a mixer adds them to the counters in shuffled batches.

The Send used to write the has-answered marker and bump the counters in one transaction, so on PostgreSQL the
marker's xmin equalled the counters' and a reader of the database paired people with their answers. Now the Send
writes the marker in one transaction and the answer, under a random id, in another; the mixer (storage/
pulse_mixer.py) adds at least a threshold's worth at a time and deletes them.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pulse_pending_answers",
        # A random id drawn by the application: no sequence keeps the order answers came in.
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
    )
    op.create_index("ix_pulse_pending_answers_round_team", "pulse_pending_answers", ["round_id", "team_id"])


def downgrade() -> None:
    op.drop_index("ix_pulse_pending_answers_round_team", table_name="pulse_pending_answers")
    op.drop_table("pulse_pending_answers")
