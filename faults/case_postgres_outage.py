"""PostgreSQL away for 20 s in the middle of a round: clicks are told to try again, then nothing is lost."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path
from typing import Final

import aiohttp

from bench.fanout_org import build_org
from bench.slack_interaction import click
from bot.i18n import SUPPORTED_LANGUAGES, translate
from faults.cases import CaseFailed
from faults.process_helpers import (
    SlackCardCount,
    eventually,
    postgres_database,
    progress,
    pulse_totals,
    quiet_calendar,
    replicas,
    team_questions,
    wait_for,
)
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.pg_proxy import PostgresProxy, proxied
from tests.fakes.slack_api import FakeSlack, fake_slack
from tests.process.conftest import cards_by_channel, in_flight, latest_round, queue_round, server_env

MEMBERS: Final = 400
TEAMS: Final = 40
OUTAGE_SECONDS: Final = 20.0  # issue 9
RATE_PER_MIN: Final = "1800"  # 30 cards a second: the round is still going when the database goes
CLICKED_IN_OUTAGE: Final = range(0, 10)  # members pressing Send while the database is away
CLICKED_AFTER: Final = range(0, 20)  # the same ten again, and ten more, once it is back
TRY_AGAIN: Final = {translate(language, "interaction.try_again") for language in SUPPORTED_LANGUAGES}


async def _click_all(port: int, bodies: list[bytes]) -> list[int]:
    events = f"http://127.0.0.1:{port}/slack/events"
    async with aiohttp.ClientSession() as http:

        async def post(body: bytes) -> int:
            headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret="test-secret")}
            async with http.post(events, data=body, headers=headers) as response:
                return response.status

        return list(await asyncio.gather(*(post(body) for body in bodies)))


def _told_to_try_again(slack: FakeSlack, members: range) -> set[int]:
    """The members shown 'try again in a moment': posted or updated into their DM (the fake opens D… for U…),
    or shown to them alone (an ephemeral message names the user)."""
    told = {
        str(c.body.get(field))
        for c in slack.calls
        if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral") and c.body.get("text") in TRY_AGAIN
        for field in ("channel", "user")
    }
    return {n for n in members if f"D{n:07d}" in told or f"U{n:07d}" in told}


async def outage_during_a_round() -> None:
    with postgres_database("outage") as url, tempfile.TemporaryDirectory(prefix="tyhy-fault-outage-") as folder:
        db = Database(url)  # the case's own way in: straight to PostgreSQL, never through the proxy
        try:
            build_org(db, MEMBERS, TEAMS)
            quiet_calendar(db)
            async with proxied(url) as (proxy, through_proxy), fake_slack() as slack:
                await _outage(db, proxy, through_proxy, slack, Path(folder))
        finally:
            db.dispose()


async def _outage(db: Database, proxy: PostgresProxy, url: str, slack: FakeSlack, folder: Path) -> None:
    env = server_env(url, slack, TYHY_RATE_SLACK_PER_MIN=RATE_PER_MIN, TYHY_OUTBOX_LEASE_SECONDS="10")
    async with replicas(folder, env) as (server,):
        await server.wait_until("scheduling", timeout=60)
        queued = await asyncio.to_thread(queue_round, db, "pulse_round:0:fault-outage")
        if queued != MEMBERS:
            raise CaseFailed(f"the round queued {queued} cards, not {MEMBERS}")
        round_id = latest_round(db)
        questions = team_questions(db, round_id)
        arrived = SlackCardCount(slack, round_id)
        await wait_for(lambda: arrived() >= MEMBERS // 4, 60, "a quarter of the cards")

        await proxy.cut()
        cut_at = asyncio.get_running_loop().time()
        at_cut = arrived()
        unrecorded = await asyncio.to_thread(in_flight, db)  # an upper bound: nothing more can be claimed now
        progress(f"PostgreSQL cut off after {at_cut} cards, {unrecorded} rows in flight")

        def answer(n: int) -> bytes:
            return click(n, round_id, "3" * len(questions[n % TEAMS + 1]))

        # Every finding is collected, not raised at once: one run shows all that an outage breaks.
        problems: list[str] = []
        statuses = await _click_all(server.port, [answer(n) for n in CLICKED_IN_OUTAGE])
        if set(statuses) != {200}:
            problems.append(f"clicks during the outage were answered {statuses}, not 200 (Slack would retry them)")
        # The reply must come while the database is still away: that is when the person is waiting.
        everyone_told = await eventually(
            lambda: _told_to_try_again(slack, CLICKED_IN_OUTAGE) == set(CLICKED_IN_OUTAGE), OUTAGE_SECONDS - 5
        )
        told = _told_to_try_again(slack, CLICKED_IN_OUTAGE)
        if not everyone_told:
            problems.append(
                f"{len(CLICKED_IN_OUTAGE) - len(told)} of {len(CLICKED_IN_OUTAGE)} clicks during the outage got no "
                "'try again in a moment' reply"
            )
        progress(f"{len(told)} of {len(CLICKED_IN_OUTAGE)} clicks during the outage were told to try again")
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (asyncio.get_running_loop().time() - cut_at)))
        await proxy.listen()
        progress(f"PostgreSQL reachable again ({arrived()} cards so far)")

        statuses = await _click_all(server.port, [answer(n) for n in CLICKED_AFTER])
        if set(statuses) != {200}:
            problems.append(f"clicks after the outage were answered {statuses}")
        if not await eventually(lambda: pulse_totals(db, round_id)[0] >= len(CLICKED_AFTER), 60):
            problems.append("the answers sent after the outage were not all recorded in 60 s")
        drained = await eventually(lambda: OutboxRepository(db).depth() == 0, 90)
        progress("the outbox drained" if drained else "the outbox did not drain")
    # Answers below a team's batch wait for the round's close, which mixes them in as the scheduler would.
    await asyncio.to_thread(PulseRepository(db).settle, round_id)
    markers, respondents, counts = pulse_totals(db, round_id)
    received = cards_by_channel(slack, round_id)
    duplicates = sum(count - 1 for count in received.values())
    progress(f"{len(received)} members got the card, {duplicates} duplicates; {markers} answers counted")
    if not drained:
        problems.append(f"the outbox still held {OutboxRepository(db).depth()} rows 90 s after the outage")
    if len(received) != MEMBERS:
        problems.append(f"{MEMBERS - len(received)} of {MEMBERS} members never got the card")
    if duplicates > unrecorded:
        problems.append(f"{duplicates} duplicate cards, more than the {unrecorded} in flight at the cut")
    if (markers, respondents) != (len(CLICKED_AFTER), len(CLICKED_AFTER)):
        problems.append(f"{markers} answered, {respondents} respondents, not the {len(CLICKED_AFTER)} sent after")
    expected: Counter[tuple[int, str, int]] = Counter(
        (n % TEAMS + 1, question, 3) for n in CLICKED_AFTER for question in questions[n % TEAMS + 1]
    )
    if counts != expected:
        problems.append(f"the answer counts are {dict(counts)}, not the {dict(expected)} sent after the outage")
    if problems:
        raise CaseFailed("; ".join(problems))
