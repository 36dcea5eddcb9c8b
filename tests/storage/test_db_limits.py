"""A PostgreSQL that hangs holds no thread for ever: each wait has its limit, and a short stall is ridden out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.errors import DomainError
from storage.db import Database
from storage.db_limits import WaitLimits, unbounded
from tests.fakes.pg_proxy import PostgresProxy, proxied

T = TypeVar("T")

SHORT = WaitLimits(connect_seconds=1, statement_seconds=0.5, answer_seconds=1)
NEVER_WITHIN = 15.0  # the test fails, rather than hangs, when a limit does not end a wait


@pytest.fixture
async def through_proxy(postgres_database: Database) -> AsyncIterator[tuple[PostgresProxy, str]]:
    async with proxied(postgres_database.url) as found:
        yield found


async def off_the_loop(work: Callable[[], T]) -> T:
    """The work on a thread, as the server does it; the proxy keeps running on this loop meanwhile."""
    return await asyncio.wait_for(asyncio.to_thread(work), NEVER_WITHIN)


def one(db: Database, query: str = "SELECT 1") -> object:
    with db.engine.connect() as connection:
        return connection.execute(text(query)).scalar()


async def test_a_database_that_accepts_and_never_answers_is_given_up_on_when_connecting(
    through_proxy: tuple[PostgresProxy, str],
) -> None:
    proxy, url = through_proxy
    proxy.hang()
    db = Database(url, limits=SHORT)
    with pytest.raises(DomainError) as raised:
        await off_the_loop(db.check)
    assert raised.value.key == "db.unreachable"
    db.dispose()


async def test_a_query_whose_answer_never_comes_is_given_up_on_and_the_next_one_works(
    through_proxy: tuple[PostgresProxy, str],
) -> None:
    proxy, url = through_proxy
    db = Database(url, limits=SHORT)
    assert await off_the_loop(lambda: one(db)) == 1  # a pooled connection, from before the stall
    stalled = asyncio.create_task(proxy.stall_mid_query())
    # Used a moment ago, the connection is handed out without a ping: the query's own answer is what never comes.
    with pytest.raises(OperationalError):
        await off_the_loop(lambda: one(db, "SELECT 2"))
    assert stalled.done()  # it was the query's answer that never came
    proxy.resume()
    assert await off_the_loop(lambda: one(db, "SELECT 3")) == 3  # the dead connection was not used again
    db.dispose()


async def test_a_stall_shorter_than_the_limits_is_ridden_out(through_proxy: tuple[PostgresProxy, str]) -> None:
    proxy, url = through_proxy
    db = Database(url)  # the server's own limits
    assert await off_the_loop(lambda: one(db)) == 1
    stall = asyncio.create_task(proxy.stall_mid_query())
    answer = asyncio.create_task(off_the_loop(lambda: one(db, "SELECT 2")))
    await stall  # the query is at PostgreSQL, its answer held
    assert not answer.done()
    proxy.resume()
    assert await answer == 2
    db.dispose()


async def test_a_statement_that_runs_too_long_is_ended_by_the_server_and_the_connection_stays_good(
    postgres_database: Database,
) -> None:
    db = Database(postgres_database.url, limits=SHORT)
    with db.engine.connect() as connection:
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(3)"))
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1
    db.dispose()


async def test_a_schema_migration_runs_without_the_limits(postgres_database: Database) -> None:
    db = Database(postgres_database.url, limits=SHORT)
    with db.engine.begin() as connection, unbounded(connection):
        # Longer than the statement and the answer limits both.
        assert connection.execute(text("SELECT pg_sleep(1.2), 1")).one()[1] == 1
    assert one(db, "SHOW statement_timeout") == "500ms"  # and only within its own transaction
    db.dispose()


def _ended_by_the_server(db: Database, admin: Database) -> None:
    """The pooled connection's server process ended, as a restart or a failover ends it."""
    with db.engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin.engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def test_a_connection_closed_while_idle_is_replaced_before_use(postgres_database: Database) -> None:
    db = Database(postgres_database.url, limits=WaitLimits(ping_after_idle_seconds=0))
    _ended_by_the_server(db, postgres_database)
    assert one(db) == 1  # pinged at checkout, found dead, and another opened
    db.dispose()


async def test_a_connection_in_steady_use_is_not_pinged_and_one_that_dies_fails_once(
    postgres_database: Database,
) -> None:
    db = Database(postgres_database.url, limits=WaitLimits(ping_after_idle_seconds=3600))
    _ended_by_the_server(db, postgres_database)
    with pytest.raises(OperationalError):  # used a moment ago: handed out without a ping
        one(db)
    assert one(db) == 1  # the pool was renewed
    db.dispose()
