"""Pulse rounds keep the unit tree and the anonymity threshold they opened with, and are reported under them.

Every past round was recomputed under today's tree and threshold, so two views of one round (before and after a
reorganisation moved a 1-person unit, or after the threshold went from 5 to 3) subtracted to one person's answers.

Rounds that exist already get today's tree and threshold frozen here: the ones they have been shown under
lately, and all that is left to know (the tree they opened with was never kept).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pulse_rounds", sa.Column("anonymity_threshold", sa.Integer(), nullable=False, server_default="5"))
    op.create_table(
        "pulse_round_units",
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("unit_id", sa.Integer(), primary_key=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
    )
    # Existing rounds: today's threshold and tree, frozen from now on (see above).
    op.execute(
        "UPDATE pulse_rounds SET anonymity_threshold = "
        "(SELECT o.anonymity_threshold FROM organisations o WHERE o.id = pulse_rounds.org_id)"
    )
    op.execute(
        "INSERT INTO pulse_round_units (round_id, unit_id, parent_id) "
        "SELECT r.id, t.id, t.parent_id FROM pulse_rounds r JOIN teams t ON t.org_id = r.org_id"
    )


def downgrade() -> None:
    op.drop_table("pulse_round_units")
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.drop_column("anonymity_threshold")
