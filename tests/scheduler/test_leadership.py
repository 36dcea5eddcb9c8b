"""Leadership: exactly one holder of the advisory lock; another takes over when the leader's connection dies."""

from __future__ import annotations

import pytest

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
        assert second.try_lead()
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
