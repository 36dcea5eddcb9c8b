"""Installing the app in many workspaces: the OAuth dance over HTTP against the fake Slack, a token per workspace."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass

import aiohttp
import pytest
import sqlalchemy as sa
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from adapters.common.interactions import Interactions
from adapters.server.wiring import build_conversation
from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.installations import SlackOAuthStates
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, SlackOAuth, bot_scopes
from adapters.slack.port import NOT_INSTALLED, SlackChatPort
from adapters.slack.settings import SlackSettings
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.db import Database
from storage.platform_repository import PlatformRepository
from tests.adapters.slack_e2e.conftest import SECRET, signed
from tests.bot.flows.conftest import Clock, Demo
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlack, fake_slack

SLACK_TABLES = ("slack_bots", "slack_installations", "slack_oauth_states")
STATE_COOKIE = "slack-app-oauth-state"


def _clear(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in SLACK_TABLES:
            connection.execute(sa.text(f"DELETE FROM {table}"))


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


@dataclass
class Installable:
    """Our server in many-workspace mode, the fake Slack, and a browser-like client."""

    slack: FakeSlack
    adapter: SlackAdapter
    port: SlackChatPort
    oauth: SlackOAuth
    http: aiohttp.ClientSession
    server: BaseTestServer
    db: Database

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def start(self, team: str) -> tuple[str, str]:
        """An admin clicks "Add to Slack" for a workspace: Slack's consent URL and the state cookie we set."""
        async with self.http.get(self.url(f"{INSTALL_PATH}?team={team}"), allow_redirects=False) as response:
            assert response.status == 302
            return response.headers["Location"], response.cookies[STATE_COOKIE].value

    async def consent(self, authorize_url: str) -> str:
        """The admin allows the app on Slack's page; Slack sends the browser back to our Redirect URL."""
        async with self.http.get(authorize_url, allow_redirects=False) as response:
            assert response.status == 302
            return response.headers["Location"]

    async def back(self, redirect: str, cookie: str | None) -> tuple[int, str]:
        # The cookie is sent by hand: it is Secure, and this test browser speaks plain HTTP on loopback.
        headers = {"Cookie": f"{STATE_COOKIE}={cookie}"} if cookie else {}
        async with self.http.get(redirect, headers=headers, allow_redirects=False) as response:
            return response.status, await response.text()

    async def install(self, team: str) -> str:
        authorize_url, cookie = await self.start(team)
        status, page = await self.back(await self.consent(authorize_url), cookie)
        assert status == 200, page
        return page

    async def command(self, team: str, user: str, text: str) -> int:
        form = {"command": "/tyhy", "text": text, "user_id": user, "team_id": team, "channel_id": "D" + user[1:]}
        form |= {"trigger_id": "1.2.3", "response_url": self.slack.url + "response_url"}  # answered by the fake
        return await self._post(urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")

    async def event(self, team: str, event: Mapping[str, object], event_id: str) -> int:
        envelope = {
            "type": "event_callback",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
        return await self._post(json.dumps(envelope).encode(), "application/json")

    async def _post(self, body: bytes, content_type: str) -> int:
        headers = {"Content-Type": content_type, **signed(body)}
        async with self.http.post(self.url(EVENTS_PATH), data=body, headers=headers) as response:
            status = response.status
        await self.adapter.idle()
        return status

    def posts_with(self, token: str) -> list[str]:
        return [call.body["channel"] for call in self.slack.called("chat.postMessage") if call.token == token]

    def token_of(self, team: str) -> str:
        return next(token for token, owner in self.slack.tokens.items() if owner == team)


@pytest.fixture
def clean_slack_tables(demo: Demo) -> Iterator[None]:
    # The shared fixtures empty the models' tables; the SDK's tables are emptied here.
    _clear(demo.db)
    yield
    _clear(demo.db)


@pytest.fixture
async def installable(demo: Demo, clock: Clock, clean_slack_tables: None) -> AsyncIterator[Installable]:
    async with fake_slack() as slack:
        settings = SlackSettings(
            signing_secret=SECRET, api_url=slack.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
        )
        oauth = SlackOAuth(settings, demo.db)
        port = SlackChatPort.installed(slack.url, PlatformRepository(demo.db), oauth.installations.bot_token)
        interactions = Interactions(build_conversation(demo.db, clock), lambda: {Platform.SLACK: port})
        adapter = SlackAdapter(settings, demo.db, interactions, port, clock, oauth)
        app = web.Application()
        adapter.routes(app)
        async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
            slack.redirect_url = str(server.make_url(REDIRECT_PATH))  # the Redirect URL set in the Slack app
            yield Installable(slack, adapter, port, oauth, http, server, demo.db)


async def test_add_to_slack_sets_a_one_time_state_and_goes_to_slacks_consent_page(installable: Installable) -> None:
    authorize_url, cookie = await installable.start("T2")
    url = urllib.parse.urlsplit(authorize_url)
    query = dict(urllib.parse.parse_qsl(url.query))
    assert authorize_url.startswith(installable.slack.url.removesuffix("api/") + "oauth/v2/authorize?")
    assert query["client_id"] == CLIENT_ID and query["team"] == "T2"
    assert query["scope"].split(",") == bot_scopes() and "chat:write" in query["scope"]
    assert query["state"] == cookie and _count(installable.db, "slack_oauth_states") == 1


async def test_an_install_saves_the_workspace_and_its_events_are_answered_with_its_token(
    installable: Installable,
) -> None:
    page = await installable.install("T2")
    assert "installed in Toinen Oy" in page
    (access,) = installable.slack.called("oauth.v2.access")
    assert access.token.startswith("Basic ")  # the client secret goes in the Authorization header, not the URL
    assert _count(installable.db, "slack_installations") == 1 and _count(installable.db, "slack_oauth_states") == 0
    assert await installable.command("T2", "USTRANGER", "apua") == 200
    assert installable.posts_with(installable.token_of("T2")) == ["DSTRANGER"]


async def test_two_workspaces_each_get_their_own_token(installable: Installable) -> None:
    await installable.install("T1")
    await installable.install("T2")
    first, second = installable.token_of("T1"), installable.token_of("T2")
    assert first != second
    assert await installable.command("T1", "UEKA", "help") == 200
    assert await installable.command("T2", "UTOKA", "help") == 200
    assert installable.posts_with(first) == ["DEKA"]
    assert installable.posts_with(second) == ["DTOKA"]
    # The outbox's side too: a message addressed to a workspace goes out with that workspace's token.
    await installable.port.send(OutboundMessage(Address(Platform.SLACK, user_id="UKOLMAS", workspace="T1"), text="Hei"))
    assert installable.posts_with(first) == ["DEKA", "DKOLMAS"]
    opened = {"type": "app_home_opened", "user": "UTOKA", "channel": "DTOKA", "tab": "home"}
    assert await installable.event("T2", opened, "Ev-home") == 200
    assert [call.token for call in installable.slack.called("views.publish")] == [second]


async def test_a_forged_or_reused_state_gets_a_clear_page_and_saves_nothing(installable: Installable) -> None:
    authorize_url, cookie = await installable.start("T2")
    redirect = await installable.consent(authorize_url)
    forged = redirect.replace(f"state={cookie}", "state=forged")
    status, page = await installable.back(forged, "forged")
    assert status == 401 and "expired or was already used" in page and "Start the installation again" in page
    status, page = await installable.back(redirect, None)  # the right state, but not from the admin's browser
    assert status == 400 and "another browser" in page
    assert installable.slack.called("oauth.v2.access") == []
    assert _count(installable.db, "slack_installations") == 0 and _count(installable.db, "slack_bots") == 0
    assert (await installable.back(redirect, cookie))[0] == 200
    status, page = await installable.back(redirect, cookie)  # the same answer again: a replay
    assert status == 401 and "expired or was already used" in page
    assert _count(installable.db, "slack_installations") == 1


async def test_a_cancelled_install_says_so(installable: Installable) -> None:
    authorize_url, cookie = await installable.start("T2")
    status, page = await installable.back(await installable.consent(authorize_url + "&deny=1"), cookie)
    assert status == 200 and "cancelled" in page and _count(installable.db, "slack_installations") == 0


async def test_a_workspace_without_an_installation_is_not_answered(installable: Installable) -> None:
    await installable.install("T1")
    message = {"type": "message", "channel_type": "im", "user": "UVIERAS", "text": "apua", "channel": "DVIERAS"}
    assert await installable.event("T9", message, "Ev-stranger") == 200  # acked, so Slack does not retry
    assert installable.slack.called("chat.postMessage") == []
    with pytest.raises(DeliveryError) as refused:
        await installable.port.send(OutboundMessage(Address(Platform.SLACK, user_id="U1", workspace="T9"), text="Hei"))
    assert refused.value.permanent and refused.value.reason == NOT_INSTALLED


async def test_uninstalling_removes_the_installation(installable: Installable) -> None:
    await installable.install("T1")
    await installable.install("T2")
    assert await installable.event("T2", {"type": "app_uninstalled"}, "Ev-bye") == 200
    assert await installable.oauth.installations.bot_token("T2") is None
    assert await installable.oauth.installations.bot_token("T1") == installable.token_of("T1")
    assert await installable.command("T2", "UTOKA", "help") == 200
    assert installable.slack.called("chat.postMessage") == []
    (told,) = installable.slack.called("response_url")  # bolt tells the person, privately, to reinstall the app
    assert "reinstall" in told.body["text"]
    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    assert await installable.event("T1", revoked, "Ev-revoked") == 200
    assert _count(installable.db, "slack_installations") == 0 and _count(installable.db, "slack_bots") == 0


async def test_a_person_without_a_workspace_reaches_the_only_installed_one(installable: Installable) -> None:
    # An org import gives Slack ids without a team id: fine while one workspace is installed, refused with two.
    to = Address(Platform.SLACK, user_id="UYKSI")
    await installable.install("T1")
    await installable.port.send(OutboundMessage(to, text="Hei"))
    assert installable.posts_with(installable.token_of("T1")) == ["DYKSI"]
    await installable.install("T2")
    with pytest.raises(DeliveryError):
        await installable.port.send(OutboundMessage(to, text="Hei"))


def test_the_migration_made_the_tables_slack_sdk_expects(db: Database) -> None:
    expected = sa.MetaData()
    SQLAlchemyInstallationStore.build_installations_table(expected, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(expected, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(expected, "slack_oauth_states")
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": _slack_only})
        assert compare_metadata(context, expected) == []


def _slack_only(name: str | None, kind: str, parents: dict[str, str | None]) -> bool:
    if kind == "schema":
        return True
    return (name if kind == "table" else parents.get("table_name")) in SLACK_TABLES


async def test_install_links_never_followed_are_swept_away(demo: Demo, clean_slack_tables: None) -> None:
    lapsed = SlackOAuthStates(demo.db, expiration_seconds=-60)  # every state it issues is already out of date
    first = await lapsed.async_issue()
    await lapsed.async_issue()
    assert _count(demo.db, "slack_oauth_states") == 1
    assert not await SlackOAuthStates(demo.db).async_consume(first)
