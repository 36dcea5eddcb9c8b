"""The demo's clock, kept in the database: how far ahead of the wall clock the demo runs, for every process on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Float, Integer, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.db import Database

ROW_ID = 1  # one clock per database


class DemoClockRow(Base):
    """The one row: seconds the demo is ahead of the wall clock. Absent until the demo's clock first moves."""

    __tablename__ = "demo_clock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    offset_seconds: Mapped[float] = mapped_column(Float)


class DemoClockStore:
    """Reads and moves the shared offset; it only grows, so no process ever sees the demo's time run backwards."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def offset(self) -> timedelta:
        """How far ahead of the wall clock the demo is (nothing before it first moved)."""
        with self.db.connection() as connection:
            seconds = connection.execute(select(DemoClockRow.offset_seconds).where(DemoClockRow.id == ROW_ID)).scalar()
        return timedelta(seconds=seconds or 0.0)

    def now(self) -> datetime:
        """The demo's now, read anew each time: the web chat may move the clock while another process talks."""
        return datetime.now(UTC) + self.offset()

    def move_to(self, offset: timedelta) -> timedelta:
        """Keep `offset` if it is ahead of the stored one (another process may have moved further); the stored one."""
        seconds = offset.total_seconds()
        forward = (
            update(DemoClockRow)
            .where(DemoClockRow.id == ROW_ID, DemoClockRow.offset_seconds < seconds)
            .values(offset_seconds=seconds)
        )
        try:
            with self.db.transaction() as session:
                if session.get(DemoClockRow, ROW_ID) is None:
                    session.add(DemoClockRow(id=ROW_ID, offset_seconds=seconds))
                else:
                    session.execute(forward)
        except IntegrityError:  # another process inserted the row first: move it forward all the same
            with self.db.transaction() as session:
                session.execute(forward)
        return self.offset()
