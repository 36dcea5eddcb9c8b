"""The baseline for bench.slack_interaction: a bare bolt app that verifies the signature and only acks.

`python -m bench.bare_slack_app SECRET` serves POST /slack/events on 127.0.0.1, prints its port, and stops when its
standard input closes.
"""

from __future__ import annotations

import asyncio
import re
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.ack.async_ack import AsyncAck

from bench.child_server import serve_until_released


def build(secret: str) -> web.Application:
    async def authorize(**_: object) -> AuthorizeResult:
        # Known at once, with no auth.test call: the baseline does no network work of its own.
        return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-bare", bot_user_id="UBOT", bot_id="B1")

    bolt = AsyncApp(signing_secret=secret, authorize=authorize)

    @bolt.action(re.compile(".*"))
    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


if __name__ == "__main__":
    asyncio.run(serve_until_released(build(sys.argv[1])))
