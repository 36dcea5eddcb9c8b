"""Slack answers 429 for 3 s while a pulse round goes out, a success is shared and a channel is linked: afterwards
everything has arrived exactly once, and nothing waits in the outbox."""

from __future__ import annotations

import asyncio
import tempfile
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Final

import aiohttp

from bench.fanout_org import build_org
from bot.organisation import HomeChannel, Platform
from faults.cases import CaseFailed
from faults.process_helpers import eventually, progress, quiet_calendar, replicas, slack_card_round
from storage.db import Database
from storage.migrate import upgrade
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.success_repository import SuccessRepository
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.slack_api import FakeSlack, fake_slack
from tests.process.conftest import latest_round, queue_round, server_env
from tests.process.server_process import ServerProcess

MEMBERS: Final = 40
TEAMS: Final = 4
STORM_SECONDS: Final = 3.0
RETRY_AFTER: Final = 1
# What the bot calls to send, to open DMs and to read a channel's members: all of it is throttled.
STORMED: Final = ("chat.postMessage", "chat.update", "conversations.open", "users.info", "conversations.members")
SHARER, LINKER, NEWCOMER = "U0000004", "U0000001", "UNEW0001"  # staff of Tiimi 0; supervisor of Tiimi 1; a guest
HOME, LINKED = "C0000000", "C0000001"  # Tiimi 0's channel (linked before); the channel Tiimi 1's supervisor links
SECRET: Final = "test-secret"  # server_env's signing secret
DELIVERED_WITHIN: Final = 60.0


def _dm(user_id: str) -> str:
    return "D" + user_id.lstrip("U")  # the fake's conversations.open answer


async def _command(http: aiohttp.ClientSession, server: ServerProcess, user: str, text: str, channel: str) -> int:
    form = {"command": "/tyhy", "text": text, "user_id": user, "team_id": "T1", "channel_id": channel}
    form |= {"user_name": user, "channel_name": "general", "trigger_id": "1.2.3", "response_url": "https://x.invalid/1"}
    body = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret=SECRET)}
    async with http.post(f"http://127.0.0.1:{server.port}/slack/events", data=body, headers=headers) as response:
        return response.status


def _arrived(slack: FakeSlack, round_id: int) -> tuple[Counter[str], Counter[str]]:
    """Accepted posts per channel: the round's cards, and everything else."""
    cards: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for call in slack.accepted("chat.postMessage"):
        (cards if slack_card_round(call.body) == round_id else others)[str(call.body["channel"])] += 1
    return cards, others


def _all_there(slack: FakeSlack, db: Database, round_id: int) -> bool:
    cards, others = _arrived(slack, round_id)
    everyone = len(cards) >= MEMBERS
    answered = others[HOME] >= 1 and others[_dm(SHARER)] >= 1 and others[_dm(LINKER)] >= 1
    return everyone and answered and OutboxRepository(db).depth() == 0


async def nothing_lost_or_doubled_in_a_429_storm() -> int:
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-slack429-") as folder:
        url = f"sqlite:///{Path(folder) / 'tyhy.db'}"
        db = Database(url)
        try:
            upgrade(db)
            build_org(db, MEMBERS, TEAMS)
            quiet_calendar(db)
            organisations = OrganisationRepository(db)
            organisation = organisations.get()
            assert organisation is not None
            home_team = organisation.team_by_key("t0000")
            assert home_team is not None
            organisations.set_home_channel(home_team.id, HomeChannel(Platform.SLACK, HOME, "T1"))
            async with fake_slack() as slack:
                linked_members = [LINKER, "U0000005", "U0000009", NEWCOMER]
                slack.members[LINKED] = linked_members
                slack.users = {user: {"name": user.lower(), "real_name": f"Ihminen {user}"} for user in linked_members}
                await _storm(db, url, slack, Path(folder))
        finally:
            db.dispose()
    return MEMBERS + 2


async def _storm(db: Database, url: str, slack: FakeSlack, folder: Path) -> None:
    async with replicas(folder, server_env(url, slack)) as (server,), aiohttp.ClientSession() as http:
        await server.wait_until("scheduling", timeout=60)
        slack.throttle(STORM_SECONDS, RETRY_AFTER, STORMED)
        progress("the storm began")
        queued = await asyncio.to_thread(queue_round, db, "pulse_round:0:fault-slack-429")
        round_id = latest_round(db)
        shared = await _command(
            http, server, SHARER, "onnistuminen Kaikki kotikäynnit hoidettiin myrskystä huolimatta", HOME
        )
        link = await _command(http, server, LINKER, "tiimi linkitä t0001", LINKED)
        progress(f"during the storm: {queued} cards queued, success {shared}, link {link}")
        settled = await eventually(lambda: _all_there(slack, db, round_id), DELIVERED_WITHIN)
        await asyncio.sleep(RETRY_AFTER * 2)  # anything sent twice would have arrived by now too
    cards, others = _arrived(slack, round_id)
    throttled = sum(1 for call in slack.calls if call.error == "ratelimited")
    progress(f"{throttled} calls answered 429; {len(cards)} members have the card")
    problems = []
    if queued != MEMBERS or (shared, link) != (200, 200):
        problems.append(f"queued {queued} cards (not {MEMBERS}); Slack's requests answered {shared} and {link}")
    if not throttled:
        problems.append("nothing was answered 429: it was no storm")
    if not settled:
        problems.append(
            f"not everything arrived in {DELIVERED_WITHIN:g} s; the outbox holds {OutboxRepository(db).depth()}"
        )
    if len(cards) != MEMBERS or set(cards.values()) != {1}:
        problems.append(
            f"{len(cards)} of {MEMBERS} members have the round's card; {sum(cards.values()) - len(cards)} doubled"
        )
    expected = {HOME: 1, _dm(SHARER): 1, _dm(LINKER): 1}  # the celebration, the sharer's receipt, the link's answer
    if {channel: others[channel] for channel in expected} != expected or sum(others.values()) != 3:
        problems.append(f"other messages arrived as {dict(others)}, not once each as {expected}")
    if len(SuccessRepository(db).for_team(1)) != 1:
        problems.append(f"{len(SuccessRepository(db).for_team(1))} successes saved, not one")
    joined = OrganisationRepository(db).member_by_identity(Platform.SLACK, NEWCOMER, "T1")
    if joined is None or 2 not in joined.team_ids:
        problems.append("the linked channel's newcomer did not join the team")
    if problems:
        raise CaseFailed("; ".join(problems))
