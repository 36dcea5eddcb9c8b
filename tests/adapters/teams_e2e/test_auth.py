"""Who may post to /api/messages: with an app id only Bot Framework's signed requests, without one only this machine."""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiohttp.typedefs import Middleware
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.common.interactions import Interactions
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
from tests.fakes.bf_signing_keys import ISSUER, SigningKeys, signing_keys

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


# --- Tokens signed (or not) as the Bot Connector signs them ---------------------------------------------------------


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[SigningKeys]:
    """Bot Framework's signing keys served on loopback; the SDK's documented hook points its token check at them."""
    with signing_keys() as served:
        monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", served.metadata_url)
        yield served


def typing_activity(service_url: str, user_id: str) -> dict[str, Any]:
    # An activity the bot answers nothing to: with an app id a reply would first ask Azure AD for the bot's token.
    return {**make.message(service_url, user_id, "apua"), "type": "typing"}


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the server logged at WARNING or above, and anything logged with a traceback."""
    return [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info or r.stack_info]


async def test_with_an_app_id_a_token_the_bot_connector_signed_is_taken(
    tenant: Tenant, clock: Clock, keys: SigningKeys
) -> None:
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    activity = typing_activity(tenant.connector.url, teams_id(tenant.demo.person("Anna")))
    token = keys.token("app-1", tenant.connector.url)
    async with server, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {token}"}
        async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
            assert response.status == 200
        # The same key, for another bot or another service URL: refused.
        for other in (keys.token("app-2", tenant.connector.url), keys.token("app-1", "https://elsewhere.example/")):
            headers = {"Authorization": f"Bearer {other}"}
            async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
                assert response.status == 401
    await adapter.idle()


def _claims(service_url: str) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": "app-1", "serviceurl": service_url, "nbf": now - 5, "exp": now + 3600}


def unsigned(service_url: str) -> str:
    return jwt.encode(_claims(service_url), None, algorithm="none")


def hs256_without_kid(service_url: str) -> str:
    return jwt.encode(_claims(service_url), "a shared secret that is long enough for HS256!", algorithm="HS256")


def unknown_kid(service_url: str) -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(_claims(service_url), stranger, algorithm="RS256", headers={"kid": "someone-elses-key"})


def _forged(header: bytes, claims: dict[str, Any]) -> str:
    # Written by hand: PyJWT refuses to make these. The signature is never reached.
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(header)}.{part(json.dumps(claims).encode())}.{part(b'not a signature')}"


def kid_not_a_string(service_url: str) -> str:
    return _forged(b'{"alg": "RS256", "kid": ["a", "list"]}', _claims(service_url))


def header_nested_too_deeply(service_url: str) -> str:
    return _forged(b"[" * 2000 + b"]" * 2000, _claims(service_url))  # within the 8 KB a header line may have


MALFORMED = {
    "alg none": unsigned,
    "HS256 without kid": hs256_without_kid,
    "unknown kid": unknown_kid,
    "kid not a string": kid_not_a_string,
    "header nested too deeply": header_nested_too_deeply,
}


@pytest.mark.parametrize("kind", MALFORMED)
async def test_with_an_app_id_a_malformed_token_gets_401_and_one_warning(
    tenant: Tenant, clock: Clock, keys: SigningKeys, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    token = MALFORMED[kind](tenant.connector.url)
    caplog.set_level(logging.DEBUG)
    async with server, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {token}"}
        async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
            assert response.status == 401
    await adapter.idle()
    (warning,) = problems(caplog)
    assert warning.levelno == logging.WARNING and warning.name == "adapters.teams.app"
    assert tenant.connector.requests == []


async def test_without_an_app_id_a_malformed_token_from_this_machine_gets_401(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    # No app id lets requests without a token in (the emulator); one that carries a token still has it checked.
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    caplog.set_level(logging.DEBUG)
    for token in (unsigned(tenant.connector.url), hs256_without_kid(tenant.connector.url)):
        status, _ = await tenant.post(activity, {"Authorization": f"Bearer {token}"})
        assert status == 401
    assert [r.levelno for r in problems(caplog)] == [logging.WARNING, logging.WARNING]
    assert tenant.connector.requests == []


async def test_a_key_not_endorsed_for_teams_gets_401_and_unreachable_keys_503(
    tenant: Tenant, clock: Clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    activity = typing_activity(tenant.connector.url, teams_id(tenant.demo.person("Anna")))
    caplog.set_level(logging.DEBUG)
    async with server, aiohttp.ClientSession() as http:
        with signing_keys(endorsements=("webchat",)) as keys:  # Microsoft's key, but not for this channel
            monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", keys.metadata_url)
            headers = {"Authorization": f"Bearer {keys.token('app-1', tenant.connector.url)}"}
            async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
                assert response.status == 401
        # The key service gone (an address the SDK has cached nothing for): no token can be checked, which is not
        # the sender's fault.
        monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", keys.metadata_url + "?after-shutdown")
        async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
            assert response.status == 503
    await adapter.idle()
    assert [(r.levelno, r.name) for r in problems(caplog)] == [(logging.WARNING, "adapters.teams.app")] * 2


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000,
        b'{"type": "message", "value": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"type": "message", "value": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
    ],
    ids=["brackets", "nested value", "nested objects"],
)
async def test_a_body_nested_too_deeply_gets_400_and_one_warning(
    tenant: Tenant, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    caplog.set_level(logging.DEBUG)
    async with tenant.http.post(tenant.url, data=body, headers={"Content-Type": "application/json"}) as response:
        assert response.status == 400
    await tenant.adapter.idle()
    (warning,) = problems(caplog)
    assert warning.levelno == logging.WARNING and warning.name == "adapters.teams.app"
    assert tenant.connector.requests == []


# --- Without an app id: the web chat's rule, this computer's own programs only ----------------------------------

PROXIED = [
    ("Forwarded", "for=192.0.2.7;proto=http"),
    ("X-Forwarded-For", "192.0.2.7"),
    ("X-Forwarded-Host", "tyhy.example.org"),
    ("X-Real-IP", "192.0.2.7"),
    ("Via", "1.1 nginx"),
]


@pytest.mark.parametrize("header", PROXIED, ids=[name for name, _ in PROXIED])
async def test_without_an_app_id_a_request_through_a_proxy_gets_401_and_one_warning(
    tenant: Tenant, caplog: pytest.LogCaptureFixture, header: tuple[str, str]
) -> None:
    # A reverse proxy on this machine connects from 127.0.0.1 (nginx even sends Host: 127.0.0.1): what gives it
    # away is the header it adds, and whoever reached it may be anywhere on the network.
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    caplog.set_level(logging.DEBUG)
    name, value = header
    status, _ = await tenant.post(activity, {"Host": tenant.url.split("/")[2], name: value})
    assert status == 401
    (warning,) = problems(caplog)
    assert warning.levelno == logging.WARNING and warning.name == "adapters.teams.app"
    assert "proxy" in warning.getMessage() and value not in warning.getMessage()
    assert tenant.connector.requests == []


async def test_without_an_app_id_a_request_naming_another_host_gets_401(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    # A web page whose name was pointed at 127.0.0.1 (DNS rebinding) posts from the browser on this machine.
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    caplog.set_level(logging.DEBUG)
    status, _ = await tenant.post(activity, {"Host": "tyhy.example.org:3978"})
    assert status == 401
    (warning,) = problems(caplog)
    assert warning.levelno == logging.WARNING and warning.name == "adapters.teams.app"
    assert tenant.connector.requests == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_without_an_app_id_a_request_straight_from_this_machine_is_answered(tenant: Tenant, host: str) -> None:
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    port = tenant.url.split("/")[2].rsplit(":", 1)[1]
    status, _ = await tenant.post(activity, {"Host": f"{host}:{port}"})  # the Bot Framework Emulator, as set up
    assert status == 200
    assert len(tenant.connector.requests) == 1


async def test_with_an_app_id_the_proxy_in_front_is_expected(tenant: Tenant, clock: Clock, keys: SigningKeys) -> None:
    # In production a TLS proxy stands in front: the Bot Connector's signed token is what is checked, not the path.
    settings = TeamsSettings(app_id="app-1", app_password="secret", service_url=tenant.connector.url)
    adapter, server = await serve(tenant.demo, clock, settings)
    activity = typing_activity(tenant.connector.url, teams_id(tenant.demo.person("Anna")))
    token = keys.token("app-1", tenant.connector.url)
    async with server, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": "52.112.0.1", "Host": "tyhy.example.org"}
        async with http.post(server.make_url(MESSAGES_PATH), json=activity, headers=headers) as response:
            assert response.status == 200
    await adapter.idle()
