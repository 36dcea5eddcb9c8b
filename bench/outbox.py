"""How fast the outbox drains with an instant fake port: SQLite and PostgreSQL side by side, one and two workers."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.databases import temporary_postgres, temporary_sqlite
from bot.messages import Address, Card, Heading, OutboundMessage, Text
from bot.organisation import Platform
from scheduler.outbox import OutboxWorker
from scheduler.outbox_rate import Rate, SharedRateLimiter
from storage.db import Database
from storage.models import Base
from tests.outbox_fakes import FakePort

ROWS = 5000
BATCHES = (50,)
# The production path, buckets included, with a rate no fan-out reaches: what is measured is the database's cost.
ROOMY = SharedRateLimiter({Platform.SLACK: Rate(per_second=1e6, burst=1e6)})


def _now() -> datetime:
    return datetime.now(UTC)


def _messages(run: str) -> list[tuple[str, OutboundMessage]]:
    card = Card("pulse", "Pulssikysely odottaa", (Heading("Pulssi"), Text("Kolme kysymystä, minuutti aikaa.")))
    return [
        (
            f"bench:{run}:member:{n}",
            OutboundMessage(Address(Platform.SLACK, user_id=f"U{n}", workspace=f"T{n % 2}"), card=card),
        )
        for n in range(ROWS)
    ]


def _empty(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


async def _drain(db: Database, workers: int, batch: int) -> dict[str, Any]:
    from storage.outbox_repository import OutboxRepository

    _empty(db)
    repo = OutboxRepository(db, _now)
    started = time.perf_counter()
    repo.enqueue(_messages(uuid.uuid4().hex[:8]))
    enqueued = time.perf_counter() - started
    ports = [FakePort(Platform.SLACK) for _ in range(workers)]
    pool = [OutboxWorker(OutboxRepository(db, _now), {Platform.SLACK: p}, ROOMY, _now, batch=batch) for p in ports]
    started = time.perf_counter()
    await asyncio.gather(*(worker.drain() for worker in pool))
    drained = time.perf_counter() - started
    sent = sum(len(p.delivered) for p in ports)
    assert sent == ROWS and repo.depth() == 0, "the bench lost or repeated rows"
    return {
        "enqueue_rows_per_s": round(ROWS / enqueued),
        "drain_rows_per_s": round(ROWS / drained),
        "sent_per_worker": [len(p.delivered) for p in ports],
    }


def _backend(name: str) -> dict[str, Any]:
    opener = temporary_sqlite if name == "sqlite" else temporary_postgres
    try:
        with opener("bench") as db:
            return {
                f"{workers}_worker{'s' if workers > 1 else ''}_batch_{batch}": asyncio.run(_drain(db, workers, batch))
                for batch in BATCHES
                for workers in (1, 2)
            }
    except Exception as error:  # PostgreSQL not running here: say so in the output rather than fail
        return {"unavailable": type(error).__name__}


def main() -> None:
    """Print rows per second enqueued and drained, per backend and worker count, as one JSON object."""
    print(json.dumps({"rows": ROWS, "sqlite": _backend("sqlite"), "postgresql": _backend("postgresql")}, indent=2))


if __name__ == "__main__":
    main()
