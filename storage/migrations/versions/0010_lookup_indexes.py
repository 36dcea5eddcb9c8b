"""Indexes for the columns the bot looks rows up by on every event, which no key led with.

Finding the person behind a click read their teams and platform ids by member, and the thank-you found a team's
previous round by team: each a scan of the whole table, 3 ms per click in a city of 10,000 people and growing
with every round. Plans, follow-ups and successes are read by plan and by team for every plan card and Home tab.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (table, column): each gets the index SQLAlchemy names ix_<table>_<column>, as storage/models.py declares it.
INDEXED = (
    ("team_members", "member_id"),
    ("member_identities", "member_id"),
    ("pulse_round_teams", "team_id"),
    ("pulse_comments", "round_id"),
    ("plan_strengths", "plan_id"),
    ("plan_targets", "plan_id"),
    ("plan_actions", "target_id"),
    ("follow_ups", "plan_id"),
    ("successes", "team_id"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(INDEXED):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
