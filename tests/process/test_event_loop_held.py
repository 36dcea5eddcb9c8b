"""While a round goes out and answers come in, the server's event loop is never held more than 100 ms."""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from bench.fanout_org import build_org
from storage.db import Database
from storage.models import PulseAnsweredRow
from tests.fakes.bf_connector import fake_connector
from tests.fakes.pg_proxy import proxied
from tests.fakes.slack_api import fake_slack
from tests.process.both_platforms import (
    SERVE_ARGS,
    cards_received,
    env_for_both,
    held_longer_than,
    loop_held,
    question_counts,
    send,
    split_platforms,
)
from tests.process.conftest import latest_round, queue_round, quiet_calendar
from tests.process.server_process import ServerProcess
from tests.process.test_kill_and_replicas import wait_for

MEMBERS = 40
TEAMS = 4
ANSWERING = range(0, 8)  # four on Slack, four on Teams
HELD_AT_MOST = 0.1  # seconds
# Every answer from PostgreSQL comes this much later: a transaction made on the event loop (its ping, statement and
# commit) then holds the loop for well over 100 ms, while work on the threads only takes a little longer.
DATABASE_LATENCY = 0.04


def metrics(server: ServerProcess) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=30) as response:
        return str(response.read().decode())


def answered(db: Database, round_id: int) -> int:
    with db.transaction() as session:
        return int(
            session.execute(
                select(func.count()).select_from(PulseAnsweredRow).where(PulseAnsweredRow.round_id == round_id)
            ).scalar_one()
        )


async def test_the_event_loop_is_never_held_over_100_ms_during_a_round(
    postgres_schema_url: tuple[Database, str], tmp_path: Path
) -> None:
    db, url = postgres_schema_url
    build_org(db, MEMBERS, TEAMS)
    split_platforms(db, MEMBERS)
    quiet_calendar(db)
    async with (
        proxied(url, latency=DATABASE_LATENCY) as (_, far_url),
        fake_slack() as slack,
        fake_connector() as connector,
        aiohttp.ClientSession() as http,
    ):
        server = ServerProcess(env_for_both(far_url, slack, connector), tmp_path / "server.log", SERVE_ARGS).start()
        try:
            await server.wait_until("scheduling", timeout=60)
            # A fresh process's first request on each platform imports what it lazily needs: start-up, not the round.
            for member in (0, 1):
                await send(http, server.port, connector, member, 0, "3")
            before = loop_held(await asyncio.to_thread(metrics, server))

            assert await asyncio.to_thread(queue_round, db, "pulse_round:0:loop-held") == MEMBERS
            round_id = latest_round(db)
            questions = question_counts(db, round_id)
            statuses = await asyncio.gather(
                *(send(http, server.port, connector, n, round_id, "3" * questions[n % TEAMS + 1]) for n in ANSWERING)
            )
            assert {status for status, _ in statuses} == {200}
            await wait_for(lambda: len(cards_received(slack, connector, round_id)) == MEMBERS, 120, "every card")
            await wait_for(lambda: answered(db, round_id) == len(ANSWERING), 120, "every answer")
            after = loop_held(await asyncio.to_thread(metrics, server))
        finally:
            await asyncio.to_thread(server.stop)  # its last database work goes through the proxy on this loop
    held = held_longer_than(before, after, HELD_AT_MOST)
    assert held["ticks"] > 0, "the loop-lag monitor did not run"
    assert held["held_longer"] == 0, f"the event loop was held over {HELD_AT_MOST} s: {held}"
