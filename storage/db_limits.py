"""How long PostgreSQL may keep a thread waiting: to connect, per statement, for any answer at all, on a dead link.

The server does its database work on a few threads (asyncio's default pool, the health probe's, leadership's). A
database that hangs must not hold them for ever: then nothing else could be read or written even after it is back,
and a replica would never give up a leadership it can no longer exercise. Each limit covers a way to hang that the
others miss, and all are long enough to ride out a short stall (a failover, a checkpoint, a network blip): work
caught in one simply finishes when the database answers again, so an answer sent meanwhile is still counted.

- `connect_seconds` (libpq's connect_timeout, which psycopg applies to the whole handshake): a server, or a box in
  between, that accepts the connection and never answers it.
- `statement_seconds` (the server's statement_timeout): a statement that runs on and on, a lock waited for. The
  server ends it with an error and the connection stays good. Shorter than `answer_seconds`, so a slow server that
  is still alive says so itself before we give up on the connection.
- `answer_seconds` (ours, in BoundedConnection.wait): a connection on which nothing at all comes back, the case
  no setting of PostgreSQL or of TCP covers: a frozen server process, or a proxy that stalled, still acknowledges
  every packet. The connection is closed and the thread gets an OperationalError, as for a lost connection.
- TCP keepalives and tcp_user_timeout: a peer that vanished without a word (a host gone, a cable pulled) is noticed
  in about a minute instead of the kernel's two hours, also on an idle connection such as leadership's.
- `idle_in_transaction_seconds` (the server's idle_in_transaction_session_timeout): the other way round, a client of
  ours that hung or vanished in the middle of a transaction does not keep its row locks (claimed outbox rows, a
  counter being updated) from the other replicas for longer than this. No transaction of ours waits between its
  statements for anything but the database.
- `pool_seconds`: a thread waits this long for a pooled connection when all are taken by work that hangs.
- `ping_after_idle_seconds`: a pooled connection unused for this long is pinged before it is handed out, so one
  the server closed meanwhile (a restart, a failover) is replaced rather than failing the work that takes it. One in
  steady use is not: a ping on every checkout doubled the round trips of a click (a transaction of one statement
  took BEGIN, the ping, the statement and COMMIT), and a connection that dies between two uses fails that one piece
  of work, which the person is asked to try again, and the pool is renewed.

Schema migrations lift the statement and answer limits (`unbounded`): building an index may take its time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.errors import _WaitTimeout  # what Connection.wait raises when its timeout runs out (psycopg >= 3.2)
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


@dataclass(frozen=True)
class WaitLimits:
    """Seconds: see the module's docstring for what each covers and why it is this long."""

    connect_seconds: float = 15
    statement_seconds: float = 20
    answer_seconds: float = 30
    idle_in_transaction_seconds: float = 60
    pool_seconds: float = 15
    ping_after_idle_seconds: float = 2
    keepalive_idle_seconds: int = 30
    keepalive_interval_seconds: int = 10
    keepalive_count: int = 3


class BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection that gives up on an answer after `answer_within` seconds (None: waits for ever)."""

    answer_within: float | None = WaitLimits.answer_seconds

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        # psycopg waits without a timeout for every answer unless asked; its own callers that pass one keep theirs.
        ours = timeout is None and self.answer_within is not None
        try:
            return super().wait(gen, interval, self.answer_within if ours else timeout)
        except _WaitTimeout:
            if not ours:
                raise
            # The answer may still come, half-way through the protocol: the connection cannot be used again.
            self.close()
            raise psycopg.OperationalError(f"the database gave no answer in {self.answer_within:g} s") from None


def bound(engine: Engine, limits: WaitLimits) -> None:
    """Every connection the engine opens gets the limits (settings the URL or connect_args give win)."""

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> BoundedConnection:
        cparams.setdefault("connect_timeout", max(1, round(limits.connect_seconds)))
        cparams.setdefault("keepalives", 1)
        cparams.setdefault("keepalives_idle", limits.keepalive_idle_seconds)
        cparams.setdefault("keepalives_interval", limits.keepalive_interval_seconds)
        cparams.setdefault("keepalives_count", limits.keepalive_count)
        # Data sent and not acknowledged for this long: the peer is gone (only a peer that is gone stops acking).
        cparams.setdefault("tcp_user_timeout", round(limits.answer_seconds * 1000))
        ours = (
            f"-c statement_timeout={round(limits.statement_seconds * 1000)} "
            f"-c idle_in_transaction_session_timeout={round(limits.idle_in_transaction_seconds * 1000)}"
        )
        # A later -c of the same setting wins, so options given with the URL or connect_args override ours. An explicit
        # options parameter hides libpq's PGOPTIONS from the environment, so that is carried over here too.
        given = cparams.get("options") or os.environ.get("PGOPTIONS", "")
        cparams["options"] = f"{ours} {given}".strip()
        connection = BoundedConnection.connect(*cargs, **cparams)
        connection.answer_within = limits.answer_seconds
        return connection

    @event.listens_for(engine, "checkin")
    def checked_in(_connection: Any, entry: ConnectionPoolEntry) -> None:
        entry.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(connection: Any, entry: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        idle_since = entry.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < limits.ping_after_idle_seconds:
            return  # new, or in use a moment ago
        try:
            _ping(connection)
        except psycopg.Error:
            raise DisconnectionError("a pooled connection no longer answers") from None  # the pool opens another


_IDLE_SINCE = "tyhy_idle_since"


def _ping(connection: psycopg.Connection[Any]) -> None:
    """One round trip, outside any transaction (a plain SELECT would open one first: another round trip)."""
    connection.autocommit = True
    try:
        connection.execute("SELECT 1")
    finally:
        if not connection.closed:
            connection.autocommit = False


@contextmanager
def unbounded(connection: Connection) -> Iterator[None]:
    """Within the connection's transaction, no statement or answer limit (schema migrations may take long)."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, BoundedConnection):
        yield
        return
    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    saved, driver.answer_within = driver.answer_within, None
    try:
        yield
    finally:
        driver.answer_within = saved
