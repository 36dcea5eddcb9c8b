"""Real server processes on a database they share with the test: a big organisation, a round queued, a fake Slack."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from adapters.server.jobs_wiring import job_runtime
from scheduler import jobs
from scheduler.runner import load_specs
from storage.db import Database
from storage.job_run_repository import JobRunRepository
from storage.migrate import upgrade
from storage.outbox_models import OutboxRow, OutboxStatus
from storage.outbox_repository import OutboxRepository
from tests.conftest import POSTGRES_URL, postgres_unavailable
from tests.fakes.slack_api import FakeSlack

_ROUND = re.compile(r"^(\d+):")


def queue_round(db: Database, job_id: str) -> int:
    """Open a pulse round for everyone and queue its cards, exactly as the scheduler's job does."""
    now = datetime.now(UTC)
    jobs.install(job_runtime(db, lambda: now, OutboxRepository(db).enqueue))
    try:
        return jobs.execute(job_id, "pulse_round", 0, False)
    finally:
        jobs.install(None)


def quiet_calendar(db: Database, within: timedelta = timedelta(hours=1)) -> int:
    """Mark the calendar's jobs due now or soon as already run; returns how many.

    Otherwise, on a day the default calendar has a pulse round, a server's own scheduler sends a second round
    beside the one a test or bench queued, and it measures twice the load it means to.
    """
    now = datetime.now(UTC)
    runs = JobRunRepository(db)
    return sum(runs.claim(spec.id, now) for spec in load_specs(db, now) if spec.run_at <= now + within)


def cards_by_channel(slack: FakeSlack, round_id: int) -> Counter[str]:
    """How many cards of this round each DM channel received (a card's buttons carry "<round id>:…")."""
    received: Counter[str] = Counter()
    for call in slack.called("chat.postMessage"):
        blocks = call.body.get("blocks") or []
        values = [e.get("value", "") for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]
        match = next((m for v in values if (m := _ROUND.match(v))), None)
        if match is not None and int(match.group(1)) == round_id:
            received[str(call.body["channel"])] += 1
    return received


def in_flight(db: Database) -> int:
    """Rows claimed but not recorded: what a killed process may have sent without saying so."""
    with db.transaction() as session:
        return session.execute(select(func.count()).where(OutboxRow.status == OutboxStatus.SENDING)).scalar_one()


def latest_round(db: Database) -> int:
    from storage.models import PulseRoundRow

    with db.transaction() as session:
        return session.execute(select(func.max(PulseRoundRow.id))).scalar_one()


def server_env(db_url: str, slack: FakeSlack, **extra: str) -> dict[str, str]:
    return {
        "TYHY_DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-secret",
        "SLACK_API_URL": slack.url,
        "TYHY_RATE_SLACK_PER_MIN": "6000000",  # the fake has no limit; the test is about losing nothing
        "TYHY_LOG_LEVEL": "INFO",
        **extra,
    }


def teams_card_round(activity: Any) -> int | None:
    """The round id in a Teams activity's Action.Submit data ("tyhy.value": "<round id>:…")."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get("tyhy.value")
            if isinstance(value, str):
                found.append(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(activity)
    for value in found:
        if (match := _ROUND.match(value)) is not None:
            return int(match.group(1))
    return None


@pytest.fixture
def postgres_schema_url() -> Iterator[tuple[Database, str]]:
    """A schema of its own on the local PostgreSQL, and a URL that puts replicas' connections in it."""
    schema = f"tyhy_replicas_{uuid.uuid4().hex[:10]}"
    admin = Database(POSTGRES_URL)
    try:
        with admin.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        admin.dispose()
        postgres_unavailable(f"{POSTGRES_URL} is unreachable ({type(error).__name__})")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    db = Database(url)
    try:
        upgrade(db)
        yield db, url
    finally:
        db.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
