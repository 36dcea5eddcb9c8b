"""Socket Mode for local development: Slack's requests arrive over a WebSocket the server opens, no public URL needed.

Set SLACK_SOCKET_MODE=1 and SLACK_APP_TOKEN=xapp-… (an app-level token with the connections:write scope, made
under Basic Information > App-Level Tokens) and turn Socket Mode on in the Slack app's settings. Requests reach the
same bolt app and listeners as over HTTP; Slack signs nothing here, the authenticated socket is what is trusted.
Not for production: Marketplace apps must use HTTP, and each of up to 10 sockets gets a random share of the events.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

logger = logging.getLogger(__name__)


class SlackSocketMode:
    """Opens the socket when the server starts and closes it when the server stops."""

    def __init__(self, bolt: AsyncApp, app_token: str, api_url: str) -> None:
        self.bolt = bolt
        self.app_token = app_token
        self.api_url = api_url  # apps.connections.open is asked here, so a fake Slack can hand out its own socket
        self.handler: AsyncSocketModeHandler | None = None

    def attach(self, app: web.Application) -> None:
        """Start and stop with an aiohttp server."""
        app.on_startup.append(self._on_startup)
        app.on_cleanup.append(self._on_cleanup)

    async def start(self) -> None:
        # Built here, not in __init__: the SDK's socket client starts a task, which needs the running loop.
        client = AsyncWebClient(base_url=self.api_url, retry_handlers=[])
        self.handler = AsyncSocketModeHandler(self.bolt, self.app_token, logger=logger, web_client=client)
        await self.handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it untyped
        logger.info("Slack Socket Mode connected")

    async def stop(self) -> None:
        if self.handler is not None:
            await self.handler.close_async()  # type: ignore[no-untyped-call]  # bolt leaves it untyped
            self.handler = None

    async def _on_startup(self, _app: web.Application) -> None:
        await self.start()

    async def _on_cleanup(self, _app: web.Application) -> None:
        await self.stop()
