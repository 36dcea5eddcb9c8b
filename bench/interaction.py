"""What the Slack and Teams interaction benches share: each team's question count, and ours against the bare app."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bench.load import Latencies
from bot.flows.pulse_rounds import PulseRounds
from storage.db import Database
from storage.models import PulseAnswerCountRow, PulseRoundTeamRow
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository

EARLIER_RESPONDENTS = 6  # per team in the closed round: over the threshold of 5, so each thank-you shows figures


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


def figures(latencies: Latencies) -> dict[str, Any]:
    return {
        "p50_ms": latencies.median_ms,
        "p99_ms": latencies.percentile_ms(99),
        "per_s": latencies.per_second,
        "failed": latencies.failed,
    }


def compared(
    ours_open: Latencies, ours_closed: Latencies, bare_open: Latencies, bare_closed: Latencies
) -> dict[str, Any]:
    """The headline keys (latency at the offered rate, throughput at the concurrency), every run's figures, goals."""
    return {
        "ours_p50_ms": ours_open.median_ms,
        "ours_p99_ms": ours_open.percentile_ms(99),
        "ours_rps": ours_closed.per_second,
        "bare_rps": bare_closed.per_second,
        "throughput_ratio": round(ours_closed.per_second / max(bare_closed.per_second, 0.1), 3),
        "ours_open_loop": figures(ours_open),
        "ours_closed_loop": figures(ours_closed),
        "bare_open_loop": figures(bare_open),
        "bare_closed_loop": figures(bare_closed),
        "goals": {"ours_p99_ms": "<= 50", "throughput_ratio": ">= 0.5", "lost": 0},
    }
