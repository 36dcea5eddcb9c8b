"""Two replicas on PostgreSQL send a 5,000-member round; the leader dies (SIGKILL) halfway: nothing lost."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sqlalchemy import insert

from bench.fanout_org import build_org
from faults.cases import CaseFailed
from faults.process_helpers import (
    SlackCardCount,
    is_leader,
    postgres_database,
    progress,
    quiet_calendar,
    replicas,
    wait_for,
)
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.platform_models import ConversationRow
from storage.platform_repository import PERSON
from tests.fakes.slack_api import fake_slack
from tests.process.conftest import cards_by_channel, in_flight, latest_round, queue_round, server_env

MEMBERS: Final = 5000
TAKEOVER_WITHIN: Final = 30.0  # issue 9: the other replica schedules within 30 s of the leader's death
# The dead replica's claimed rows come back this soon. Not 5 s: a lease shorter than a claimed batch takes to
# send (200 rows, two batches in flight) makes live replicas resend each other's rows, and on a busy machine
# the round then hardly moves (seen here: every batch "sent after their lease ran out" at a 5 s lease).
LEASE_SECONDS: Final = "15"
HALF_WITHIN: Final = 90.0
DRAIN_WITHIN: Final = 90.0


def _dms_opened(db: Database) -> None:
    """Everyone's DM channel as earlier rounds stored it: the round, not conversations.open, is under test here."""
    now = datetime.now(UTC)
    rows = [
        {
            "platform": "slack",
            "workspace": "",
            "kind": PERSON,
            "target": f"U{n:07d}",
            "conversation_id": f"D{n:07d}",  # what the fake's conversations.open answers
            "service_url": "",
            "reference": "",
            "updated_at": now,
        }
        for n in range(MEMBERS)
    ]
    with db.engine.begin() as connection:
        connection.execute(insert(ConversationRow), rows)


async def leader_killed_halfway() -> None:
    with postgres_database("replicas") as url, tempfile.TemporaryDirectory(prefix="tyhy-fault-replicas-") as folder:
        db = Database(url)
        try:
            build_org(db, MEMBERS, MEMBERS // 10)
            _dms_opened(db)
            quiet_calendar(db)
            progress(f"{MEMBERS} members in a fresh database")
            await _round_with_a_kill(db, url, Path(folder))
        finally:
            db.dispose()


async def _round_with_a_kill(db: Database, url: str, folder: Path) -> None:
    async with fake_slack() as slack:
        slack.delay = 0.002  # a little latency per call, so messages are on the wire when the kill comes
        env = server_env(url, slack, TYHY_OUTBOX_LEASE_SECONDS=LEASE_SECONDS)
        async with replicas(folder, env, env) as (first, second):
            await first.wait_until("up", timeout=60)
            await second.wait_until("up", timeout=60)
            # Both race for the advisory lock: exactly one wins it and schedules.
            await wait_for(lambda: is_leader(first) or is_leader(second), 30, "a leader")
            leader, follower = (first, second) if is_leader(first) else (second, first)
            if is_leader(follower):
                raise CaseFailed("both replicas say they schedule")
            progress("two replicas up, one leads")

            queued = await asyncio.to_thread(queue_round, db, "pulse_round:0:fault-replicas")
            if queued != MEMBERS:
                raise CaseFailed(f"the round queued {queued} cards, not {MEMBERS}")
            round_id = latest_round(db)
            progress("the round queued")
            arrived = SlackCardCount(slack, round_id)
            await wait_for(lambda: arrived() >= MEMBERS // 2, HALF_WITHIN, "half of the cards")
            leader.kill()
            at_kill = arrived()
            unrecorded = await asyncio.to_thread(in_flight, db)
            progress(f"the leader killed after {at_kill} cards, {unrecorded} rows in flight")
            if at_kill >= MEMBERS:
                raise CaseFailed("the round finished before the kill; the case proves nothing")
            took_over = await follower.wait_until("scheduling", timeout=TAKEOVER_WITHIN)
            progress(f"the follower schedules, {took_over:.1f} s after the kill")
            await wait_for(lambda: OutboxRepository(db).depth() == 0, DRAIN_WITHIN, "the outbox draining")
        received = cards_by_channel(slack, round_id)
    duplicates = sum(count - 1 for count in received.values())
    progress(f"{len(received)} members got the card, {duplicates} duplicates")
    if len(received) != MEMBERS:
        raise CaseFailed(f"{MEMBERS - len(received)} of {MEMBERS} members never got the card")
    if duplicates > unrecorded:
        raise CaseFailed(f"{duplicates} duplicate cards, more than the {unrecorded} in flight at the kill")
