"""What the Slack and Teams interaction benches share: the round before, and ours and the bare app taking turns."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from bench.databases import temporary_postgres_url
from bench.load import Request, closed_loop, open_loop
from bench.repeats import summarised
from bot.flows.pulse_rounds import PulseRounds
from storage.db import Database
from storage.migrate import upgrade
from storage.models import PulseAnswerCountRow, PulseRoundTeamRow
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.process.server_process import ServerProcess

EARLIER_RESPONDENTS = 6  # per team in the closed round: over the threshold of 5, so each thank-you shows figures
STALL_S = 30.0  # the work after the answers is over when it has not moved for this long


async def until_done(done: Callable[[], Awaitable[tuple[bool, object]]]) -> None:
    """Wait until `done` says so, or until its progress has not moved for STALL_S (then what is left is lost)."""
    last, progress_at = None, time.monotonic()
    while time.monotonic() - progress_at < STALL_S:
        finished, progress = await done()
        if finished:
            return
        if progress != last:
            last, progress_at = progress, time.monotonic()
        await asyncio.sleep(0.1)


def questions_per_team(db: Database, round_id: int) -> dict[int, int]:
    """How many questions each team's card asks."""
    pulse_round = PulseRepository(db).get_round(round_id)
    assert pulse_round is not None
    return {team_id: len(questions) for team_id, questions in pulse_round.team_questions.items()}


def close_an_earlier_round(db: Database) -> int:
    """A round that closed last week, six answers from every team: the thank-you after each Send shows it.

    A bot in use has always run a round before; its report is the costliest part of a thank-you, and a bench
    without one measures a first round that happens once a year.
    """
    directory = OrganisationRepository(db)
    organisation = directory.get()
    assert organisation is not None
    now = datetime.now(UTC)
    earlier, _ = PulseRounds(directory, PulseRepository(db), PlanRepository(db)).open_round(
        organisation, organisation.teams, now - timedelta(days=7), now - timedelta(days=14)
    )
    assert earlier.id is not None
    with db.engine.begin() as connection:  # the answers as their counts: everyone chose 4 on every question
        asked = PulseAnswerCountRow.round_id == earlier.id
        connection.execute(
            update(PulseAnswerCountRow).where(asked, PulseAnswerCountRow.value == 4).values(count=EARLIER_RESPONDENTS)
        )
        connection.execute(
            update(PulseRoundTeamRow)
            .where(PulseRoundTeamRow.round_id == earlier.id)
            .values(respondents=EARLIER_RESPONDENTS)
        )
    return earlier.id


async def delivered(db: Database, deadline: float) -> None:
    """Wait until the outbox is empty: a member answers a card they have received, so clicks come after the cards."""
    outbox = OutboxRepository(db)
    while await asyncio.to_thread(outbox.depth) > 0:
        if time.monotonic() > deadline:
            raise TimeoutError("the round's cards were not delivered in time")
        await asyncio.sleep(0.5)


@contextlib.contextmanager
def bench_database(folder: Path, postgres: bool) -> Iterator[tuple[Database, str]]:
    """A migrated database and the URL the servers use: a SQLite file, or a PostgreSQL schema of its own."""
    if postgres:
        with temporary_postgres_url("interaction") as found:
            yield found
        return
    url = f"sqlite:///{folder / 'bench.db'}"
    db = Database(url)
    upgrade(db)
    try:
        yield db, url
    finally:
        db.dispose()


@contextlib.asynccontextmanager
async def replicas(make: Callable[[int], ServerProcess], count: int) -> AsyncIterator[list[ServerProcess]]:
    """`count` server processes on one database, up, with one of them leading (sending the rounds)."""
    servers = [make(number).start() for number in range(count)]
    try:
        for server in servers:
            await server.wait_until("up", timeout=60)
        deadline = time.monotonic() + 60
        while not any((server.health() or {}).get("scheduling") for server in servers):
            if time.monotonic() > deadline:
                raise TimeoutError("no replica took the lead in 60 s")
            await asyncio.sleep(0.2)
        yield servers
    finally:
        for server in servers:
            server.stop()


def spread_over(posts: Sequence[Request]) -> Request:
    """Request n to replica n mod count, as a load balancer taking turns would."""

    async def post(number: int) -> int:
        return await posts[number % len(posts)](number)

    return post


Settle = Callable[[], Awaitable[None]]  # returns once the side's work after every request sent so far is done

# A goal for the work behind the answers: a server that answers fast but falls behind would pass the latency alone.
GOALS = {"ours_p99_ms": "<= 50", "throughput_ratio": ">= 0.5", "finished_after_last_click_s": "<= 5", "lost": 0}


@dataclass(frozen=True)
class Side:
    """One server under load: how to send request n, and how to wait until its work after the answers is done."""

    post: Request
    settle: Settle


async def take_turns(
    ours: Side, bare: Side, *, repeats: int, clicks: int, closed_clicks: int, rate: float, concurrency: int
) -> dict[str, Any]:
    """Ours and the bare app in turns, `repeats` times: an open loop at `rate` then a closed loop at `concurrency`
    each, every run drained before the next starts (so neither pays for the other's backlog).

    Repeat r uses requests r * (clicks + closed_clicks) onwards: ours counts each member's answer once.
    `finished_after_last_click_s` is the time from the open loop's last click until every answer is counted and
    every card redrawn (ours), or every reply sent (the bare app).
    """
    runs = []
    for repeat in range(repeats):
        first = repeat * (clicks + closed_clicks)
        ours_open = await open_loop(ours.post, clicks, rate, first=first)
        await ours.settle()
        ours_finished = time.perf_counter() - ours_open.last_sent_at
        bare_open = await open_loop(bare.post, clicks, rate, first=first)
        await bare.settle()
        bare_finished = time.perf_counter() - bare_open.last_sent_at
        ours_closed = await closed_loop(ours.post, closed_clicks, concurrency, first=first + clicks)
        await ours.settle()
        bare_closed = await closed_loop(bare.post, closed_clicks, concurrency, first=first + clicks)
        await bare.settle()
        runs.append(
            {
                "ours_p50_ms": ours_open.median_ms,
                "ours_p99_ms": ours_open.percentile_ms(99),
                "bare_p50_ms": bare_open.median_ms,
                "bare_p99_ms": bare_open.percentile_ms(99),
                "ours_rps": ours_closed.per_second,
                "bare_rps": bare_closed.per_second,
                "throughput_ratio": round(ours_closed.per_second / max(bare_closed.per_second, 0.1), 3),
                "finished_after_last_click_s": round(ours_finished, 2),
                "bare_finished_after_last_click_s": round(bare_finished, 2),
                "ours_failed": ours_open.failed + ours_closed.failed,
                "bare_failed": bare_open.failed + bare_closed.failed,
            }
        )
    return {**summarised(runs), "repeats": repeats, "runs": runs, "goals": GOALS}
