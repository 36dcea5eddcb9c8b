"""Pulse-card submits against our Teams endpoint and, in the same run, a bare botbuilder bot that only replies.

`python -m bench.teams_interaction` prints JSON: latency at an offered 200 submits/s (open loop, 5,000 submits),
the most submits/s each sustains at concurrency 32, `lost`: submits ours accepted (2xx) whose answers are not in
the counts, and `not_accepted`: submits it did not answer with a 2xx within the client's 300 s (Teams would retry).
Every submit is a member's Action.Submit of the Send button on a full card, so each one writes to the database
and redraws the card through the connector. The round's cards are all delivered before the first submit (a member
answers a card they have received), as in bench.slack_interaction; a round closed a week before, so each
thank-you shows the team's last result, as it does in use. Neither side checks tokens: without MICROSOFT_APP_ID
our server takes unauthenticated activities from loopback (the emulator mode, `serve --local-chat`) and the bare
bot from anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import delete, insert, select

from adapters.teams.render import ACTION_KEY, VALUE_KEY
from bench.bare_teams_bot import REPLY
from bench.child_server import child_server
from bench.fanout_org import CHUNK, build_org
from bench.interaction import close_an_earlier_round, compared, delivered, questions_per_team
from bench.load import closed_loop, open_loop
from bot.flows.pulse_card import COMMENT_FIELD, SEND_ACTION
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base, PulseAnsweredRow
from tests.fakes.bf_connector import FakeConnector, fake_connector
from tests.fakes.slack_api import FakeSlack
from tests.fakes.teams_activities import TENANT, card_submit
from tests.process.conftest import latest_round, queue_round, quiet_calendar, server_env
from tests.process.server_process import ServerProcess

CARD_ACTIVITY = "1763885600001"  # the card the submit was pressed on (replyToId): ours redraws it there
WARMUP = 20  # submits sent to each before measuring (their answers count towards `lost` too)
STALL_S = 30.0  # the work after the answers is over when it has not moved for this long
NOT_FOR_THIS_BENCH = ("SLACK_", "MICROSOFT_APP_")  # Teams only, and without an app id: no tokens checked


def teams_user(member: int) -> str:
    """Member n's Bot Framework id ("29:…"), as the bench gives it."""
    return f"29:bench-{member:07d}"


def use_teams(db: Database, members: int) -> None:
    """Reach every member on Teams in the test tenant instead of the Slack ids build_org gives them.

    Replaced, not added: a person with both is addressed on Slack first, which this server does not speak, and
    the round's cards should go out through the connector as they would in a Teams-only organisation.
    """
    table = Base.metadata.tables["member_identities"]
    rows = [
        {"id": n + 1, "member_id": n + 1, "platform": "teams", "workspace": TENANT, "user_id": teams_user(n)}
        for n in range(members)
    ]
    with db.engine.begin() as connection:
        connection.execute(delete(table))
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), rows[start : start + CHUNK])


def submit(service_url: str, member: int, round_id: int, answers: str) -> bytes:
    """Member n's Send on their pulse card, as Teams posts it: a message whose value is the button's data."""
    user = teams_user(member)
    data = {ACTION_KEY: SEND_ACTION, VALUE_KEY: f"{round_id}:{answers}", COMMENT_FIELD: ""}
    return json.dumps(card_submit(service_url, user, data, reply_to=CARD_ACTIVITY)).encode()


def poster(
    http: aiohttp.ClientSession, url: str, bodies: list[bytes], accepted: set[int] | None = None
) -> Callable[[int], Awaitable[int]]:
    """POSTs submit n; `accepted` collects the numbers answered with a 2xx, whose answers must not be lost."""

    async def post(number: int) -> int:
        headers = {"Content-Type": "application/json"}
        async with http.post(url, data=bodies[number], headers=headers) as response:
            await response.read()
        if accepted is not None and 200 <= response.status < 300:
            accepted.add(number)
        return response.status

    return post


@contextlib.asynccontextmanager
async def bare_bot() -> AsyncIterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_FOR_THIS_BENCH)}
    async with child_server("bench.bare_teams_bot", env=env) as port:
        yield f"http://127.0.0.1:{port}/api/messages"


def _answered(db: Database, round_id: int) -> set[int]:
    """The members counted as having answered (who answered is kept; what they answered is not linked to them)."""
    with db.transaction() as session:
        return set(session.scalars(select(PulseAnsweredRow.member_id).where(PulseAnsweredRow.round_id == round_id)))


def _lost(accepted: set[int], answered: set[int]) -> int:
    """Submits ours accepted (member n, id n + 1) whose answers are not in the counts."""
    return sum(1 for number in accepted if number + 1 not in answered)


