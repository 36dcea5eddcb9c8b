"""Reminders ("remind me later"): one pending per person and subject, read when due, claimed once when sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update

from bot.flows.followup_model import Reminder
from storage.db import Database
from storage.models import ReminderRow


class ReminderRepository:
    """Reads and writes reminders; sending is claimed with a conditional update, so a reminder never goes twice."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def schedule(self, reminder: Reminder) -> Reminder:
        """Save a reminder; a pending one of the same person, kind and row is replaced: the newest time counts."""
        same_ref = ReminderRow.ref_id.is_(None) if reminder.ref_id is None else ReminderRow.ref_id == reminder.ref_id
        with self.db.transaction() as session:
            session.execute(
                delete(ReminderRow).where(
                    ReminderRow.member_id == reminder.member_id,
                    ReminderRow.kind == reminder.kind,
                    same_ref,
                    ReminderRow.sent.is_(False),
                )
            )
            row = ReminderRow(
                member_id=reminder.member_id,
                kind=reminder.kind,
                ref_id=reminder.ref_id,
                remind_at=reminder.remind_at,
                sent=False,
            )
            session.add(row)
            session.flush()
            return _reminder(row)

    def due(self, kind: str, now: datetime) -> list[Reminder]:
        """Unsent reminders of a kind whose time has come, oldest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ReminderRow)
                .where(ReminderRow.kind == kind, ReminderRow.sent.is_(False), ReminderRow.remind_at <= now)
                .order_by(ReminderRow.remind_at, ReminderRow.id)
            ).all()
            return [_reminder(row) for row in rows]

    def next_after(self, now: datetime) -> datetime | None:
        """When the next unsent reminder of any kind falls due: a moment the demo's clock stops at."""
        with self.db.transaction() as session:
            return session.scalar(
                select(func.min(ReminderRow.remind_at)).where(ReminderRow.sent.is_(False), ReminderRow.remind_at > now)
            )

    def pending(self, member_id: int, kind: str) -> list[Reminder]:
        """A person's unsent reminders of a kind, soonest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ReminderRow)
                .where(ReminderRow.member_id == member_id, ReminderRow.kind == kind, ReminderRow.sent.is_(False))
                .order_by(ReminderRow.remind_at, ReminderRow.id)
            ).all()
            return [_reminder(row) for row in rows]

    def all_pending(self, kind: str) -> list[Reminder]:
        """Everyone's unsent reminders of a kind, soonest first (what `tyhy preview` shows coming)."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ReminderRow)
                .where(ReminderRow.kind == kind, ReminderRow.sent.is_(False))
                .order_by(ReminderRow.remind_at, ReminderRow.id)
            ).all()
            return [_reminder(row) for row in rows]

    def pending_about(self, kind: str, ref_id: int) -> list[Reminder]:
        """Everyone's unsent reminders of a kind about one row (a plan's snoozed follow-up), soonest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ReminderRow)
                .where(ReminderRow.kind == kind, ReminderRow.ref_id == ref_id, ReminderRow.sent.is_(False))
                .order_by(ReminderRow.remind_at, ReminderRow.id)
            ).all()
            return [_reminder(row) for row in rows]

    def claim(self, reminder_id: int) -> bool:
        """Mark the reminder sent; False when it already was, so it can never go out twice."""
        with self.db.transaction() as session:
            claimed = session.execute(
                update(ReminderRow).where(ReminderRow.id == reminder_id, ReminderRow.sent.is_(False)).values(sent=True)
            )
            return cast("CursorResult[Any]", claimed).rowcount == 1

    def cancel(self, kind: str, ref_id: int) -> int:
        """Drop everyone's pending reminders of a kind about one row (a follow-up already held); how many went."""
        with self.db.transaction() as session:
            removed = session.execute(
                delete(ReminderRow).where(
                    ReminderRow.kind == kind, ReminderRow.ref_id == ref_id, ReminderRow.sent.is_(False)
                )
            )
            return cast("CursorResult[Any]", removed).rowcount


def _reminder(row: ReminderRow) -> Reminder:
    return Reminder(row.member_id, row.kind, row.ref_id, row.remind_at, row.sent, id=row.id)
