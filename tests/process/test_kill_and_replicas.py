"""Real `tyhy serve` processes sending a 2,000-member round to a fake Slack: killed, restarted, replicated."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.fanout_org import build_org
from storage.db import Database
from storage.migrate import upgrade
from storage.outbox_repository import OutboxRepository
from tests.fakes.slack_api import fake_slack
from tests.process.conftest import cards_by_channel, in_flight, latest_round, queue_round, quiet_calendar, server_env
from tests.process.server_process import ServerProcess

MEMBERS = 2000


async def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    """Poll without blocking the loop the fake Slack runs on; the bound is a safety net, not a measurement."""
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(condition):
        assert time.monotonic() < deadline, f"{what} did not happen in {timeout} s"
        await asyncio.sleep(0.05)


async def test_a_server_killed_mid_round_loses_nothing_and_resends_only_what_was_in_flight(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tyhy.db'}"
    db = Database(url)
    upgrade(db)
    build_org(db, MEMBERS, MEMBERS // 10)
    quiet_calendar(db)  # only the test's round: on a pulse day the calendar would send its own beside it
    async with fake_slack() as slack:
        slack.delay = 0.002  # a little latency per call, so messages are on the wire when the kill comes
        server = ServerProcess(server_env(url, slack), tmp_path / "server.log").start()
        try:
            await server.wait_until("scheduling")
            assert await asyncio.to_thread(queue_round, db, "pulse_round:0:kill-test") == MEMBERS
            round_id = latest_round(db)
            await wait_for(lambda: sum(cards_by_channel(slack, round_id).values()) >= MEMBERS // 3, 120, "a third")
            server.kill()
            sent_before_kill = sum(cards_by_channel(slack, round_id).values())
            assert sent_before_kill < MEMBERS, "the round finished before the kill; the test proves nothing"
            unrecorded = in_flight(db)

            server = ServerProcess(server_env(url, slack), tmp_path / "server.log").start()
            await wait_for(lambda: OutboxRepository(db).depth() == 0, 180, "the outbox draining after the restart")
        finally:
            server.stop()
        received = cards_by_channel(slack, round_id)
    assert len(received) == MEMBERS  # every member got the card
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= unrecorded, f"{duplicates} duplicates, {unrecorded} in flight at the kill"
    db.dispose()


async def test_two_replicas_deliver_a_round_once_and_survive_the_leaders_death(
    postgres_schema_url: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = postgres_schema_url
    build_org(db, MEMBERS, MEMBERS // 10)
    quiet_calendar(db)  # only the test's rounds: on a pulse day the calendar would send its own beside them
    async with fake_slack() as slack:
        slack.delay = 0.002
        # Short, so the dead leader's rows come back soon; longer than a batch takes on a busy machine, or the
        # other replica takes rows the leader is still sending (CI saw that at 5 s).
        env = server_env(url, slack, TYHY_OUTBOX_LEASE_SECONDS="15")
        first = ServerProcess(env, tmp_path / "first.log").start()
        second = ServerProcess(env, tmp_path / "second.log").start()
        try:
            await first.wait_until("up")
            await second.wait_until("up")
            # Both race for the lock: exactly one of them wins it and schedules.
            await wait_for(lambda: any((r.health() or {}).get("scheduling") for r in (first, second)), 30, "a leader")
            leader, follower = (first, second) if (first.health() or {}).get("scheduling") else (second, first)
            assert not (follower.health() or {}).get("scheduling")

            # A round with both replicas draining: every member gets the card once.
            assert await asyncio.to_thread(queue_round, db, "pulse_round:0:replicas-1") == MEMBERS
            calm = latest_round(db)
            await wait_for(lambda: OutboxRepository(db).depth() == 0, 180, "the first round")
            received = cards_by_channel(slack, calm)
            assert len(received) == MEMBERS and set(received.values()) == {1}

            # A second round; the leader is killed halfway through it.
            assert await asyncio.to_thread(queue_round, db, "pulse_round:0:replicas-2") == MEMBERS
            stormy = latest_round(db)
            await wait_for(lambda: sum(cards_by_channel(slack, stormy).values()) >= MEMBERS // 2, 120, "half")
            leader.kill()
            unrecorded = in_flight(db)
            # The promise (runtime.LEADERSHIP_SECONDS): a killed leader is replaced within 30 s; the wait fails past it.
            await follower.wait_until("scheduling", timeout=30)
            await wait_for(lambda: OutboxRepository(db).depth() == 0, 180, "the second round after the kill")
        finally:
            first.stop()
            second.stop()
        received = cards_by_channel(slack, stormy)
    assert len(received) == MEMBERS
    assert sum(count - 1 for count in received.values()) <= unrecorded
