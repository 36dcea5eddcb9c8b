"""The organisation's annual calendar: stored steps in, AnnualCalendar out (the default until one is saved)."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from storage.db import Database
from storage.models import CalendarRow, CalendarStepRow


class CalendarRepository:
    """Reads and replaces the one calendar of an organisation."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, org_id: int) -> AnnualCalendar:
        """The saved calendar, or the default template when none was saved yet."""
        with self.db.transaction() as session:
            row = session.scalars(select(CalendarRow).where(CalendarRow.org_id == org_id)).first()
            if row is None:
                return default_calendar()
            steps = session.scalars(
                select(CalendarStepRow).where(CalendarStepRow.calendar_id == row.id).order_by(CalendarStepRow.position)
            ).all()
            return AnnualCalendar(
                steps=tuple(
                    CalendarStep(
                        key=s.key,
                        kind=StepKind(s.kind),
                        month=s.month,
                        day=s.day,
                        after=s.after_key,
                        offset_days=s.offset_days,
                        units=tuple(u for u in s.units.split(",") if u),
                        enabled=s.enabled,
                    )
                    for s in steps
                ),
                pulse_every_weeks=row.pulse_every_weeks,
                send_hour=row.send_hour,
            )

    def save(self, org_id: int, calendar: AnnualCalendar) -> None:
        """Replace the calendar whole (it was validated when it was built)."""
        with self.db.transaction() as session:
            row = session.scalars(select(CalendarRow).where(CalendarRow.org_id == org_id)).first()
            if row is None:
                row = CalendarRow(org_id=org_id)
                session.add(row)
            row.pulse_every_weeks, row.send_hour = calendar.pulse_every_weeks, calendar.send_hour
            session.flush()
            session.execute(delete(CalendarStepRow).where(CalendarStepRow.calendar_id == row.id))
            for position, step in enumerate(calendar.steps):
                session.add(
                    CalendarStepRow(
                        calendar_id=row.id,
                        position=position,
                        key=step.key,
                        kind=step.kind.value,
                        month=step.month,
                        day=step.day,
                        after_key=step.after,
                        offset_days=step.offset_days,
                        units=",".join(step.units),
                        enabled=step.enabled,
                    )
                )
