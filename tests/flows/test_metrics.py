"""/metrics: what the running bot delivered, what waits, who schedules; and nothing that names a person."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient, TestServer

from adapters.runtime import BotRuntime
from adapters.server import create_app
from tests.flows.conftest import Demo
from tests.flows.test_runtime import NOW, wait_until


def _value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match is not None, f"{name} missing from /metrics"
    return float(match.group(1))


async def test_metrics_count_a_rounds_deliveries_and_name_nobody(demo: Demo) -> None:
    runtime = BotRuntime(demo.db, clock=lambda: NOW)
    async with TestClient(TestServer(create_app(demo.db, runtime))) as client:
        anna = demo.person("Anna")
        await wait_until(lambda: runtime.inbox.messages(f"dm-{anna.id}"))  # the round due now has gone out
        await wait_until(lambda: runtime.outbox.depth() == 0)
        response = await client.get("/metrics")
        assert response.status == 200 and response.content_type == "text/plain"
        text = await response.text()
    sent = _value(text, 'tyhy_deliveries_total{outcome="sent",platform="web"}')
    assert sent >= 25  # this week's pulse round reached everyone asked in the demo, through the local chat
    assert _value(text, "tyhy_outbox_depth") == 0
    assert _value(text, "tyhy_outbox_oldest_age_seconds") == 0
    assert _value(text, "tyhy_scheduler_leader") == 1
    assert _value(text, "tyhy_calendar_last_run_timestamp_seconds") == NOW.timestamp()
    for member in demo.members:
        assert member.name not in text and (member.email or "@") not in text
