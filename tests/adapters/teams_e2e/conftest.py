"""A Teams tenant end to end: the server app with our /api/messages on loopback, the fake connector behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.interactions import Interactions
from adapters.server.app import create_app
from adapters.server.wiring import build_conversation
from adapters.teams.app import MESSAGES_PATH, TeamsAdapter
from adapters.teams.port import TeamsChatPort
from adapters.teams.settings import TeamsSettings
from bot.organisation import Member, Platform
from storage.models import MemberIdentityRow
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

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST one activity and wait for the work started after the answer; the status and body Teams got."""
        async with self.http.post(self.url, json=activity, headers=headers or {}) as response:
            status, body = response.status, await response.text()
        await self.adapter.idle()
        return status, body


@pytest.fixture
async def tenant(demo: Demo, clock: Clock) -> AsyncIterator[Tenant]:  # noqa: F811  # the fixtures above
    give_teams_ids(demo)
    async with fake_connector() as connector:
        settings = TeamsSettings.from_env({"TEAMS_SERVICE_URL": connector.url})  # no app id: the emulator mode
        # The org file's Teams ids carry no tenant: the port falls back to the bot's own (MICROSOFT_APP_TENANT_ID,
        # which the adapter's authentication takes only with an app id).
        port = TeamsChatPort.connect(replace(settings, tenant_id=make.TENANT), PlatformRepository(demo.db))
        interactions = Interactions(build_conversation(demo.db, clock), lambda: {Platform.TEAMS: port})
        adapter = TeamsAdapter(settings, demo.db, interactions, port, clock)
        app = create_app(demo.db)
        adapter.routes(app)
        async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
            yield Tenant(connector, adapter, port, http, str(server.make_url(MESSAGES_PATH)), demo)
        await port.close()
