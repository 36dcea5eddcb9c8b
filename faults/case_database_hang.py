"""PostgreSQL hangs for 10 s in the middle of a round: acks and /healthz stay fast, nothing is lost, all resumes.

Two ways to hang, through a proxy in front of PostgreSQL: every connection accepted and never answered (a frozen
server, a stuck network box), and a stall in the middle of a query (it reached PostgreSQL, its answer never came
back). The hang is shorter than every wait limit of storage/db_limits.py, so the work caught in it is not given up:
the answers sent meanwhile are counted once the database answers again.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

import aiohttp

from bench.fanout_org import build_org
from faults.cases import CaseFailed
from faults.process_helpers import (
    eventually,
    postgres_database,
    progress,
    pulse_totals,
    replicas,
    team_questions,
    wait_for,
)
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.pulse_repository import PulseRepository
from tests.fakes.bf_connector import FakeConnector, fake_connector
from tests.fakes.pg_proxy import PostgresProxy, proxied
from tests.fakes.slack_api import FakeSlack, fake_slack
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

MEMBERS: Final = 100  # half on Slack, half on Teams
TEAMS: Final = 10
HANG_SECONDS: Final = 10.0
# Five cards a second on each platform: the round is still going out when the database hangs, and after.
SLACK_PER_MIN: Final = "300"
TEAMS_PER_SEC: Final = "5"
ANSWERING: Final = range(0, 20)  # ten on Slack and ten on Teams press Send while the database hangs
ACK_WITHIN: Final = 1.0  # seconds; Slack's own limit is 3 s, and a load balancer's probe is as impatient
HEALTH_EVERY: Final = 0.5
HELD_AT_MOST: Final = 0.1  # the event loop, in seconds

BeginHang = Callable[[PostgresProxy], Awaitable[None]]


async def accepts_and_never_answers() -> int:
    return await _case("hang", _hang_now)


async def stalls_mid_query() -> int:
    return await _case("stall", _stall)


async def _hang_now(proxy: PostgresProxy) -> None:
    proxy.hang()


async def _stall(proxy: PostgresProxy) -> None:
    # The next query of any of the server's threads goes through, and its answer is held with everything else.
    await asyncio.wait_for(proxy.stall_mid_query(), 30)


async def _case(kind: str, begin_hang: BeginHang) -> int:
    with postgres_database(kind) as url, tempfile.TemporaryDirectory(prefix=f"tyhy-fault-{kind}-") as folder:
        db = Database(url)  # the case's own way in: straight to PostgreSQL, never through the proxy
        try:
            build_org(db, MEMBERS, TEAMS)
            split_platforms(db, MEMBERS)
            quiet_calendar(db)
            async with (
                proxied(url) as (proxy, through_proxy),
                fake_slack() as slack,
                fake_connector() as connector,
                aiohttp.ClientSession() as http,
            ):
                env = env_for_both(
                    through_proxy,
                    slack,
                    connector,
                    TYHY_RATE_SLACK_PER_MIN=SLACK_PER_MIN,
                    TYHY_RATE_TEAMS_PER_SEC=TEAMS_PER_SEC,
                )
                async with replicas(Path(folder), env, args=SERVE_ARGS) as (server,):
                    problems = await _through_a_hang(db, proxy, begin_hang, server, slack, connector, http)
        finally:
            db.dispose()
    if problems:
        raise CaseFailed("; ".join(problems))
    return len(ANSWERING)


async def _through_a_hang(
    db: Database,
    proxy: PostgresProxy,
    begin_hang: BeginHang,
    server: ServerProcess,
    slack: FakeSlack,
    connector: FakeConnector,
    http: aiohttp.ClientSession,
) -> list[str]:
    await server.wait_until("scheduling", timeout=60)
    for member in (0, 1):  # a fresh process's first request on each platform pays for its lazy imports
        await send(http, server.port, connector, member, 0, "3")
    before = loop_held(await _metrics(http, server))
    queued = await asyncio.to_thread(queue_round, db, "pulse_round:0:fault-hang")
    if queued != MEMBERS:
        raise CaseFailed(f"the round queued {queued} cards, not {MEMBERS}")
    round_id = latest_round(db)
    questions = question_counts(db, round_id)
    quarter = MEMBERS // 4
    await wait_for(lambda: len(cards_received(slack, connector, round_id)) >= quarter, 60, "a quarter of the cards")

    await begin_hang(proxy)
    hung_at = time.monotonic()
    progress(f"the database hangs after {len(cards_received(slack, connector, round_id))} cards")
    problems: list[str] = []
    probing = asyncio.create_task(_probe_health(http, server, HANG_SECONDS))
    acks = await asyncio.gather(
        *(send(http, server.port, connector, n, round_id, "3" * questions[n % TEAMS + 1]) for n in ANSWERING)
    )
    slow = [f"{seconds:.2f} s" for status, seconds in acks if status != 200 or seconds > ACK_WITHIN]
    if slow or {status for status, _ in acks} != {200}:
        problems.append(f"acks during the hang: {[status for status, _ in acks]}, {len(slow)} over {ACK_WITHIN:g} s")
    health = await probing
    if late := [f"{seconds:.2f} s" for _, seconds in health if seconds > ACK_WITHIN]:
        problems.append(f"/healthz answered in {late} during the hang, not within {ACK_WITHIN:g} s")
    if wrong := {status for status, _ in health} - {"503 unreachable"}:
        problems.append(f"/healthz said {wrong} during the hang, not that the database is unreachable")
    progress(f"{len(acks)} Sends acked in at most {max(s for _, s in acks):.2f} s, {len(health)} health probes")
    await asyncio.sleep(max(0.0, HANG_SECONDS - (time.monotonic() - hung_at)))
    proxy.resume()
    progress("the database answers again")

    if not await eventually(lambda: (server.health() or {}).get("status") == "ok", 30):
        problems.append("/healthz did not say ok within 30 s of the database answering again")
    if not await eventually(lambda: pulse_totals(db, round_id)[0] >= len(ANSWERING), 60):
        problems.append(f"only {pulse_totals(db, round_id)[0]} of {len(ANSWERING)} answers were recorded")
    everyone = await eventually(lambda: len(cards_received(slack, connector, round_id)) >= MEMBERS, 60)
    drained = await eventually(lambda: OutboxRepository(db).depth() == 0, 30)
    held = held_longer_than(before, loop_held(await _metrics(http, server)), HELD_AT_MOST)
    progress(f"the event loop: {held}")

    await asyncio.to_thread(PulseRepository(db).settle, round_id)  # the close's mix, as in the outage case
    markers, respondents, counts = pulse_totals(db, round_id)
    received = cards_received(slack, connector, round_id)
    duplicates = sum(count - 1 for count in received.values())
    if held["held_longer"]:
        problems.append(f"the event loop was held over {HELD_AT_MOST:g} s {held['held_longer']} times: {held}")
    if not everyone:
        problems.append(f"{MEMBERS - len(received)} of {MEMBERS} members never got the card")
    if duplicates:
        problems.append(f"{duplicates} duplicate cards")
    if not drained:
        problems.append(f"the outbox still held {OutboxRepository(db).depth()} rows")
    if (markers, respondents) != (len(ANSWERING), len(ANSWERING)):
        problems.append(f"{markers} answered, {respondents} respondents, not the {len(ANSWERING)} sent in the hang")
    expected: Counter[tuple[int, str, int]] = Counter()
    for team_id, ids in team_questions(db, round_id).items():
        for n in ANSWERING:
            if n % TEAMS + 1 == team_id:
                expected.update((team_id, question, 3) for question in ids)
    if counts != expected:
        problems.append(f"the answer counts are {dict(counts)}, not the {dict(expected)} sent in the hang")
    return problems


async def _probe_health(http: aiohttp.ClientSession, server: ServerProcess, seconds: float) -> list[tuple[str, float]]:
    """GET /healthz every HEALTH_EVERY seconds for `seconds`: what each said and how long it took."""
    said: list[tuple[str, float]] = []
    until = time.monotonic() + seconds - 1
    while time.monotonic() < until:
        started = time.monotonic()
        async with http.get(f"http://127.0.0.1:{server.port}/healthz") as response:
            body = await response.json()
        said.append((f"{response.status} {body.get('database')}", time.monotonic() - started))
        await asyncio.sleep(HEALTH_EVERY)
    return said


async def _metrics(http: aiohttp.ClientSession, server: ServerProcess) -> str:
    async with http.get(f"http://127.0.0.1:{server.port}/metrics") as response:
        return await response.text()
