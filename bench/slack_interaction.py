"""Pulse-answer clicks against our Slack endpoint and, in the same run, a bare bolt app that only acks them.

`python -m bench.slack_interaction` prints JSON: latency at an offered 200 clicks/s (open loop, 5,000 clicks),
the most clicks/s each sustains at concurrency 32, and `lost`: Send clicks whose answers are not in the counts.
Every click is a member's Send of a full set of answers, so each one writes to the database and redraws a card;
a round closed a week before, so each thank-you shows the team's last result, as it does in use.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench.child_server import child_server
from bench.fanout_org import build_org
from bench.interaction import close_an_earlier_round, compared, delivered, questions_per_team
from bench.load import closed_loop, open_loop
from storage.db import Database
from storage.migrate import upgrade
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


async def _counted(db: Database, round_id: int, expected: int, stalled_s: float = 30) -> int:
    """The answers counted once all are in, or once the count has not moved for `stalled_s` (then some are lost)."""
    counted, moved = 0, time.monotonic()
    while counted < expected and time.monotonic() - moved < stalled_s:
        await asyncio.sleep(0.2)
        now_counted = await asyncio.to_thread(_answered, db, round_id)
        if now_counted != counted:
            counted, moved = now_counted, time.monotonic()
    return counted


def _answered(db: Database, round_id: int) -> int:
    with db.transaction() as session:
        return session.execute(
            select(func.count()).select_from(PulseAnsweredRow).where(PulseAnsweredRow.round_id == round_id)
        ).scalar_one()


async def measure(clicks: int, rate: float, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        upgrade(db)
        build_org(db, 2 * clicks, max(1, 2 * clicks // 10))
        close_an_earlier_round(db)  # the thank-you shows last round's result, as it does in use
        # The fake Slack answers from a process of its own, as Slack would from elsewhere: on the bench's loop it
        # would slow the clicks sent to our server (which calls it) and not those sent to the bare app (which does not).
        async with child_server("bench.fake_slack_server") as slack_port:
            # Only the fake's address, for the server's settings: the child process records the calls.
            slack = FakeSlack(url=f"http://127.0.0.1:{slack_port}/api/")
            server = ServerProcess(server_env(url, slack, TYHY_LOG_LEVEL="WARNING"), Path(folder) / "server.log")
            server.env["SLACK_SIGNING_SECRET"] = SECRET
            # Only the bench's round: before the server starts, or it would send a round the calendar missed
            # (catching up at start) beside it, and the clicks would come after twice the cards.
            quiet_calendar(db)
            server.start()
            try:
                await server.wait_until("scheduling", timeout=60)
                await asyncio.to_thread(queue_round, db, "pulse_round:0:bench")
                round_id = latest_round(db)
                # A member clicks a card they have received: the round's cards are delivered before the clicks.
                await delivered(db, deadline=time.monotonic() + 300)
                questions = questions_per_team(db, round_id)
                teams = max(1, 2 * clicks // 10)
                # build_org puts member n (id n + 1) in team n % teams (id + 1); each team has its own questions.
                bodies = [click(n, round_id, "4" * questions[n % teams + 1]) for n in range(2 * clicks)]
                ours_url = f"http://127.0.0.1:{server.port}/slack/events"
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http:
                    ours_open = await open_loop(poster(http, ours_url, bodies), clicks, rate)
                    ours_closed = await closed_loop(poster(http, ours_url, bodies), clicks, concurrency, first=clicks)
                    # Clicks are acknowledged at once and counted after: how long the last ones waited for the
                    # core. Waited for here, so the bare app's runs do not share the machine with our backlog.
                    last_click = time.monotonic()
                    answered = await _counted(db, round_id, 2 * clicks)
                    counted_after_s = round(time.monotonic() - last_click, 1)
                    async with bare_app() as bare_url:
                        bare_open = await open_loop(poster(http, bare_url, bodies), clicks, rate)
                        bare_closed = await closed_loop(poster(http, bare_url, bodies), clicks, concurrency)
            finally:
                server.stop()
        db.dispose()
    return {
        **compared(ours_open, ours_closed, bare_open, bare_closed),
        "lost": 2 * clicks - answered,
        "counted_after_last_click_s": counted_after_s,
        "clicks": clicks,
        "offered_per_s": rate,
        "concurrency": concurrency,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.slack_interaction", description=__doc__)
    parser.add_argument("--clicks", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(measure(args.clicks, args.rate, args.concurrency)), indent=2))


if __name__ == "__main__":
    main()
