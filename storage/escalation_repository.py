"""Follow-up escalations: which missed due dates of which plans the wellbeing officers have been told of."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from storage.db import Database
from storage.models import FollowUpEscalationRow


class EscalationRepository:
    """One row per (plan, missed due date): claiming it twice answers False, so an escalation goes out once."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, plan_id: int, due_on: date) -> bool:
        """Record the escalation of a missed due date; False when it was already recorded (by anyone)."""
        with self.db.transaction() as session:
            dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            # RETURNING, not rowcount: an ORM-enabled insert does not report psycopg's row count.
            inserted = session.execute(
                dialect_insert(FollowUpEscalationRow)
                .values(plan_id=plan_id, due_on=due_on)
                .on_conflict_do_nothing(index_elements=["plan_id", "due_on"])
                .returning(FollowUpEscalationRow.plan_id)
            )
            return inserted.first() is not None

    def escalated(self, plan_id: int) -> list[date]:
        """The due dates of the plan that have been escalated, oldest first."""
        with self.db.transaction() as session:
            return list(
                session.scalars(
                    select(FollowUpEscalationRow.due_on)
                    .where(FollowUpEscalationRow.plan_id == plan_id)
                    .order_by(FollowUpEscalationRow.due_on)
                )
            )
