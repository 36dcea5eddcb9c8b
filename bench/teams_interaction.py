"""Pulse-card submits against our Teams endpoint and, in the same run, a bare botbuilder bot, taking turns.

`python -m bench.teams_interaction` prints JSON. Ours and the bare bot take turns, REPEATS times: an open loop at an
offered 200 submits/s (6,000: 30 s) and a closed loop at concurrency 32 (2,000) each, every run drained before the
next. Each figure is the median of the repeats with its spread: latency at the offered rate, the most submits/s
each sustains, `finished_after_last_click_s` (from the open loop's last submit until every answer is counted and
every card redrawn: a server that answers fast but falls behind does not pass), `lost`: submits ours accepted (2xx)
whose answers are not in the counts, and `not_accepted`: submits it did not answer with a 2xx.

Like for like: both ack the request at once and do their work after it (ours counts the answer, redraws the card
and thanks; the bare bot runs the SDK's turn and replies), both send through the same fake connector, which runs in
a process of its own. Every submit is a member's Action.Submit of the Send button on a full card. The round's cards
are all delivered before the first submit, and a round closed a week before, so each thank-you shows the team's
last result, as it does in use. Neither side checks tokens: without MICROSOFT_APP_ID our server takes
unauthenticated activities from loopback (the emulator mode, `serve --local-chat`) and the bare bot from anywhere.
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
from bench.child_server import child_server
from bench.fanout_org import CHUNK, build_org
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
from bot.flows.pulse_card import COMMENT_FIELD, SEND_ACTION
from storage.db import Database
from storage.models import Base, PulseAnsweredRow
from tests.fakes.slack_api import FakeSlack
from tests.fakes.teams_activities import TENANT, card_submit
from tests.process.conftest import latest_round, queue_round, quiet_calendar, server_env
from tests.process.server_process import ServerProcess

CARD_ACTIVITY = "1763885600001"  # the card the submit was pressed on (replyToId): ours redraws it there
WARMUP = 20  # submits sent to each before measuring (their answers count towards `lost` too)
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


class Connector:
    """The fake connector in its own process, as the bench sees it: its serviceUrl and what reached it."""

    def __init__(self, http: aiohttp.ClientSession, port: int) -> None:
        self.http = http
        self.url = f"http://127.0.0.1:{port}/"

    async def counts(self) -> dict[str, int]:
        async with self.http.get(self.url + "bench/counts") as response:
            return dict(await response.json())


def ours_settled(
    db: Database, round_id: int, accepted: set[int], connector: Connector, redraws_before: int
) -> Callable[[], Awaitable[None]]:
    """Ours is done when every accepted submit's answer is counted and its card redrawn."""

    async def done() -> tuple[bool, object]:
        missing = _lost(accepted, await asyncio.to_thread(_answered, db, round_id))
        redrawn = (await connector.counts())["updated"] - redraws_before
        return missing == 0 and redrawn >= len(accepted), (missing, redrawn)

    return lambda: until_done(done)


def bare_settled(accepted: set[int], connector: Connector) -> Callable[[], Awaitable[None]]:
    """The bare bot is done when it has replied to every submit it accepted."""

    async def done() -> tuple[bool, object]:
        replies = (await connector.counts())["bare_replies"]
        return replies >= len(accepted), replies

    return lambda: until_done(done)


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


async def measure(
    submits: int,
    closed_submits: int,
    rate: float,
    concurrency: int,
    repeats: int,
    warmup: int = WARMUP,
    postgres: bool = False,
) -> dict[str, Any]:
    per_repeat = submits + closed_submits
    # Repeat r's members submit from r * per_repeat on (each answers once); the last `warmup` warm up.
    members, teams = repeats * per_repeat + warmup, max(1, repeats * per_repeat // 10)
    count = 2 if postgres else 1  # PostgreSQL: two replicas behind a load balancer, as production runs them
    with tempfile.TemporaryDirectory() as folder, bench_database(Path(folder), postgres) as (db, url):
        build_org(db, members, teams)
        use_teams(db, members)
        close_an_earlier_round(db)  # the thank-you shows last round's result, as it does in use
        async with (
            # The connector answers from a process of its own, as Teams would from elsewhere: on the bench's loop it
            # would slow the side whose work calls it more (both send through it, ours more often).
            child_server("bench.fake_connector_server") as connector_port,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http,
        ):
            connector = Connector(http, connector_port)
            # Only the bench's round: before the server starts, or it would send a round the calendar missed
            # (catching up at start) beside it, and the clicks would come after twice the cards.
            quiet_calendar(db)

            def replica(number: int) -> ServerProcess:
                return _server(url, connector.url, Path(folder) / f"server{number}.log")

            async with replicas(replica, count) as servers:
                await asyncio.to_thread(queue_round, db, "pulse_round:0:bench")
                round_id = latest_round(db)
                # A member presses Send on a card they have received: the round's cards go out before the submits.
                await delivered(db, deadline=time.monotonic() + 900)
                before = await connector.counts()
                questions = questions_per_team(db, round_id)
                # build_org puts member n (id n + 1) in team n % teams (id + 1); each team has its own questions.
                bodies = [submit(connector.url, n, round_id, "4" * questions[n % teams + 1]) for n in range(members)]
                accepted: set[int] = set()
                bare_accepted: set[int] = set()
                urls = [f"http://127.0.0.1:{server.port}/api/messages" for server in servers]
                ours = Side(
                    spread_over([poster(http, url, bodies, accepted) for url in urls]),
                    ours_settled(db, round_id, accepted, connector, before["updated"]),
                )
                await warm_up(ours.post, members - warmup, warmup)
                async with bare_bot() as bare_url:
                    bare = Side(poster(http, bare_url, bodies, bare_accepted), bare_settled(bare_accepted, connector))
                    await warm_up(bare.post, members - warmup, warmup)
                    result = await take_turns(
                        ours,
                        bare,
                        repeats=repeats,
                        clicks=submits,
                        closed_clicks=closed_submits,
                        rate=rate,
                        concurrency=concurrency,
                    )
                await ours.settle()
                lost = _lost(accepted, await asyncio.to_thread(_answered, db, round_id))
                after = await connector.counts()
    return {
        **result,
        "database": "postgresql, two replicas" if postgres else "sqlite, one server",
        "lost": lost,
        "not_accepted": members - len(accepted),  # ours answered with no 2xx (or not in time): Teams would retry
        "submits": submits,
        "closed_submits": closed_submits,
        "warmup_submits": warmup,
        "cards_redrawn": after["updated"] - before["updated"],
        "round_cards_sent": before["sent"],  # all delivered before the first submit
        "bare_replies": after["bare_replies"],
        "offered_per_s": rate,
        "concurrency": concurrency,
        "auth": "none: no MICROSOFT_APP_ID, so both accept unauthenticated activities (ours from loopback only)",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.teams_interaction", description=__doc__)
    parser.add_argument("--clicks", "--submits", dest="submits", type=int, default=6000, help="per open-loop run")
    parser.add_argument("--closed-clicks", dest="closed_submits", type=int, default=2000, help="per closed-loop run")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--warmup", type=int, default=WARMUP, help="unmeasured submits to each first")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL and two replicas instead of SQLite")
    args = parser.parse_args(argv)
    measured = measure(
        args.submits, args.closed_submits, args.rate, args.concurrency, args.repeats, args.warmup, args.postgres
    )
    print(json.dumps(asyncio.run(measured), indent=2))


if __name__ == "__main__":
    main()
