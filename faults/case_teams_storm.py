"""A 429 storm from Teams' connector in the middle of a 200-member round: after it, everyone has the card once."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path
from typing import Final

from sqlalchemy import String, cast, literal, update

from bench.fanout_org import build_org
from faults.cases import CaseFailed
from faults.process_helpers import eventually, progress, quiet_calendar, replicas, teams_card_round, wait_for
from storage.db import Database
from storage.migrate import upgrade
from storage.models import MemberIdentityRow
from storage.outbox_repository import OutboxRepository
from tests.fakes.bf_connector import CREATE, SEND, FakeConnector, fake_connector
from tests.process.conftest import latest_round, queue_round

MEMBERS: Final = 200
TEAMS: Final = 20
STORM_SECONDS: Final = 5.0
RETRY_AFTER: Final = 1  # seconds, in every 429 of the storm
STORMED: Final = (CREATE, SEND)  # a tenant's throttling covers every call: opening a 1:1 chat and posting in it
DELIVERED_WITHIN: Final = 60.0  # after the storm


# The tenant the organisation file gives them (`teams_tenant`): Teams refuses a 1:1 chat created without one.
TENANT: Final = "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d"


def _teams_ids(db: Database) -> None:
    """build_org gives everyone a Slack id; here they are Teams users instead ("29:…", as the roster lists them)."""
    with db.transaction() as session:
        session.execute(
            update(MemberIdentityRow).values(
                platform="teams",
                workspace=TENANT,
                user_id=literal("29:member-", String) + cast(MemberIdentityRow.member_id, String),
            )
        )


def _cards(connector: FakeConnector, round_id: int) -> Counter[str]:
    """How many of the round's cards each personal chat ("a:…") received: accepted sends only."""
    received: Counter[str] = Counter()
    for conversation, activity in list(connector.sent):
        if conversation.startswith("a:") and teams_card_round(activity) == round_id:
            received[conversation] += 1
    return received


def _throttled(connector: FakeConnector) -> int:
    """Requests answered 429 so far: every storm request is recorded, and only the others are accepted."""
    accepted = len(connector.sent) + len(connector.conversations_created)
    return sum(1 for request in connector.requests if request.kind in STORMED) - accepted


async def delivered_after_a_429_storm() -> int:
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-teams-") as folder:
        url = f"sqlite:///{Path(folder) / 'tyhy.db'}"
        db = Database(url)
        try:
            upgrade(db)
            build_org(db, MEMBERS, TEAMS)
            _teams_ids(db)
            quiet_calendar(db)
            async with fake_connector() as connector:
                await _storm(db, url, connector, Path(folder))
        finally:
            db.dispose()
    return MEMBERS


async def _storm(db: Database, url: str, connector: FakeConnector, folder: Path) -> None:
    env = {
        "TYHY_DATABASE_URL": url,
        "TEAMS_SERVICE_URL": connector.url,  # a local connector: no app registration, no tokens
        "SLACK_BOT_TOKEN": "",  # Teams only, whatever the environment running the suite holds
        "SLACK_SIGNING_SECRET": "",
        "TYHY_LOG_LEVEL": "INFO",
    }
    # Teams without an app id is connected only for this computer, as the web chat is served.
    async with replicas(folder, env, args=["--local-chat"]) as (server,):
        await server.wait_until("scheduling", timeout=60)
        for kind in STORMED:  # from now until the storm is called off: far more than the round can ask
            connector.fail(kind, 429, times=1_000_000, retry_after=RETRY_AFTER)
        queued = await asyncio.to_thread(queue_round, db, "pulse_round:0:fault-teams-storm")
        if queued != MEMBERS:
            raise CaseFailed(f"the round queued {queued} cards, not {MEMBERS}")
        round_id = latest_round(db)
        await wait_for(lambda: _throttled(connector) > 0, 30, "the first 429")
        progress("the storm began")
        await asyncio.sleep(STORM_SECONDS)
        for kind in STORMED:
            connector.failures.pop(kind, None)
        throttled = _throttled(connector)
        during = sum(_cards(connector, round_id).values())
        progress(f"the storm is over: {throttled} requests answered 429")
        everyone = await eventually(lambda: len(_cards(connector, round_id)) >= MEMBERS, DELIVERED_WITHIN)
        drained = await eventually(lambda: OutboxRepository(db).depth() == 0, 30)
        progress(f"{len(_cards(connector, round_id))} members have the card")
    received = _cards(connector, round_id)
    duplicates = sum(count - 1 for count in received.values())
    problems = []
    if during:
        problems.append(f"{during} cards were accepted during the storm: it was no storm")
    if not everyone:
        problems.append(f"{MEMBERS - len(received)} of {MEMBERS} members never got the card after the storm")
    if not drained:
        problems.append(f"the outbox still held {OutboxRepository(db).depth()} rows")
    if duplicates:
        problems.append(f"{duplicates} duplicate cards")
    if problems:
        raise CaseFailed("; ".join(problems))
