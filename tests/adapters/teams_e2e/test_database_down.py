"""Teams while the database is down: the activity is answered at once and the person is told, in their chat, to try
again in a moment; no task fails with a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.common.interactions import Interactions, Outbox
from adapters.server.app import create_app
from adapters.server.wiring import build_conversation
from adapters.teams.app import MESSAGES_PATH, TeamsAdapter
from adapters.teams.port import TeamsChatPort
from adapters.teams.settings import TeamsSettings
from bot.i18n import translate
from bot.organisation import Platform
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.platform_repository import PlatformRepository
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import FakeConnector, fake_connector
from tests.process.server_process import free_port

ANNA = "29:anna"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
async def down() -> AsyncIterator[tuple[TeamsAdapter, FakeConnector, str]]:
    """Our Teams endpoint on a PostgreSQL address nobody listens on: every connection is refused at once."""
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test")
    async with fake_connector() as connector:
        settings = TeamsSettings.from_env({"TEAMS_SERVICE_URL": connector.url})
        port = TeamsChatPort.connect(settings, PlatformRepository(db))
        ports = {Platform.TEAMS: port}
        outbox = Outbox(OutboxRepository(db).enqueue, lambda: None)
        interactions = Interactions(build_conversation(db, now), lambda: ports, outbox=outbox)
        adapter = TeamsAdapter(settings, db, interactions, port, now)
        app = create_app(db)
        adapter.routes(app)
        async with TestServer(app, host="127.0.0.1") as server:
            yield adapter, connector, str(server.make_url(MESSAGES_PATH))
        await port.close()
    db.dispose()


@pytest.mark.parametrize("locale", ["fi-FI", "sv-SE"])
async def test_a_card_submit_is_answered_and_the_person_told_to_try_again(
    down: tuple[TeamsAdapter, FakeConnector, str], locale: str, caplog: pytest.LogCaptureFixture
) -> None:
    adapter, connector, url = down
    submit = make.card_submit(connector.url, ANNA, {"tyhy.action": "pulse.send", "tyhy.value": "7:333"}, reply_to="1")
    submit["locale"] = locale
    async with aiohttp.ClientSession() as http, http.post(url, json=submit) as response:
        assert response.status == 200
    await adapter.idle()
    (told,) = [activity["text"] for conversation, activity in connector.sent if conversation == f"a:{ANNA}"]
    assert told == translate(locale[:2], "interaction.try_again")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
