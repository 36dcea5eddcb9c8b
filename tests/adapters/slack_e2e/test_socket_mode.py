"""Socket Mode: the server opens Slack's WebSocket (the fake's), acks each envelope and handles it like HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer

from adapters.common.interactions import Interactions
from adapters.server.wiring import build_conversation
from adapters.slack.app import SlackAdapter
from adapters.slack.port import SlackChatPort
from adapters.slack.settings import SlackSettings
from adapters.slack.socket_mode import SlackSocketMode
from bot.organisation import Platform
from storage.platform_repository import PlatformRepository
from tests.adapters.slack_e2e.conftest import give_slack_ids, slack_id
from tests.bot.flows.conftest import Clock, Demo
from tests.fakes.slack_api import FakeSlack, fake_slack

APP_TOKEN = "xapp-1-A1-test"
PATIENCE = 10  # seconds before a broken socket fails the test instead of hanging it; not a measurement


@dataclass
class Socket:
    slack: FakeSlack
    adapter: SlackAdapter
    server: BaseTestServer

    async def send(self, kind: str, payload: dict[str, object]) -> dict[str, object]:
        """One envelope down the socket; the app's ack, once the work it started is done."""
        envelope_id = await self.slack.push(kind, payload)
        ack = await asyncio.wait_for(self.slack.ack_of(envelope_id), PATIENCE)
        await self.adapter.idle()
        return ack


@pytest.fixture
async def socket(demo: Demo, clock: Clock) -> AsyncIterator[Socket]:
    give_slack_ids(demo)
    async with fake_slack() as slack:
        # No signing secret: over the socket Slack signs nothing, and none is needed to develop locally.
        settings = SlackSettings(bot_token="xoxb-test", api_url=slack.url, app_token=APP_TOKEN, socket_mode=True)
        port = SlackChatPort.connect(settings.bot_token, settings.api_url, PlatformRepository(demo.db))
        interactions = Interactions(build_conversation(demo.db, clock), lambda: {Platform.SLACK: port})
        adapter = SlackAdapter(settings, demo.db, interactions, port, clock)
        app = web.Application()
        adapter.routes(app)
        SlackSocketMode(adapter.bolt, settings.app_token, settings.api_url).attach(app)
        async with TestServer(app, host="127.0.0.1") as server:
            await asyncio.wait_for(slack.connected.wait(), PATIENCE)
            yield Socket(slack, adapter, server)
        assert slack.sockets == []  # the server's stop closed the socket


async def test_the_socket_is_opened_with_the_app_token(socket: Socket) -> None:
    (opened,) = socket.slack.called("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert len(socket.slack.sockets) == 1


async def test_a_slash_command_over_the_socket_is_acked_and_answered(socket: Socket, demo: Demo) -> None:
    anna = demo.person("Anna")
    form = {"command": "/tyhy", "text": "apua", "user_id": slack_id(anna), "team_id": "T1", "channel_id": "D0001"}
    ack = await socket.send("slash_commands", {**form, "trigger_id": "1.2.3", "response_url": "https://hooks.invalid"})
    assert set(ack) <= {"envelope_id", "payload"}
    (post,) = socket.slack.called("chat.postMessage")
    assert post.token == "xoxb-test" and post.body["channel"] == "D" + slack_id(anna).lstrip("U")
    assert "suunnitelma" in post.body["text"].lower()


async def test_a_direct_message_event_over_the_socket_is_handled_once(socket: Socket, demo: Demo) -> None:
    maria = demo.person("Maria")
    message = {"type": "message", "channel_type": "im", "user": slack_id(maria), "text": "hjälp", "channel": "D9"}
    body = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": message,
        "event_id": "Ev-socket",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    await socket.send("events_api", body)
    await socket.send("events_api", body)  # Slack redelivers an envelope it thinks was lost
    (post,) = socket.slack.called("chat.postMessage")
    assert post.body["channel"] == "D" + slack_id(maria).lstrip("U") and "plan" in post.body["text"].lower()


async def test_without_a_signing_secret_nothing_is_taken_over_http(socket: Socket) -> None:
    async with aiohttp.ClientSession() as http:
        answer = await http.post(socket.server.make_url("/slack/events"), json={"type": "event_callback"})
        assert answer.status == 404


def test_socket_mode_and_many_workspaces_are_read_from_the_environment() -> None:
    local = SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SOCKET_MODE": "1"}
    )
    assert local.uses_socket_mode and local.configured and not local.multi_workspace
    assert not SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": APP_TOKEN}).configured
    many = SlackSettings.from_env(
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "s",
            "SLACK_SIGNING_SECRET": "x",
            "SLACK_API_URL": "http://f/api",
        }
    )
    assert many.multi_workspace and many.configured and many.oauth_authorize_url == "http://f/oauth/v2/authorize"
    assert SlackSettings().oauth_authorize_url == "https://slack.com/oauth/v2/authorize"
