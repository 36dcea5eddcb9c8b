"""Which chat platforms this server speaks to: each one whose credentials are set is connected at start."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from aiohttp import web

from adapters.common.interactions import Interactions, Outbox
from adapters.server.runtime import BotRuntime
from bot.organisation import Platform
from storage.db import Database
from storage.platform_repository import PlatformRepository

logger = logging.getLogger(__name__)


def connect_platforms(
    app: web.Application,
    db: Database,
    runtime: BotRuntime,
    environ: Mapping[str, str] = os.environ,
    *,
    for_this_computer: bool = False,
) -> list[Platform]:
    """Mount each configured platform's routes and give the outbox its port; returns the platforms connected.

    `for_this_computer` is the web chat's condition (`serve --demo` or `--local-chat`, on a loopback address):
    only then is a platform that takes requests without credentials connected, as Teams without an app id does.
    """
    connected: list[Platform] = []
    # Channel posts, messages to others and answers that met a 429 go through the outbox the round uses.
    outbox = Outbox(runtime.outbox.enqueue, runtime.worker.wake, runtime.outbox.enqueue_latest)
    interactions = Interactions(runtime.conversation, lambda: runtime.ports, outbox=outbox)

    from adapters.slack.settings import SlackSettings  # the SDKs load only when a server starts

    slack = SlackSettings.from_env(environ)
    if slack.configured:
        from adapters.slack.app import SlackAdapter
        from adapters.slack.port import SlackChatPort

        conversations = PlatformRepository(db)
        oauth = None
        if slack.multi_workspace:  # client id + secret + signing secret: installed per workspace by OAuth
            from adapters.slack.oauth import SlackOAuth

            oauth = SlackOAuth(slack, db)
            port = SlackChatPort.installed(slack.api_url, conversations, oauth.installations.bot_token)
        else:
            port = SlackChatPort.connect(slack.bot_token, slack.api_url, conversations)
        runtime.add_port(Platform.SLACK, port)
        adapter = SlackAdapter(slack, db, interactions, port, runtime.clock, oauth)
        adapter.routes(app)
        if slack.uses_socket_mode:
            from adapters.slack.socket_mode import SlackSocketMode

            SlackSocketMode(adapter.bolt, slack.app_token, slack.api_url).attach(app)
        connected.append(Platform.SLACK)

    from adapters.teams.settings import TeamsSettings

    teams = TeamsSettings.from_env(environ)
    if teams.configured and not teams.app_id and not for_this_computer:
        logger.warning(
            "Teams not connected: without MICROSOFT_APP_ID it takes requests unsigned, so only with serve --demo or "
            "--local-chat on a loopback address"
        )
    elif teams.configured:
        from adapters.teams.app import TeamsAdapter
        from adapters.teams.port import TeamsChatPort

        teams_port = TeamsChatPort.connect(teams, PlatformRepository(db))
        runtime.add_port(Platform.TEAMS, teams_port)
        teams_adapter = TeamsAdapter(
            teams, db, interactions, teams_port, runtime.clock, wake_outbox=runtime.worker.wake
        )
        teams_adapter.routes(app)

        async def close_teams(_: web.Application) -> None:
            await teams_adapter.idle()  # the work started after answering finishes before the pools close
            await teams_port.close()

        app.on_cleanup.append(close_teams)
        connected.append(Platform.TEAMS)
    return connected
