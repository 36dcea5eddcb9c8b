"""/metrics: what the running bot delivered, what waits, who schedules; and nothing that names a person."""

from __future__ import annotations

import re
from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer

from adapters.server.app import create_app
from adapters.server.metrics import Metrics
from adapters.server.runtime import BotRuntime
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from storage.job_run_repository import JobRunRepository
from storage.outbox_repository import OutboxRepository
from tests.bot.flows.conftest import Demo
from tests.bot.flows.test_runtime import NOW, wait_until, wait_until_async


def _value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match is not None, f"{name} missing from /metrics"
    return float(match.group(1))


async def test_metrics_count_a_rounds_deliveries_and_name_nobody(demo: Demo) -> None:
    runtime = BotRuntime(demo.db, clock=lambda: NOW)
    anna, outi = demo.person("Anna"), demo.person("Outi")
    async with TestClient(TestServer(create_app(demo.db, runtime))) as client:

        async def scrape() -> str:
            response = await client.get("/metrics")
            assert response.status == 200 and response.content_type == "text/plain"
            return await response.text()

        def cards(person_id: int) -> list[str]:
            return [e.message.card.kind for e in runtime.inbox.messages(f"dm-{person_id}") if e.message.card]

        # The teams' rounds are planned jobs and the escalation comes from housekeeping, each queueing on its own:
        # the queue can be empty between two of them, so wait for both kinds, then for a scrape of a drained queue.
        await wait_until(lambda: "pulse" in cards(anna.id) and "followup_escalation" in cards(outi.id))
        texts: list[str] = []

        async def drained() -> bool:
            texts.append(await scrape())
            return _value(texts[-1], "tyhy_outbox_depth") == 0

        await wait_until_async(drained)
        text = texts[-1]
    sent = _value(text, 'tyhy_deliveries_total{outcome="sent",platform="web"}')
    assert sent >= 25  # this week's pulse round reached everyone asked in the demo, through the local chat
    assert _value(text, "tyhy_outbox_oldest_age_seconds") == 0
    assert _value(text, "tyhy_scheduler_leader") == 1
    assert _value(text, "tyhy_calendar_last_run_timestamp_seconds") == NOW.timestamp()
    for member in demo.members:
        assert member.name not in text and (member.email or "@") not in text


def test_metrics_show_what_waits_and_for_how_long(demo: Demo) -> None:
    queued_at = NOW - timedelta(seconds=90)
    outbox = OutboxRepository(demo.db, lambda: queued_at)
    anna, ville = demo.person("Anna"), demo.person("Ville")
    outbox.enqueue(
        (f"metrics-test>{person.id}", OutboundMessage(Address(Platform.WEB, user_id=f"dm-{person.id}"), text="Hei!"))
        for person in (anna, ville)
    )
    metrics = Metrics()
    metrics.watch_database(OutboxRepository(demo.db, lambda: NOW), JobRunRepository(demo.db), lambda: NOW)
    text = metrics.render().decode()
    assert _value(text, "tyhy_outbox_depth") == 2
    assert _value(text, "tyhy_outbox_oldest_age_seconds") == 90
    assert _value(text, "tyhy_calendar_last_run_timestamp_seconds") == 0  # no calendar job has run yet
