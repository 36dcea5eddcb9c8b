"""Several workers on one outbox: each row sent exactly once, and one rate per workspace shared by all workers."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import pytest

import storage.outbox_models  # noqa: F401  # registers the outbox tables until storage/models.py imports them
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from scheduler.outbox import OutboxWorker
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_pacer import HEADROOM
from scheduler.outbox_rate import Rate, SharedRateLimiter
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from tests.outbox_fakes import START, FakePort, SimClock, rate_limited

SLACK_RATE = Rate(per_second=5, burst=10)


def message(platform: Platform, user: str, workspace: str) -> OutboundMessage:
    return OutboundMessage(to=Address(platform, user_id=user, workspace=workspace), text="Pulssi odottaa")


def fan_out(rows: int, platform: Platform, workspace: str, prefix: str = "u") -> list[tuple[str, OutboundMessage]]:
    return [(f"pulse:1:{prefix}{n}", message(platform, f"{prefix}{n}", workspace)) for n in range(rows)]


def workers(
    db: Database, clock: SimClock, limiter: SharedRateLimiter, platforms: tuple[Platform, ...], batch: int
) -> list[tuple[OutboxWorker, dict[Platform, FakePort]]]:
    made = []
    for _ in range(2):  # two replicas: ports, repositories and (pooled) connections of their own
        ports = {p: FakePort(p, clock, yield_each_send=True) for p in platforms}
        made.append(
            (OutboxWorker(OutboxRepository(db, clock), ports, limiter, clock, batch=batch, sleep=clock.sleep), ports)
        )
    return made


def sent_users(made: list[tuple[OutboxWorker, dict[Platform, FakePort]]]) -> Counter[str]:
    return Counter(d.message.to.user_id for _, ports in made for port in ports.values() for d in port.delivered)


async def test_two_workers_at_once_send_each_of_500_rows_exactly_once(db: Database) -> None:
    clock = SimClock()
    repo = OutboxRepository(db, clock)
    roomy = SharedRateLimiter({Platform.SLACK: Rate(per_second=1000, burst=1000)})
    repo.enqueue(fan_out(200, Platform.WEB, "", "w"))
    repo.enqueue(fan_out(150, Platform.SLACK, "T1", "a"))
    repo.enqueue(fan_out(150, Platform.SLACK, "T2", "b"))
    made = workers(db, clock, roomy, (Platform.WEB, Platform.SLACK), batch=20)

    handled = await asyncio.gather(*(worker.drain() for worker, _ in made))
    handled = [a + b for a, b in zip(handled, [await worker.drain() for worker, _ in made], strict=True)]

    sent = sent_users(made)
    assert len(sent) == 500 and set(sent.values()) == {1}
    assert sum(handled) == 500 and all(count > 0 for count in handled)  # both took part
    assert repo.depth() == 0


def _most_in_any_window(times: list[datetime], rate: Rate) -> float:
    """The largest excess over what a token bucket allows, over every window between two sends (<= 0 is within)."""
    times = sorted(times)
    worst = float("-inf")
    for i, start in enumerate(times):
        for j in range(i, len(times)):
            allowed = rate.burst + rate.per_second * (times[j] - start).total_seconds()
            worst = max(worst, (j - i + 1) - allowed)
    return worst


def test_two_replicas_book_slots_that_together_keep_the_rate(db: Database) -> None:
    clock = SimClock()
    limiter = SharedRateLimiter({Platform.SLACK: SLACK_RATE})
    replicas = [OutboxRepository(db, clock), OutboxRepository(db, clock)]
    replicas[0].enqueue(fan_out(60, Platform.SLACK, "T1"))
    claim = {"platforms": ["slack"], "batch": 50, "lease": timedelta(minutes=5), "limiter": limiter, "max_attempts": 8}

    slots: list[datetime] = []
    steps = 0
    while len(slots) < 60:
        for repo in replicas:  # each replica claims in turn, from the one bucket in the database
            now = clock()
            slots += [now + timedelta(seconds=row.send_after_s) for row in repo.claim(now, **claim)]
        clock.advance(0.25)
        steps += 1
        assert steps < 200, "the outbox stopped draining"

    assert _most_in_any_window(slots, SLACK_RATE) <= 0
    per_second = Counter(int((t - START).total_seconds()) for t in slots)
    # The burst of 10 at once, then 5 a second: the two replicas' slots interleave and never double up.
    assert per_second[0] == 10 + 4 and set(per_second.values()) == {14, 5, 1}
    assert len(set(slots)) == 60 - 9  # only the burst's ten share a moment


async def test_a_worker_sends_each_row_at_its_booked_slot(db: Database) -> None:
    clock = SimClock()
    repo = OutboxRepository(db, clock)
    port = FakePort(Platform.SLACK, clock, yield_each_send=True)
    limiter = SharedRateLimiter({Platform.SLACK: Rate(5, 2)})
    # One send at a time: the simulated clock jumps on each wait, so sends side by side would all see the last.
    worker = OutboxWorker(repo, {Platform.SLACK: port}, limiter, clock, concurrency=1, sleep=clock.sleep)
    repo.enqueue(fan_out(6, Platform.SLACK, "T1"))
    assert await worker.run_once() == 6  # two from the bucket, four booked ahead (a second at five a second)
    seconds = [(d.at - START).total_seconds() for d in port.delivered if d.at is not None]
    # Booked for 0, 0, 0.2, 0.4, 0.6 and 0.8 s; the pacer keeps the process a little under the rate.
    assert seconds == pytest.approx([n * 0.2 / HEADROOM for n in range(6)], abs=1e-5)  # datetimes keep µs


async def test_each_workspace_has_a_bucket_of_its_own(db: Database) -> None:
    clock = SimClock()
    repo = OutboxRepository(db, clock)
    repo.enqueue(fan_out(20, Platform.SLACK, "T1", "a") + fan_out(20, Platform.SLACK, "T2", "b"))
    made = workers(db, clock, SharedRateLimiter({Platform.SLACK: SLACK_RATE}), (Platform.SLACK,), batch=50)
    await asyncio.gather(*(worker.run_once() for worker, _ in made))
    sent = sent_users(made)
    # Each workspace's own burst of ten plus the second booked ahead (five): T1's use leaves T2's bucket whole.
    assert sum(1 for user in sent if user.startswith("a")) == 15
    assert sum(1 for user in sent if user.startswith("b")) == 15


async def test_a_429_holds_the_whole_workspace_on_every_worker(db: Database) -> None:
    clock = SimClock()
    repo = OutboxRepository(db, clock)
    limiter = SharedRateLimiter({Platform.SLACK: SLACK_RATE})
    first_port, second_port = FakePort(Platform.SLACK, clock), FakePort(Platform.SLACK, clock)
    first = OutboxWorker(repo, {Platform.SLACK: first_port}, limiter, clock, backoff=Backoff(random=lambda: 0.0))
    second = OutboxWorker(OutboxRepository(db, clock), {Platform.SLACK: second_port}, limiter, clock)
    first_port.fail("u0", rate_limited(retry_after=20), times=1)
    repo.enqueue(fan_out(1, Platform.SLACK, "T1"))
    await first.run_once()
    repo.enqueue(fan_out(3, Platform.SLACK, "T1", "later"))
    clock.advance(10)
    assert await second.run_once() == 0  # the other replica waits too
    clock.advance(11)
    assert await second.run_once() == 4
    assert sorted(d.message.to.user_id for d in second_port.delivered) == ["later0", "later1", "later2", "u0"]
