"""A Slack workspace end to end: our adapter served on loopback, the fake Web API behind it, signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.common.interactions import Interactions, Outbox
from adapters.server.wiring import build_conversation
from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.port import SlackChatPort
from adapters.slack.settings import SlackSettings
from bot.organisation import Member, Platform
from scheduler.outbox import OutboxWorker
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_rate import SharedRateLimiter
from storage.models import MemberIdentityRow
from storage.outbox_repository import OutboxRepository
from storage.platform_repository import PlatformRepository
from tests.bot.flows.conftest import Clock, Demo, clock, demo  # noqa: F401  # the fixtures, for this folder's tests
from tests.fakes.slack_api import FakeSlack, fake_slack

SECRET = "test-signing-secret"
NO_JITTER = Backoff(random=lambda: 0.0)


def slack_id(member: Member) -> str:
    return f"U{member.id:04d}"


def give_slack_ids(world: Demo) -> None:
    """Every demo member gets a Slack id, as an org import with Slack ids gives them (no workspace)."""
    with world.db.transaction() as session:
        for member in world.members:
            session.add(
                MemberIdentityRow(member_id=member.id, platform="slack", workspace="", user_id=slack_id(member))
            )
    world.refresh()


def signed(body: bytes, *, secret: str = SECRET, age: float = 0) -> dict[str, str]:
    """The headers Slack signs a request with (https://api.slack.com/authentication/verifying-requests-from-slack)."""
    timestamp = str(int(time.time() - age))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Workspace:
    """What a test drives: the fake Slack, our adapter, and a client that posts as Slack does."""

    slack: FakeSlack
    adapter: SlackAdapter
    port: SlackChatPort
    http: aiohttp.ClientSession
    url: str
    demo: Demo
    outbox: OutboxRepository  # channel posts, messages to others and answers that met a 429 go through it
    worker: OutboxWorker
    waits: list[float]  # each wait before a retry in memory (a redrawn card, a team link's call), in seconds

    async def settled(self) -> None:
        """The work after the answer done, and the outbox drained of what is due now (by the test's clock)."""
        await self.adapter.idle()
        await self.worker.drain()

    async def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None, **sign: Any) -> int:
        headers = {"Content-Type": content_type, **signed(body, **sign), **(headers or {})}
        async with self.http.post(self.url, data=body, headers=headers) as response:
            return response.status

    async def command(self, member: Member, text: str, channel: str = "D0001") -> int:
        form = {
            "command": "/tyhy",
            "text": text,
            "user_id": slack_id(member),
            "user_name": member.name,
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "trigger_id": "1.2.3",
            "response_url": self.slack.response_url("commands"),
        }
        status = await self.post(urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")
        await self.settled()
        return status

    async def interact(self, payload: dict[str, Any]) -> int:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        status = await self.post(body, "application/x-www-form-urlencoded")
        await self.settled()
        return status

    async def event(self, event: dict[str, Any], event_id: str, retry: int = 0) -> int:
        envelope = {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event": event,
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        status = await self.post(json.dumps(envelope).encode(), "application/json", headers)
        await self.settled()
        return status


@pytest.fixture
async def workspace(demo: Demo, clock: Clock) -> AsyncIterator[Workspace]:  # noqa: F811  # the fixtures above
    give_slack_ids(demo)
    async with fake_slack() as slack:
        settings = SlackSettings("xoxb-test", SECRET, slack.url)
        port = SlackChatPort.connect(settings.bot_token, settings.api_url, PlatformRepository(demo.db))
        waits: list[float] = []

        async def recorded(seconds: float) -> None:  # the wait is what Slack asked for; the test need not sit it out
            waits.append(seconds)

        repository = OutboxRepository(demo.db, clock)
        worker = OutboxWorker(repository, {Platform.SLACK: port}, SharedRateLimiter({}), clock, backoff=NO_JITTER)
        ports = {Platform.SLACK: port}
        outbox = Outbox(repository.enqueue, worker.wake, repository.enqueue_latest)
        interactions = Interactions(build_conversation(demo.db, clock), lambda: ports, outbox=outbox, sleep=recorded)
        adapter = SlackAdapter(settings, demo.db, interactions, port, clock)
        adapter.link.sleep = recorded
        app = web.Application()
        adapter.routes(app)
        async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
            url = str(server.make_url(EVENTS_PATH))
            yield Workspace(slack, adapter, port, http, url, demo, repository, worker, waits)
