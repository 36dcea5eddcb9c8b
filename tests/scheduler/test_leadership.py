"""Leadership: exactly one holder of the advisory lock; another takes over when the leader's connection dies."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from scheduler.leadership import AdvisoryLockLeadership, SingleProcess, leadership_for
from storage.db import Database


def test_sqlite_always_leads(sqlite_database: Database) -> None:
    assert isinstance(leadership_for(sqlite_database), SingleProcess)
    assert leadership_for(sqlite_database).try_lead()


def test_only_one_replica_leads_and_another_takes_over(postgres_database: Database) -> None:
    first, second = (
        AdvisoryLockLeadership(postgres_database, key=4242),
        AdvisoryLockLeadership(postgres_database, key=4242),
    )
    try:
        assert first.try_lead()
        assert not second.try_lead()
        assert first.try_lead()  # still ours
        first._drop()  # the leader's connection dies, as when its process is killed
        # The server frees the lock when it has ended the dead connection's backend, a moment after the socket
        # closed; a replica probes again on its next tick, so the takeover is awaited, not expected at once.
        assert _leads_within(second, seconds=10)
        assert not first.try_lead()
    finally:
        first.release()
        second.release()


@pytest.mark.parametrize("key", [5151])
def test_a_clean_release_hands_over_at_once(postgres_database: Database, key: int) -> None:
    first, second = AdvisoryLockLeadership(postgres_database, key), AdvisoryLockLeadership(postgres_database, key)
    try:
        assert first.try_lead()
        first.release()
        assert second.try_lead()
    finally:
        second.release()


def test_between_probes_the_leader_is_idle_not_idle_in_a_transaction(postgres_database: Database) -> None:
    leader = AdvisoryLockLeadership(postgres_database, key=6161)
    try:
        assert leader.try_lead()
        assert leader.try_lead()  # the probe of a lock already held
        assert leader._connection is not None
        pid = leader._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        leader._connection.commit()
        assert leader.try_lead()  # probe again: what it leaves behind is what the server sees
        with postgres_database.engine.connect() as observer:
            state = observer.execute(text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar()
        assert state == "idle"
    finally:
        leader.release()


def test_leadership_survives_an_idle_in_transaction_timeout(postgres_database: Database) -> None:
    # A server (or a pooler) that ends sessions idle in a transaction for more than 200 ms.
    strict = Database(
        str(postgres_database.engine.url.render_as_string(hide_password=False)),
        connect_args={"options": f"{_search_path(postgres_database)} -cidle_in_transaction_session_timeout=200"},
    )
    leader, other = AdvisoryLockLeadership(strict, key=6262), AdvisoryLockLeadership(postgres_database, key=6262)
    try:
        assert leader.try_lead()
        for _ in range(3):
            assert leader.try_lead()
            time.sleep(0.4)  # longer than the server's timeout: a session left in a transaction would be ended now
        assert leader.try_lead()  # still ours: the probes left no transaction open
        assert not other.try_lead()
    finally:
        leader.release()
        other.release()
        strict.dispose()


def _leads_within(leadership: AdvisoryLockLeadership, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not leadership.try_lead():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _search_path(db: Database) -> str:
    with db.engine.connect() as connection:
        return f"-csearch_path={connection.execute(text('SHOW search_path')).scalar()}"
