"""One HTTP session for every Slack Web API call the server makes: connections kept alive from call to call.

Given no session, slack_sdk opens a new one for each call and closes it after it: a new TCP connection, and
against Slack a new TLS handshake, for every message sent. Profiling bench.slack_interaction showed a third of
the server's time spent opening and closing sockets.
"""

from __future__ import annotations

from collections.abc import Iterable

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient


def share_one_session(app: web.Application, clients: Iterable[AsyncWebClient]) -> None:
    """From the server's start to its stop, the clients (and the clients bolt makes from them) share one session.

    It is opened on the running loop, as aiohttp wants; a client used outside the server keeps slack_sdk's own
    session per call.
    """
    sharing = list(clients)
    opened: list[aiohttp.ClientSession] = []

    async def open_session(_: web.Application) -> None:
        # slack_sdk applies its timeout only to the sessions it makes itself: this one carries it instead.
        timeout = aiohttp.ClientTimeout(total=max(client.timeout for client in sharing))
        session = aiohttp.ClientSession(timeout=timeout)
        opened.append(session)
        for client in sharing:
            client.session = session

    async def close_session(_: web.Application) -> None:
        for client in sharing:
            client.session = None
        for session in opened:
            await session.close()

    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
