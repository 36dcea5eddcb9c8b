"""Slack while the database is down: an event is acknowledged and the person told, in their DM, to try again."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.common.interactions import Interactions, Outbox
from adapters.server.wiring import build_conversation
from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.port import SlackChatPort
from adapters.slack.settings import SlackSettings
from bot.i18n import translate
from bot.organisation import Platform
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.platform_repository import PlatformRepository
from tests.adapters.slack_e2e.conftest import SECRET, signed
from tests.fakes.slack_api import fake_slack
from tests.process.server_process import free_port


def now() -> datetime:
    return datetime.now(UTC)


async def test_a_direct_message_is_acknowledged_and_answered_with_try_again(caplog: pytest.LogCaptureFixture) -> None:
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test")  # refused at once
    async with fake_slack() as slack:
        settings = SlackSettings("xoxb-test", SECRET, slack.url)
        port = SlackChatPort.connect(settings.bot_token, settings.api_url, PlatformRepository(db))
        ports = {Platform.SLACK: port}
        outbox = Outbox(OutboxRepository(db).enqueue, lambda: None)
        adapter = SlackAdapter(
            settings, db, Interactions(build_conversation(db, now), lambda: ports, outbox=outbox), port, now
        )
        app = web.Application()
        adapter.routes(app)
        message = {"type": "message", "channel_type": "im", "channel": "D0001", "user": "U0001", "text": "apua"}
        envelope = {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event": message,
            "event_id": "Ev1",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
        body = json.dumps(envelope).encode()
        async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
            headers = {"Content-Type": "application/json", **signed(body)}
            async with http.post(server.make_url(EVENTS_PATH), data=body, headers=headers) as response:
                assert response.status == 200
            await adapter.idle()
    told = [(c.body["channel"], c.body["text"]) for c in slack.called("chat.postMessage")]
    assert told == [("D0001", translate("fi", "interaction.try_again"))]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    db.dispose()