async def _settle(db: Database, round_id: int, accepted: set[int], connector: FakeConnector) -> int:
    """Wait for the work after the answers (count each, redraw its card) while it progresses; what is lost then."""
    last, progress_at = (-1, -1), time.monotonic()
    while time.monotonic() - progress_at < STALL_S:
        now = (_lost(accepted, await asyncio.to_thread(_answered, db, round_id)), len(connector.updated))
        if now[0] == 0 and now[1] >= len(accepted):
            break
        if now != last:
            last, progress_at = now, time.monotonic()
        await asyncio.sleep(0.2)
    return _lost(accepted, await asyncio.to_thread(_answered, db, round_id))


def _server(db_url: str, service_url: str, log: Path) -> ServerProcess:
    env = server_env(db_url, FakeSlack(), TYHY_LOG_LEVEL="WARNING", TEAMS_SERVICE_URL=service_url)
    # The fake connector has no limit; like the Slack bench, the round's cards go out as fast as the server can.
    env["TYHY_RATE_TEAMS_PER_SEC"] = "100000"
    server = ServerProcess(env, log, args=["--local-chat"])  # Teams without an app id: for this computer only
    for key in [k for k in server.env if k.startswith(NOT_FOR_THIS_BENCH)]:
        del server.env[key]  # also any set in this shell: the server must speak Teams only, without tokens
    return server


async def warm_up(post: Callable[[int], Awaitable[int]], first: int, count: int) -> None:
    """A few submits, one at a time and not measured: a fresh process's first requests pay for lazy imports."""
    for number in range(first, first + count):
        await post(number)


async def measure(submits: int, rate: float, concurrency: int, warmup: int = WARMUP) -> dict[str, Any]:
    # Members 0..submits-1 submit in the open loop, the next `submits` in the closed loop, the rest warm up.
    members, teams = 2 * submits + warmup, max(1, 2 * submits // 10)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        upgrade(db)
        build_org(db, members, teams)
        use_teams(db, members)
        close_an_earlier_round(db)  # the thank-you shows last round's result, as it does in use
        async with fake_connector() as connector:
            server = _server(url, connector.url, Path(folder) / "server.log")
            # Only the bench's round: before the server starts, or it would send a round the calendar missed
            # (catching up at start) beside it, and the clicks would come after twice the cards.
            quiet_calendar(db)
            server.start()
            try:
                await server.wait_until("scheduling", timeout=60)
                await asyncio.to_thread(queue_round, db, "pulse_round:0:bench")
                round_id = latest_round(db)
                # A member presses Send on a card they have received: the round's cards go out before the submits.
                await delivered(db, deadline=time.monotonic() + 600)
                round_cards = len(connector.sent)
                questions = questions_per_team(db, round_id)
                # build_org puts member n (id n + 1) in team n % teams (id + 1); each team has its own questions.
                bodies = [submit(connector.url, n, round_id, "4" * questions[n % teams + 1]) for n in range(members)]
                ours_url = f"http://127.0.0.1:{server.port}/api/messages"
                accepted: set[int] = set()
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http:
                    ours = poster(http, ours_url, bodies, accepted)
                    await warm_up(ours, 2 * submits, warmup)
                    ours_open = await open_loop(ours, submits, rate)
                    ours_closed = await closed_loop(ours, submits, concurrency, first=submits)
                    async with bare_bot() as bare_url:
                        await warm_up(poster(http, bare_url, bodies), 2 * submits, warmup)
                        bare_open = await open_loop(poster(http, bare_url, bodies), submits, rate)
                        bare_closed = await closed_loop(poster(http, bare_url, bodies), submits, concurrency)
                lost = await _settle(db, round_id, accepted, connector)
                redrawn = len(connector.updated)
                # Besides the redrawn cards, ours sends each member who answered a thank-you; the bare bot a reply.
                thanked = sum(1 for _, activity in connector.sent if activity.get("text") != REPLY) - round_cards
            finally:
                server.stop()
        db.dispose()
    return {
        **compared(ours_open, ours_closed, bare_open, bare_closed),
        "lost": lost,
        "not_accepted": members - len(accepted),  # ours answered with no 2xx (or not in time): Teams would retry
        "submits": submits,
        "warmup_submits": warmup,
        "cards_redrawn": redrawn,
        "round_cards_sent": round_cards,  # all delivered before the first submit
        "thank_yous_sent": thanked,
        "offered_per_s": rate,
        "concurrency": concurrency,
        "auth": "none: no MICROSOFT_APP_ID, so both accept unauthenticated activities (ours from loopback only)",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.teams_interaction", description=__doc__)
    parser.add_argument("--clicks", "--submits", dest="submits", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=WARMUP, help="unmeasured submits to each first")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(measure(args.submits, args.rate, args.concurrency, args.warmup)), indent=2))


if __name__ == "__main__":
    main()
