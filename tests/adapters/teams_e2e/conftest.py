"""A Teams tenant end to end: the server app with our /api/messages on loopback, the fake connector behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.common.interactions import Interactions, Outbox
from adapters.server.app import create_app
from adapters.server.wiring import build_conversation
from adapters.teams.app import MESSAGES_PATH, TeamsAdapter
from adapters.teams.port import TeamsChatPort
from adapters.teams.settings import TeamsSettings
from bot.organisation import Member, Platform
from scheduler.outbox import OutboxWorker
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_rate import SharedRateLimiter
from storage.models import MemberIdentityRow
from storage.outbox_repository import OutboxRepository
from storage.platform_repository import PlatformRepository
from tests.bot.flows.conftest import Clock, Demo, clock, demo  # noqa: F401  # the fixtures, for this folder's tests
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import FakeConnector, fake_connector


def teams_id(member: Member) -> str:
    return f"29:member-{member.id}"


def give_teams_ids(world: Demo) -> None:
    """Every demo member gets a Teams id, as an org import with Teams ids gives them (no tenant)."""
    with world.db.transaction() as session:
        for member in world.members:
            session.add(
                MemberIdentityRow(member_id=member.id, platform="teams", workspace="", user_id=teams_id(member))
            )
    world.refresh()


@dataclass
class Tenant:
    """What a test drives: the fake connector, our adapter, and a client that posts activities as Teams does."""

    connector: FakeConnector
    adapter: TeamsAdapter
    port: TeamsChatPort
    http: aiohttp.ClientSession
    url: str
    demo: Demo
    outbox: OutboxRepository  # channel posts, messages to others and answers that met a 429 go through it
    worker: OutboxWorker
    waits: list[float]  # each wait before a retry in memory (a redrawn card), in seconds

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST one activity and wait for the work started after the answer; the status and body Teams got."""
        async with self.http.post(self.url, json=activity, headers=headers or {}) as response:
            status, body = response.status, await response.text()
        await self.adapter.idle()
        await self.worker.drain()  # what is due now by the test's clock
        return status, body


@pytest.fixture
async def tenant(demo: Demo, clock: Clock) -> AsyncIterator[Tenant]:  # noqa: F811  # the fixtures above
    give_teams_ids(demo)
    async with fake_connector() as connector:
        settings = TeamsSettings.from_env({"TEAMS_SERVICE_URL": connector.url})  # no app id: the emulator mode
        # The org file's Teams ids carry no tenant: the port falls back to the bot's own (MICROSOFT_APP_TENANT_ID,
        # which the adapter's authentication takes only with an app id).
        port = TeamsChatPort.connect(replace(settings, tenant_id=make.TENANT), PlatformRepository(demo.db))
        waits: list[float] = []

        async def recorded(seconds: float) -> None:  # the wait is what Teams asked for; the test need not sit it out
            waits.append(seconds)

        repository = OutboxRepository(demo.db, clock)
        no_jitter = Backoff(random=lambda: 0.0)
        worker = OutboxWorker(repository, {Platform.TEAMS: port}, SharedRateLimiter({}), clock, backoff=no_jitter)
        ports = {Platform.TEAMS: port}
        outbox = Outbox(repository.enqueue, worker.wake, repository.enqueue_latest)
        interactions = Interactions(build_conversation(demo.db, clock), lambda: ports, outbox=outbox, sleep=recorded)
        adapter = TeamsAdapter(settings, demo.db, interactions, port, clock, wake_outbox=worker.wake)
        app = create_app(demo.db)
        adapter.routes(app)
        async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
            url = str(server.make_url(MESSAGES_PATH))
            yield Tenant(connector, adapter, port, http, url, demo, repository, worker, waits)
        await port.close()
