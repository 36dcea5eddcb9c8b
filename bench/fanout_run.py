"""One timed fan-out: queue a round's cards, drain them with real outbox workers to the fake platform, count."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from sqlalchemy import delete, func, select

from bench.fanout_endpoint import SEND_PATH, message_identity
from bench.fanout_port import HttpChatPort
from bot.message_codec import encode_message
from bot.messages import OutboundMessage
from bot.organisation import Platform
from scheduler.jobs import delivery_key
from scheduler.outbox import OutboxWorker
from storage.db import Database
from storage.outbox_buckets import Limiter
from storage.outbox_models import OutboxRow, OutboxStatus, RateBucketRow
from storage.outbox_repository import OutboxRepository

POLL_SECONDS = 0.05


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Endpoint:
    """The fake platform's process, seen from the bench: its base URL and the session to talk to it."""

    base: str
    session: aiohttp.ClientSession

    async def reset(self, per_second: float | None, burst: float) -> None:
        async with self.session.post(f"{self.base}/bench/reset", json={"per_second": per_second, "burst": burst}):
            pass

    async def unique(self) -> int:
        async with self.session.get(f"{self.base}/bench/count") as response:
            return int((await response.json())["unique"])

    async def stats(self) -> dict[str, Any]:
        async with self.session.get(f"{self.base}/bench/stats") as response:
            return dict(await response.json())


@dataclass(frozen=True)
class Run:
    """One configuration: workers, the endpoint's limit (None: none) and the outbox's own limiter."""

    workers: int
    limiter: Limiter
    endpoint_per_s: float | None = None
    endpoint_burst: float = 1.0
    deadline_s: float = 600.0
    idle_seconds: float = 1.0  # the worker's wait after an empty claim (production: scheduler.outbox.IDLE_SECONDS)


def _empty_outbox(db: Database) -> None:
    with db.transaction() as session:
        session.execute(delete(OutboxRow))
        session.execute(delete(RateBucketRow))


def _statuses(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        rows = session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all()
    return {status: count for status, count in rows}


async def fan_out(db: Database, endpoint: Endpoint, messages: Sequence[OutboundMessage], run: Run) -> dict[str, Any]:
    """Queue every message under its delivery key, drain until all arrived (or the deadline), report."""
    await asyncio.to_thread(_empty_outbox, db)
    await endpoint.reset(run.endpoint_per_s, run.endpoint_burst)
    job_id = f"pulse_round:0:bench-{uuid.uuid4().hex[:8]}"
    expected = {message_identity(encode_message(m)) for m in messages}
    started = time.perf_counter()
    queued = await asyncio.to_thread(
        OutboxRepository(db, _now).enqueue, ((delivery_key(job_id, m), m) for m in messages)
    )
    enqueue_s = time.perf_counter() - started

    port = HttpChatPort(f"{endpoint.base}{SEND_PATH}", endpoint.session, Platform.SLACK)
    workers = [
        OutboxWorker(OutboxRepository(db, _now), {Platform.SLACK: port}, run.limiter, _now) for _ in range(run.workers)
    ]
    stop = asyncio.Event()
    began = time.time()
    tasks = [asyncio.create_task(worker.run(stop, run.idle_seconds)) for worker in workers]
    timed_out = await _wait_until_done(db, endpoint, len(expected), began + run.deadline_s)
    stop.set()
    for worker in workers:
        worker.wake()
    await asyncio.gather(*tasks)

    stats = await endpoint.stats()
    received: dict[str, int] = stats["received"]
    seconds = (stats["last_at"] or time.time()) - began
    statuses = await asyncio.to_thread(_statuses, db)
    # A run that hit its deadline leaves rows waiting for their turn: late, not lost. Lost is what will never come:
    # a row given up on, or marked sent without arriving.
    still_queued = statuses.get(OutboxStatus.PENDING, 0) + statuses.get(OutboxStatus.SENDING, 0)
    result: dict[str, Any] = {
        "workers": run.workers,
        "messages": queued,
        "enqueue_per_s": round(queued / enqueue_s),
        "seconds": round(seconds, 2),
        "per_s": round(len(received) / seconds, 1) if seconds > 0 else None,
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "lost": len(expected - received.keys()) - still_queued,
        "still_queued": still_queued,
        "unexpected": len(received.keys() - expected),
        "outbox": statuses,
        "timed_out": timed_out,
    }
    if run.endpoint_per_s:
        ideal = queued / run.endpoint_per_s
        result |= {
            "ideal_s": round(ideal, 2),
            "efficiency": round(ideal / seconds, 3),
            "answered_429": stats["rejected"],
        }
    return result


async def _wait_until_done(db: Database, endpoint: Endpoint, expected: int, deadline: float) -> bool:
    """True when the deadline came first; done is every message received, or nothing left waiting in the outbox."""
    repo = OutboxRepository(db, _now)
    polls = 0
    while time.time() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        if await endpoint.unique() >= expected:
            return False
        polls += 1
        # Rows given up on never arrive: the outbox running dry ends the run too (checked less often).
        if polls % 20 == 0 and await asyncio.to_thread(repo.depth) == 0:
            return False
    return True


def encoded_size(messages: Sequence[OutboundMessage]) -> int:
    """Mean bytes of a queued message, for the report."""
    total = sum(len(json.dumps(encode_message(m), ensure_ascii=False)) for m in messages)
    return round(total / max(1, len(messages)))
