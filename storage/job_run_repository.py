"""Run-once claims for planned occurrences: an insert under the primary key decides who runs a job."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import JobRunRow

_IDS_PER_QUERY = 500  # well under SQLite's limit of bound parameters in one statement


class JobRunRepository:
    """Remembers which occurrences have run."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, job_id: str, now: datetime) -> bool:
        """True the first time an occurrence is claimed, False ever after (also across processes)."""
        try:
            with self.db.transaction() as session:
                session.add(JobRunRow(job_id=job_id, ran_at=now))
        except IntegrityError:
            return False
        return True

    def which_ran(self, job_ids: Iterable[str]) -> set[str]:
        """Those of the given occurrences that have run."""
        wanted = list(dict.fromkeys(job_ids))
        found: set[str] = set()
        with self.db.transaction() as session:
            for first in range(0, len(wanted), _IDS_PER_QUERY):
                chunk = wanted[first : first + _IDS_PER_QUERY]
                found.update(session.scalars(select(JobRunRow.job_id).where(JobRunRow.job_id.in_(chunk))))
        return found

    def ran(self) -> list[str]:
        """Every occurrence that has run, by id."""
        with self.db.transaction() as session:
            return list(session.scalars(select(JobRunRow.job_id).order_by(JobRunRow.ran_at, JobRunRow.job_id)))

    def last_run(self) -> datetime | None:
        """When the newest occurrence ran, if any has."""
        with self.db.transaction() as session:
            return session.execute(select(func.max(JobRunRow.ran_at))).scalar_one_or_none()
