"""200 members press Send on one round's card at the same moment, against a real server: every count is exact."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path
from typing import Final

import aiohttp

from bench.fanout_org import build_org
from bench.slack_interaction import click
from faults.cases import CaseFailed
from faults.process_helpers import (
    postgres_database,
    pulse_totals,
    quiet_calendar,
    replicas,
    require_counts,
    team_questions,
    wait_for,
)
from storage.db import Database
from storage.migrate import upgrade
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.slack_api import FakeSlack, fake_slack
from tests.process.conftest import latest_round, queue_round, server_env

MEMBERS: Final = 200
TEAMS: Final = 4  # 50 a team: many answers update the same team's counters at once
SECRET: Final = "test-secret"  # server_env's signing secret
ANSWERED_WITHIN: Final = 60.0


def _answer(member: int) -> int:
    """Member n answers n % 5 + 1 to every question: each value is chosen, and the expected counts are known."""
    return member % 5 + 1


def _thanked(slack: FakeSlack) -> set[str]:
    """The DM channels whose card was redrawn."""
    return {str(c.body.get("channel")) for c in slack.called("chat.update")}


async def _answer_all(url: str) -> int:
    """Every member's Send click posted at once; the number of members."""
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-answers-") as folder:
        db = Database(url)
        try:
            if db.is_sqlite:
                upgrade(db)
            build_org(db, MEMBERS, TEAMS)
            quiet_calendar(db)
            async with fake_slack() as slack, replicas(Path(folder), server_env(url, slack)) as (server,):
                await server.wait_until("scheduling", timeout=60)
                asked = await asyncio.to_thread(queue_round, db, "pulse_round:0:concurrent-answers")
                if asked != MEMBERS:
                    raise CaseFailed(f"the round asked {asked} members, not {MEMBERS}")
                round_id = latest_round(db)
                questions = team_questions(db, round_id)
                # build_org: member n is in team n % TEAMS (id + 1) and has the Slack id U{n:07d}.
                bodies = [click(n, round_id, str(_answer(n)) * len(questions[n % TEAMS + 1])) for n in range(MEMBERS)]
                events = f"http://127.0.0.1:{server.port}/slack/events"
                start = asyncio.Event()

                async def send(http: aiohttp.ClientSession, body: bytes) -> int:
                    await start.wait()  # all 200 are ready before the first goes
                    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret=SECRET)}
                    async with http.post(events, data=body, headers=headers) as response:
                        await response.read()
                        return response.status

                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                    sending = [asyncio.create_task(send(http, body)) for body in bodies]
                    await asyncio.sleep(0)
                    start.set()
                    statuses = Counter(await asyncio.gather(*sending))
                if statuses != Counter({200: MEMBERS}):
                    raise CaseFailed(f"Slack's requests were answered {dict(statuses)}, not 200 each")
                await wait_for(lambda: pulse_totals(db, round_id)[0] >= MEMBERS, ANSWERED_WITHIN, "all answers in")
                # What each person sees: their card redrawn as the thank-you (chat.update in their DM).
                await wait_for(lambda: len(_thanked(slack)) >= MEMBERS, ANSWERED_WITHIN, "every member's thank-you")
                # Anything else said to them is a refusal or an error (the only cards sent are the round's).
                errors = [
                    str(c.body.get("text", ""))
                    for c in slack.calls
                    if c.method == "chat.postEphemeral" or (c.method == "chat.postMessage" and not c.body.get("blocks"))
                ]
            # Up to a batch of each team waits for the round's close, which mixes it in as the scheduler would.
            await asyncio.to_thread(PulseRepository(db).settle, round_id)
            markers, respondents, counts = pulse_totals(db, round_id)
        finally:
            db.dispose()
    expected: Counter[tuple[int, str, int]] = Counter()
    for n in range(MEMBERS):
        for question in questions[n % TEAMS + 1]:
            expected[(n % TEAMS + 1, question, _answer(n))] += 1
    if (markers, respondents) != (MEMBERS, MEMBERS):
        raise CaseFailed(f"{markers} answered markers and {respondents} respondents, not {MEMBERS} each")
    require_counts(counts, expected)
    if errors:
        raise CaseFailed(f"{len(errors)} members got a text reply instead of the thank-you, e.g. {errors[0]!r}")
    return MEMBERS


async def on_sqlite() -> int:
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-sqlite-") as folder:
        return await _answer_all(f"sqlite:///{Path(folder) / 'tyhy.db'}")


async def on_postgres() -> int:
    with postgres_database("answers") as url:
        return await _answer_all(url)
