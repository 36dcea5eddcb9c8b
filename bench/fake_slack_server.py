"""The fake Slack Web API in a process of its own, for benches: Slack answers from elsewhere, not from the loop
that generates the load (which would otherwise spend its time answering our server's chat.update calls).

`python -m bench.fake_slack_server` serves the fake (the same routes as the tests' fake_slack) on 127.0.0.1,
prints its port, and stops when its standard input closes. GET /bench/counts tells the bench the cards redrawn.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bench.child_server import serve_until_released
from tests.fakes.slack_api import FakeSlack


def build() -> web.Application:
    fake = FakeSlack()

    async def counts(_: web.Request) -> web.Response:
        redrawn = len(fake.called("chat.update")) + len(fake.responses())
        posted = fake.called("chat.postMessage")
        channels = len({call.body.get("channel") for call in posted})
        return web.json_response({"posted": len(posted), "posted_conversations": channels, "redrawn": redrawn})

    app = fake.application()
    app.router.add_get("/bench/counts", counts)
    return app


if __name__ == "__main__":
    asyncio.run(serve_until_released(build()))
