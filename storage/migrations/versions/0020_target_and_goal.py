"""A plan's development target and its goal become two fields, as the model's columns list them; follow-ups keep
a note of what was decided.

Until now one text, `plan_targets.goal`, held both what the team develops and where it wants to get. That text was
written as the target's name (the edit card and every view showed it as the target), so it becomes the new `title`
whole, and `goal` starts empty for the supervisor to fill in: nothing is lost or split by guesswork.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan_targets", sa.Column("title", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE plan_targets SET title = goal, goal = ''")
    op.add_column("follow_ups", sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # Back to one text: the target, and its goal after it when there is one.
    op.execute("UPDATE plan_targets SET goal = CASE WHEN goal = '' THEN title ELSE title || ': ' || goal END")
    with op.batch_alter_table("plan_targets") as batch:
        batch.drop_column("title")
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_column("note")
