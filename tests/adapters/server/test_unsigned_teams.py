"""Teams without an app id takes requests unsigned: `serve` connects it only as it serves the web chat, locally."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.server.platforms import connect_platforms
from adapters.server.runtime import BotRuntime
from adapters.teams.app import MESSAGES_PATH
from bot.organisation import Platform
from storage.db import Database
from storage.migrate import upgrade
from tests.process.server_process import ServerProcess

EMULATOR = {"TEAMS_SERVICE_URL": "http://127.0.0.1:9/"}  # a local connector, no app registration
REGISTERED = {"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001", "MICROSOFT_APP_PASSWORD": "p"}
NOT_CONNECTED = "Teams not connected: without MICROSOFT_APP_ID"


def mounted(app: web.Application) -> set[str]:
    return {route.resource.canonical for route in app.router.routes() if route.resource is not None}


@pytest.mark.parametrize(
    ("environ", "for_this_computer", "connected"),
    [
        (EMULATOR, False, []),
        (EMULATOR, True, [Platform.TEAMS]),
        (REGISTERED, False, [Platform.TEAMS]),
        (REGISTERED, True, [Platform.TEAMS]),
    ],
    ids=["emulator", "emulator for this computer", "app id", "app id for this computer"],
)
def test_teams_without_an_app_id_is_connected_only_for_this_computer(
    sqlite_database: Database,
    caplog: pytest.LogCaptureFixture,
    environ: dict[str, str],
    for_this_computer: bool,
    connected: list[Platform],
) -> None:
    runtime = BotRuntime(sqlite_database, clock=lambda: datetime.now(UTC), schedule=False)
    app = web.Application()
    caplog.set_level(logging.INFO)
    assert connect_platforms(app, sqlite_database, runtime, environ, for_this_computer=for_this_computer) == connected
    assert (MESSAGES_PATH in mounted(app)) == bool(connected)
    assert (Platform.TEAMS in runtime.ports) == bool(connected)
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().startswith(NOT_CONNECTED) for r in warned] == ([] if connected else [True])


def typing_activity(service_url: str) -> dict[str, Any]:
    """An activity the bot answers nothing to, so nothing is sent to the connector that is not there."""
    return {
        "type": "typing",
        "id": "typing-1",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:someone"},
        "recipient": {"id": "28:bot"},
        "conversation": {"id": "a:1", "conversationType": "personal"},
    }


async def post(server: ServerProcess, headers: dict[str, str] | None = None) -> int:
    url = f"http://127.0.0.1:{server.port}{MESSAGES_PATH}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json=typing_activity(EMULATOR["TEAMS_SERVICE_URL"]), headers=headers) as r,
    ):
        return r.status


async def test_serve_connects_teams_without_an_app_id_only_with_local_chat(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tyhy.db'}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    env = {"TYHY_DATABASE_URL": url, "TYHY_LOG_LEVEL": "INFO", **EMULATOR}

    plain = ServerProcess(env, tmp_path / "plain.log").start()
    try:
        await plain.wait_until("up")
        assert await post(plain) == 404  # no /api/messages at all
        assert NOT_CONNECTED in plain.output()
    finally:
        plain.stop()

    local = ServerProcess(env, tmp_path / "local.log", args=["--local-chat"]).start()
    try:
        await local.wait_until("up")
        assert await post(local) == 200  # the emulator on this machine
        assert await post(local, {"X-Forwarded-For": "192.0.2.7"}) == 401
        assert NOT_CONNECTED not in local.output()
    finally:
        local.stop()
