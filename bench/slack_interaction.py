"""Pulse-answer clicks against our Slack endpoint and, in the same run, a bare bolt app that only acks, taking turns.

`python -m bench.slack_interaction` prints JSON. Ours and the bare app take turns, REPEATS times: an open loop at an
offered 200 clicks/s (6,000: 30 s) and a closed loop at concurrency 32 (2,000) each, every run drained before the
next. Each figure is the median of the repeats with its spread: latency at the offered rate, the most clicks/s each
sustains, `finished_after_last_click_s` (from the open loop's last click until every answer is counted and every
card redrawn) and `lost`: Send clicks whose answers are not in the counts. Every click is a member's Send of a full
set of answers, so each one writes to the database and redraws a card; a round closed a week before, so each
thank-you shows the team's last result, as it does in use. The bare app acks and does nothing after (a bolt app's
least), so its "finished" time is only its answers'.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench.child_server import child_server
from bench.fanout_org import build_org
from bench.interaction import (
    Side,
    bench_database,
    close_an_earlier_round,
    delivered,
    questions_per_team,
    replicas,
    spread_over,
    take_turns,
    until_done,
)
from bench.repeats import REPEATS
from storage.db import Database
from storage.models import PulseAnsweredRow
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.slack_api import FakeSlack
from tests.process.conftest import latest_round, queue_round, quiet_calendar, server_env
from tests.process.server_process import ServerProcess

SECRET = "test-secret"


def click(member: int, round_id: int, answers: str) -> bytes:
    """Member n's Send on their pulse card, as Slack posts it."""
    user = f"U{member:07d}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T1", "name": user},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": f"D{member:07d}", "message_ts": "1700000000.000001"},
        "channel": {"id": f"D{member:07d}"},
        "message": {"ts": "1700000000.000001"},
        "actions": [{"type": "button", "action_id": "pulse.send:0", "value": f"{round_id}:{answers}", "block_id": "s"}],
        "state": {"values": {}},
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def poster(http: aiohttp.ClientSession, url: str, bodies: list[bytes]):  # type: ignore[no-untyped-def]
    async def post(number: int) -> int:
        body = bodies[number]
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret=SECRET)}
        async with http.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    return post


@contextlib.asynccontextmanager
async def bare_app() -> AsyncIterator[str]:
    async with child_server("bench.bare_slack_app", SECRET) as port:
        yield f"http://127.0.0.1:{port}/slack/events"


def ours_settled(
    db: Database, round_id: int, sent: list[int], http: aiohttp.ClientSession, slack_url: str, redrawn_before: int
) -> Callable[[], Awaitable[None]]:
    """Ours is done when every click sent so far is counted and its card redrawn."""

    async def done() -> tuple[bool, object]:
        counted = await asyncio.to_thread(_answered, db, round_id)
        async with http.get(slack_url + "bench/counts") as response:
            redrawn = int((await response.json())["redrawn"]) - redrawn_before
        return counted >= sent[0] and redrawn >= sent[0], (counted, redrawn)

    return lambda: until_done(done)


async def _nothing_after() -> None:
    """The bare app does nothing after its ack."""


def _answered(db: Database, round_id: int) -> int:
    with db.transaction() as session:
        return session.execute(
            select(func.count()).select_from(PulseAnsweredRow).where(PulseAnsweredRow.round_id == round_id)
        ).scalar_one()


async def measure(
    clicks: int, closed_clicks: int, rate: float, concurrency: int, repeats: int, postgres: bool = False
) -> dict[str, Any]:
    per_repeat = clicks + closed_clicks
    members, teams = repeats * per_repeat, max(1, repeats * per_repeat // 10)
    count = 2 if postgres else 1  # PostgreSQL: two replicas behind a load balancer, as production runs them
    with tempfile.TemporaryDirectory() as folder, bench_database(Path(folder), postgres) as (db, url):
        build_org(db, members, teams)
        close_an_earlier_round(db)  # the thank-you shows last round's result, as it does in use
        # The fake Slack answers from a process of its own, as Slack would from elsewhere: on the bench's loop it
        # would slow the clicks sent to our server (which calls it) and not those sent to the bare app (which does not).
        async with (
            child_server("bench.fake_slack_server") as slack_port,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http,
        ):
            slack_url = f"http://127.0.0.1:{slack_port}/"
            # Only the fake's address, for the server's settings: the child process records the calls.
            slack = FakeSlack(url=slack_url + "api/")
            env = server_env(url, slack, TYHY_LOG_LEVEL="WARNING", SLACK_SIGNING_SECRET=SECRET)
            # Only the bench's round: before the server starts, or it would send a round the calendar missed
            # (catching up at start) beside it, and the clicks would come after twice the cards.
            quiet_calendar(db)
            async with replicas(lambda n: ServerProcess(env, Path(folder) / f"server{n}.log"), count) as servers:
                await asyncio.to_thread(queue_round, db, "pulse_round:0:bench")
                round_id = latest_round(db)
                # A member clicks a card they have received: the round's cards are delivered before the clicks.
                await delivered(db, deadline=time.monotonic() + 900)
                async with http.get(slack_url + "bench/counts") as response:
                    redrawn_before = int((await response.json())["redrawn"])
                questions = questions_per_team(db, round_id)
                # build_org puts member n (id n + 1) in team n % teams (id + 1); each team has its own questions.
                bodies = [click(n, round_id, "4" * questions[n % teams + 1]) for n in range(members)]
                post_ours = spread_over(
                    [poster(http, f"http://127.0.0.1:{server.port}/slack/events", bodies) for server in servers]
                )
                sent = [0]

                async def counted_post(number: int) -> int:
                    sent[0] += 1
                    return await post_ours(number)

                ours = Side(counted_post, ours_settled(db, round_id, sent, http, slack_url, redrawn_before))
                async with bare_app() as bare_url:
                    bare = Side(poster(http, bare_url, bodies), _nothing_after)
                    result = await take_turns(
                        ours,
                        bare,
                        repeats=repeats,
                        clicks=clicks,
                        closed_clicks=closed_clicks,
                        rate=rate,
                        concurrency=concurrency,
                    )
                answered = await asyncio.to_thread(_answered, db, round_id)
    return {
        **result,
        "database": "postgresql, two replicas" if postgres else "sqlite, one server",
        "lost": members - answered,
        "clicks": clicks,
        "closed_clicks": closed_clicks,
        "offered_per_s": rate,
        "concurrency": concurrency,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.slack_interaction", description=__doc__)
    parser.add_argument("--clicks", type=int, default=6000, help="per open-loop run")
    parser.add_argument("--closed-clicks", type=int, default=2000, help="per closed-loop run")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL and two replicas instead of SQLite")
    args = parser.parse_args(argv)
    measured = measure(args.clicks, args.closed_clicks, args.rate, args.concurrency, args.repeats, args.postgres)
    print(json.dumps(asyncio.run(measured), indent=2))


if __name__ == "__main__":
    main()
