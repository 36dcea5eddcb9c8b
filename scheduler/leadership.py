"""Which replica schedules: a PostgreSQL advisory lock held on a connection of its own; SQLite has one process."""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.db import Database

logger = logging.getLogger(__name__)

# Any constant shared by every replica of this installation; the lock is taken per schema (the second key), so two
# installations in one database (or two test runs in schemas of their own) never wait for each other's leader.
LOCK_KEY = 727_001


class Leadership(Protocol):
    """Whether this process is the one that schedules."""

    def try_lead(self) -> bool: ...

    def release(self) -> None: ...


class SingleProcess:
    """SQLite: one process both schedules and sends, so it always leads."""

    def try_lead(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    """PostgreSQL: the lock lives as long as this connection; a killed leader's connection drops and frees it.

    Not thread-safe: call try_lead and release from one thread (BotRuntime keeps a thread for them).
    """

    def __init__(self, db: Database, key: int = LOCK_KEY) -> None:
        self.db = db
        self.key = key
        self._connection: Connection | None = None

    def try_lead(self) -> bool:
        """True while we hold the lock; checks the connection is alive, and tries to take the lock if free."""
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))
                # End the probe's implicit transaction: a session idle in a transaction would be ended by any
                # idle_in_transaction_session_timeout, and the lock with it.
                self._connection.commit()
                return True
            connection = self.db.engine.connect()
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))"), {"key": self.key}
            ).scalar()
            connection.commit()  # end the implicit transaction; a session-level lock outlives it
            if got:
                self._connection = connection
                logger.info("this replica now schedules")
                return True
            connection.close()
            return False
        except DBAPIError:
            logger.warning("lost the database connection; not scheduling until it is back")
            self._drop()
            return False

    def release(self) -> None:
        """Give the lock up (on a clean shutdown, so another replica takes over at once)."""
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"), {"key": self.key}
                )
                self._connection.commit()
            except DBAPIError:
                pass
        self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            with suppress(DBAPIError):
                self._connection.invalidate()  # never back into the pool: it may still hold the lock
            self._connection = None


def leadership_for(db: Database) -> Leadership:
    """The right kind of leadership for the database."""
    return SingleProcess() if db.is_sqlite else AdvisoryLockLeadership(db)
