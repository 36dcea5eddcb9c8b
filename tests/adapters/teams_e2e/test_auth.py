"""Who may post to /api/messages: with an app id only Bot Framework's signed requests, without one only this machine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiohttp.typedefs import Middleware

from adapters.interactions import Interactions
from adapters.server.app import create_app
from adapters.server.wiring import build_conversation
from adapters.teams.app import MESSAGES_PATH, TeamsAdapter
from adapters.teams.port import TeamsChatPort
from adapters.teams.settings import TeamsSettings
from bot.organisation import Platform
from storage.platform_repository import PlatformRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.bot.flows.conftest import Clock, Demo
from tests.fakes import teams_activities as make

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def from_another_machine(request: web.Request, handler: Handler) -> web.StreamResponse:
    # The request as it looks when it arrives from elsewhere on the network: only its peer address differs.
    return await handler(request.clone(remote="203.0.113.7"))


async def serve(
    demo: Demo, clock: Clock, settings: TeamsSettings, *middlewares: Middleware
) -> tuple[TeamsAdapter, TestServer]:
    port = TeamsChatPort.connect(settings, PlatformRepository(demo.db))
    interactions = Interactions(build_conversation(demo.db, clock), lambda: {Platform.TEAMS: port})
    adapter = TeamsAdapter(settings, demo.db, interactions, port, clock)
    app = create_app(demo.db)
    app.middlewares.extend(middlewares)
    adapter.routes(app)
    return adapter, TestServer(app, host="127.0.0.1")


async def test_without_an_app_id_a_request_from_another_machine_gets_401(tenant: Tenant, clock: Clock) -> None:
    settings = TeamsSettings.from_env({"TEAMS_SERVICE_URL": tenant.connector.url})
    adapter, server = await serve(tenant.demo, clock, settings, from_another_machine)
    anna = teams_id(tenant.demo.person("Anna"))
    async with (
        server,
        aiohttp.ClientSession() as http,
        http.post(server.make_url(MESSAGES_PATH), json=make.message(tenant.connector.url, anna, "apua")) as r,
    ):
        assert r.status == 401
    await adapter.idle()
    assert tenant.connector.requests == []


async def test_with_an_app_id_a_request_without_a_token_gets_401(tenant: Tenant, clock: Clock) -> None:
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    anna = teams_id(tenant.demo.person("Anna"))
    async with (
        server,
        aiohttp.ClientSession() as http,
        http.post(server.make_url(MESSAGES_PATH), json=make.message(tenant.connector.url, anna, "apua")) as r,
    ):
        assert r.status == 401
    await adapter.idle()
    assert tenant.connector.requests == []


async def test_what_is_not_an_activity_is_refused(tenant: Tenant) -> None:
    async with tenant.http.post(tenant.url, data=b"hello", headers={"Content-Type": "text/plain"}) as response:
        assert response.status == 415
    async with tenant.http.post(tenant.url, data=b"{not json", headers={"Content-Type": "application/json"}) as r:
        assert r.status == 400
    async with tenant.http.post(tenant.url, json={"text": "no type"}) as response:
        assert response.status == 400
    async with tenant.http.post(tenant.url, json={"type": "message", "from": "not an account"}) as response:
        assert response.status == 400
    assert tenant.connector.requests == []


async def test_with_an_app_id_a_forged_or_unreadable_token_gets_401(tenant: Tenant, clock: Clock) -> None:
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    anna = teams_id(tenant.demo.person("Anna"))
    # Signed by someone else and issued by someone else: refused before any signing key is looked up.
    forged = jwt.encode(
        {"iss": "https://attacker.invalid", "aud": "app-1"},
        "a key that is not one of microsoft-s keys",
        algorithm="HS256",
    )
    async with server, aiohttp.ClientSession() as http:
        for token in ("Bearer not-a-jwt", f"Bearer {forged}", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"):
            activity = make.message(tenant.connector.url, anna, "apua")
            headers = {"Authorization": token}
            async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
                assert response.status == 401, token
    await adapter.idle()
    assert tenant.connector.requests == []
