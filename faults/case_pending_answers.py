"""A real server is killed (SIGKILL) with answers sent but not yet mixed: the next start counts each exactly once."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

import aiohttp
from sqlalchemy import text

from bench.fanout_org import build_org
from bench.slack_interaction import click
from faults.cases import CaseFailed
from faults.process_helpers import (
    postgres_database,
    progress,
    pulse_totals,
    quiet_calendar,
    replicas,
    require_counts,
    team_questions,
    wait_for,
)
from storage.db import Database
from storage.migrate import upgrade
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.slack_api import fake_slack
from tests.process.conftest import latest_round, queue_round, server_env

TEAMS: Final = 2
MEMBERS: Final = 14  # 7 a team against build_org's threshold of 5: one batch mixed at the 5th Send, 2 left pending
SECRET: Final = "test-secret"  # server_env's signing secret
MIXED_WITHIN: Final = 60.0  # the mixer runs as the scheduler starts


def _answer(member: int) -> int:
    return member % 5 + 1


async def _send(http: aiohttp.ClientSession, url: str, body: bytes) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret=SECRET)}
    async with http.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status


def _pending(db: Database, round_id: int) -> int:
    with db.engine.connect() as connection:
        query = text("SELECT count(*) FROM pulse_pending_answers WHERE round_id = :r")
        return int(connection.execute(query, {"r": round_id}).scalar_one())


def _close(db: Database, round_id: int) -> None:
    """The round's end passes while no process runs."""
    with db.engine.begin() as connection:
        closed = datetime.now(UTC) - timedelta(minutes=1)
        connection.execute(text("UPDATE pulse_rounds SET closes_at = :at WHERE id = :r"), {"at": closed, "r": round_id})


async def _killed_between_send_and_mix(url: str) -> int:
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-pending-") as folder:
        db = Database(url)
        try:
            if db.is_sqlite:
                upgrade(db)
            build_org(db, MEMBERS, TEAMS)
            quiet_calendar(db)
            async with fake_slack() as slack:
                env = server_env(url, slack)
                async with replicas(Path(folder), env) as (first,):
                    await first.wait_until("scheduling", timeout=60)
                    await asyncio.to_thread(queue_round, db, "pulse_round:0:pending-answers")
                    round_id = latest_round(db)
                    questions = team_questions(db, round_id)
                    events = f"http://127.0.0.1:{first.port}/slack/events"
                    # build_org: member n is in team n % TEAMS (id + 1) and has the Slack id U{n:07d}.
                    bodies = [
                        click(n, round_id, str(_answer(n)) * len(questions[n % TEAMS + 1])) for n in range(MEMBERS)
                    ]
                    async with aiohttp.ClientSession() as http:
                        statuses = Counter([await _send(http, events, body) for body in bodies])
                    if statuses != Counter({200: MEMBERS}):
                        raise CaseFailed(f"Slack's requests were answered {dict(statuses)}, not 200 each")
                    await wait_for(lambda: pulse_totals(db, round_id)[0] >= MEMBERS, 30, "every marker")
                    waiting = _pending(db, round_id)
                    if waiting != MEMBERS - TEAMS * 5:
                        raise CaseFailed(f"{waiting} answers pending before the kill, not {MEMBERS - TEAMS * 5}")
                    first.kill()
                progress(f"killed with {waiting} answers sent and not yet mixed")
                _close(db, round_id)
                async with replicas(Path(folder), env) as (second,):
                    await second.wait_until("scheduling", timeout=60)
                    await wait_for(lambda: _pending(db, round_id) == 0, MIXED_WITHIN, "the pending answers mixed")
                    # The same Sends again, as a retrying client would: the markers refuse every one.
                    events = f"http://127.0.0.1:{second.port}/slack/events"
                    async with aiohttp.ClientSession() as http:
                        for body in bodies:
                            await _send(http, events, body)
            markers, respondents, counts = pulse_totals(db, round_id)
            left = _pending(db, round_id)
        finally:
            db.dispose()
    expected: Counter[tuple[int, str, int]] = Counter()
    for n in range(MEMBERS):
        for question in questions[n % TEAMS + 1]:
            expected[(n % TEAMS + 1, question, _answer(n))] += 1
    if (markers, respondents, left) != (MEMBERS, MEMBERS, 0):
        raise CaseFailed(f"{markers} markers, {respondents} respondents and {left} pending, not {MEMBERS}/{MEMBERS}/0")
    require_counts(counts, expected)
    return MEMBERS


async def on_sqlite() -> int:
    with tempfile.TemporaryDirectory(prefix="tyhy-fault-sqlite-") as folder:
        return await _killed_between_send_and_mix(f"sqlite:///{Path(folder) / 'tyhy.db'}")


async def on_postgres() -> int:
    with postgres_database("pending") as url:
        return await _killed_between_send_and_mix(url)
