"""Opening the database: the URL, the engine with SQLite's WAL settings, sessions and transactions."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DomainError

if TYPE_CHECKING:
    from storage.db_limits import WaitLimits

logger = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///tyhy.db"


def database_url() -> str:
    """TYHY_DATABASE_URL, or the embedded SQLite file in the working directory."""
    return os.environ.get("TYHY_DATABASE_URL") or DEFAULT_URL


def safe_url(url: str) -> str:
    """The URL with its password hidden, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def _normalise(url: str) -> str:
    # psycopg 3 is the driver we ship; a plain postgresql:// URL would ask SQLAlchemy for psycopg2.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer writes; busy_timeout makes concurrent writers wait, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (pending answers once mixed, forgotten members) are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class Database:
    """One engine and its session factory; the only way the rest of storage/ reaches the database."""

    def __init__(self, url: str | None = None, *, limits: WaitLimits | None = None, **engine_options: Any) -> None:
        self.url = _normalise(url or database_url())
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DomainError("db.unreachable", url=safe_url(self.url)) from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        options: dict[str, Any] = {"future": True}
        if self.is_sqlite:
            # Threads share the file, not connections; the pool hands each thread its own.
            options["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            from storage import db_limits  # psycopg is imported only when PostgreSQL is used

            limits = limits or db_limits.WaitLimits()
            options["pool_timeout"] = limits.pool_seconds
        options.update(engine_options)
        try:
            self.engine: Engine = create_engine(self.url, **options)
        except (ArgumentError, NoSuchModuleError, ImportError):  # ImportError: a driver we do not ship
            raise DomainError("db.unreachable", url=safe_url(self.url)) from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _on_sqlite_connect)
        elif limits is not None and self.dialect == "postgresql":
            db_limits.bound(self.engine, limits)  # a hanging database holds no thread for ever
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def check(self) -> None:
        """Connect once; an unreachable server becomes one clear DomainError instead of a traceback."""
        try:
            with self.engine.connect():
                pass
        except DBAPIError as error:
            logger.debug("database connection failed: %s", type(error).__name__)
            raise DomainError("db.unreachable", url=safe_url(self.url)) from None

    def is_migrated(self) -> bool:
        """True when the schema has been created by `tyhy db upgrade`."""
        self.check()
        return inspect(self.engine).has_table("organisations")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection without an ORM session, its work committed together, or not at all.

        For the few statements every button press runs: the session's unit of work and identity map cost more
        than those statements themselves.
        """
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection for one statement that commits on its own: a single read or write on every click.

        On PostgreSQL a transaction of one statement costs three round trips (BEGIN, the statement, COMMIT); in
        autocommit it costs one. SQLite has no round trips, and switching its connection to autocommit and back
        costs a PRAGMA each way: there it is a transaction of its own, which for one statement is the same.
        """
        if self.is_sqlite:
            with self.engine.begin() as connection:
                yield connection
            return
        with self.engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_migrated(url: str | None) -> Database:
    """The database at `url` (default: the environment's), reachable and migrated, or a DomainError saying why."""
    db = Database(url)
    if not db.is_migrated():
        raise DomainError("db.not_migrated")
    return db
