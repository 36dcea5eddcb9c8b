"""The outbox schema: what the models describe on both backends, down and up again, and indexes every claim uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect

import storage.outbox_models  # noqa: F401  # registers the outbox tables until storage/models.py imports them
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from scheduler.outbox_rate import SharedRateLimiter
from storage.db import Database
from storage.migrate import _config, upgrade
from storage.models import Base
from storage.outbox_repository import OutboxRepository

NO_LIMITS = SharedRateLimiter({})


def test_the_outbox_tables_match_their_models(db: Database) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert differences == []


def test_the_outbox_migration_goes_down_and_up_again(db: Database) -> None:
    try:
        with db.engine.begin() as connection:
            command.downgrade(_config(connection), "0003")
        assert not inspect(db.engine).has_table("outbox")
        assert not inspect(db.engine).has_table("rate_buckets")
    finally:
        upgrade(db)
        # SQLite's PRAGMAs read a connection's cached schema: pooled connections from earlier tests predate the DDL.
        db.engine.dispose()
    assert inspect(db.engine).has_table("outbox") and inspect(db.engine).has_table("rate_buckets")
    indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("outbox")}
    # The queue index serves every claim; none leads with the due time, which SQLite would prefer and then sort.
    assert "ix_outbox_queue" in indexes and "ix_outbox_claim" not in indexes


def test_a_claim_reads_the_queue_in_order_without_sorting_it(tmp_path: Path) -> None:
    # What makes a claim cost the same with ten thousand rows waiting as with ten: SQLite's plan for each of its
    # reads walks an index, and none sorts the queue (a temporary b-tree). PostgreSQL plans by its statistics.
    db = Database(f"sqlite:///{tmp_path / 'plans.db'}")
    upgrade(db)
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    repo = OutboxRepository(db, lambda: now)
    to = Address(Platform.SLACK, user_id="U1", workspace="T1")
    repo.enqueue((f"round:1>member:{n}", OutboundMessage(to=to, text="Hei!")) for n in range(50))
    reads: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "outbox" in statement:
            reads.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        claimed = repo.claim(
            now, platforms=["slack"], batch=20, lease=timedelta(minutes=5), limiter=NO_LIMITS, max_attempts=8
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)

    assert len(claimed) == 20 and reads
    with db.engine.connect() as connection:
        plans = [connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all() for sql, params in reads]
    steps = [step[3] for plan in plans for step in plan]
    assert not [step for step in steps if "TEMP B-TREE" in step]
    assert not [step for step in steps if step.startswith("SCAN outbox")]
    db.dispose()
