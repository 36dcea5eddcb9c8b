"""How fast the outbox drains with an instant fake port: SQLite and PostgreSQL side by side, one and two workers."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.databases import temporary_postgres, temporary_sqlite
from bench.repeats import REPEATS, summarised
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


def _messages(run: str, rows: int) -> list[tuple[str, OutboundMessage]]:
    card = Card("pulse", "Pulssikysely odottaa", (Heading("Pulssi"), Text("Kolme kysymystä, minuutti aikaa.")))
    return [
        (
            f"bench:{run}:member:{n}",
            OutboundMessage(Address(Platform.SLACK, user_id=f"U{n}", workspace=f"T{n % 2}"), card=card),
        )
        for n in range(rows)
    ]


def _empty(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


async def _drain(db: Database, workers: int, batch: int, rows: int) -> dict[str, Any]:
    from storage.outbox_repository import OutboxRepository

    _empty(db)
    repo = OutboxRepository(db, _now)
    started = time.perf_counter()
    repo.enqueue(_messages(uuid.uuid4().hex[:8], rows))
    enqueued = time.perf_counter() - started
    ports = [FakePort(Platform.SLACK) for _ in range(workers)]
    pool = [OutboxWorker(OutboxRepository(db, _now), {Platform.SLACK: p}, ROOMY, _now, batch=batch) for p in ports]
    started = time.perf_counter()
    await asyncio.gather(*(worker.drain() for worker in pool))
    drained = time.perf_counter() - started
    sent = sum(len(p.delivered) for p in ports)
    assert sent == rows and repo.depth() == 0, "the bench lost or repeated rows"
    return {
        "enqueue_rows_per_s": round(rows / enqueued),
        "drain_rows_per_s": round(rows / drained),
        "sent_per_worker": [len(p.delivered) for p in ports],
    }


def _repeated(db: Database, workers: int, batch: int, rows: int, repeats: int) -> dict[str, Any]:
    """REPEATS drains of the same size: each rate's median and spread (the outbox has no baseline to take turns
    with: the port is already instant)."""
    runs = [asyncio.run(_drain(db, workers, batch, rows)) for _ in range(repeats)]
    return {
        **summarised(
            {"enqueue_rows_per_s": run["enqueue_rows_per_s"], "drain_rows_per_s": run["drain_rows_per_s"]}
            for run in runs
        ),
        "sent_per_worker": [run["sent_per_worker"] for run in runs],
    }


def _config(workers: int, batch: int) -> str:
    return f"{workers}_worker{'s' if workers > 1 else ''}_batch_{batch}"


def _backend(name: str, rows: int, repeats: int) -> dict[str, Any]:
    opener = temporary_sqlite if name == "sqlite" else temporary_postgres
    try:
        with opener("bench") as db:
            return {
                f"{workers}_worker{'s' if workers > 1 else ''}_batch_{batch}": _repeated(
                    db, workers, batch, rows, repeats
                )
                for batch in BATCHES
                for workers in (1, 2)
            }
    except Exception as error:  # PostgreSQL not running here: say so in the output rather than fail
        return {"unavailable": type(error).__name__}


def main(argv: list[str] | None = None) -> None:
    """Print rows per second enqueued and drained, per backend and worker count, as one JSON object."""
    parser = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    backends = {name: _backend(name, args.rows, args.repeats) for name in ("sqlite", "postgresql")}
    print(json.dumps({"rows": args.rows, "repeats": args.repeats, **backends}, indent=2))


if __name__ == "__main__":
    main()
