"""Which chat platforms this server speaks to: each one whose credentials are set is connected at start."""

from __future__ import annotations

import os
from collections.abc import Mapping

from aiohttp import web

from adapters.interactions import Interactions
from adapters.runtime import BotRuntime
from bot.organisation import Platform
from storage.db import Database
from storage.platform_repository import PlatformRepository


def connect_platforms(
    app: web.Application, db: Database, runtime: BotRuntime, environ: Mapping[str, str] = os.environ
) -> list[Platform]:
    """Mount each configured platform's routes and give the outbox its port; returns the platforms connected."""
    connected: list[Platform] = []
    interactions = Interactions(runtime.conversation, lambda: runtime.ports)

    from adapters.slack.settings import SlackSettings  # the SDKs load only when a server starts

    slack = SlackSettings.from_env(environ)
    if slack.configured:
        from adapters.slack.app import SlackAdapter
        from adapters.slack.port import SlackChatPort

        port = SlackChatPort.connect(slack.bot_token, slack.api_url, PlatformRepository(db))
        runtime.add_port(Platform.SLACK, port)
        SlackAdapter(slack, db, interactions, port, runtime.clock).routes(app)
        connected.append(Platform.SLACK)
    return connected
