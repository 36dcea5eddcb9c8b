"""Slack delivers an event and retries it three times, spread over two replicas: the person gets one answer."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, Final

import aiohttp

from bench.fanout_org import build_org
from faults.cases import CaseFailed
from faults.process_helpers import (
    eventually,
    is_leader,
    postgres_database,
    progress,
    quiet_calendar,
    replicas,
    wait_for,
)
from storage.db import Database
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.slack_api import FakeSlack, fake_slack
from tests.process.conftest import server_env
from tests.process.server_process import ServerProcess

RETRIES: Final = 3  # Slack retries a delivery up to three times (X-Slack-Retry-Num 1..3)
SECRET: Final = "test-secret"  # server_env's signing secret


def _envelope(member: int, text: str, event_id: str) -> bytes:
    """A direct message from member n to the bot, as the Events API posts it."""
    user = f"U{member:07d}"
    event = {"type": "message", "channel_type": "im", "channel": f"D{member:07d}", "user": user, "text": text}
    envelope: dict[str, Any] = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": {**event, "ts": "1700000000.000100", "team": "T1"},
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    return json.dumps(envelope).encode()


async def _deliver(http: aiohttp.ClientSession, server: ServerProcess, body: bytes, retry: int) -> int:
    headers = {"Content-Type": "application/json", **signed(body, secret=SECRET)}
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    async with http.post(f"http://127.0.0.1:{server.port}/slack/events", data=body, headers=headers) as response:
        return response.status


def _replies(slack: FakeSlack, member: int) -> list[str]:
    return [
        str(c.body.get("text", "")) for c in slack.called("chat.postMessage") if c.body["channel"] == f"D{member:07d}"
    ]


def _ignored(servers: Sequence[ServerProcess], event_id: str) -> int:
    """How many deliveries of the event the replicas logged as seen before (the retries they left alone)."""
    needle = f"Slack event {event_id} seen before; ignored"
    return sum(s.log_path.read_text(errors="replace").count(needle) for s in servers if s.log_path.exists())


def _all_ignored(servers: Sequence[ServerProcess], event_id: str) -> bool:
    return _ignored(servers, event_id) >= RETRIES


async def retried_events_have_one_effect() -> int:
    with postgres_database("retries") as url, tempfile.TemporaryDirectory(prefix="tyhy-fault-retries-") as folder:
        db = Database(url)
        try:
            build_org(db, 20, 2)
            quiet_calendar(db)
        finally:
            db.dispose()
        async with fake_slack() as slack:
            env = server_env(url, slack)
            async with replicas(Path(folder), env, env) as servers, aiohttp.ClientSession() as http:
                first, second = servers
                await first.wait_until("up", timeout=60)
                await second.wait_until("up", timeout=60)
                await wait_for(lambda: is_leader(first) or is_leader(second), 30, "a leader")
                progress("two replicas up")
                problems: list[str] = []
                # Member 1: Slack's way, one delivery after another, each to the next replica behind the balancer.
                body = _envelope(1, "apua", "Ev0001SEQ")
                statuses = [await _deliver(http, servers[n % 2], body, n) for n in range(RETRIES + 1)]
                # Member 2: the worst case, the delivery and its retries arriving at both replicas at once.
                body = _envelope(2, "apua", "Ev0002PAR")
                statuses += await asyncio.gather(*(_deliver(http, servers[n % 2], body, n) for n in range(RETRIES + 1)))
                if set(statuses) != {200}:
                    problems.append(f"deliveries were answered {statuses}, not 200 each (Slack would retry again)")
                for member, event_id in ((1, "Ev0001SEQ"), (2, "Ev0002PAR")):
                    answered = await eventually(partial(_replies, slack, member), 30)
                    # All four deliveries are dealt with once the three retries are logged as left alone.
                    settled = await eventually(partial(_all_ignored, servers, event_id), 30)
                    replies = _replies(slack, member)
                    if not answered:
                        problems.append(f"{event_id}: no answer at all")
                    elif len(replies) != 1:
                        problems.append(f"{event_id}: {len(replies)} answers to one message, not one")
                    if not settled:
                        problems.append(f"{event_id}: {_ignored(servers, event_id)} retries left alone, not {RETRIES}")
                progress(f"answers: {[len(_replies(slack, m)) for m in (1, 2)]}")
                if problems:
                    raise CaseFailed("; ".join(problems))
    return 2 * (RETRIES + 1)
