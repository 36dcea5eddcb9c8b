"""The demo's clock in the database: nothing until it moves, then it only ever moves forward."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.demo_clock_store import DemoClockStore


def test_the_demo_offset_is_kept_and_never_runs_backwards(db: Database) -> None:
    store = DemoClockStore(db)
    assert store.offset() == timedelta()
    assert store.move_to(timedelta(days=40)) == timedelta(days=40)
    assert store.move_to(timedelta(days=3)) == timedelta(days=40)  # a process behind the others moves nothing back
    assert DemoClockStore(db).move_to(timedelta(days=41, hours=2)) == timedelta(days=41, hours=2)
    assert store.offset() == timedelta(days=41, hours=2)
