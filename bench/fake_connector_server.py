"""The fake Bot Framework connector in a process of its own, for benches: Teams answers from elsewhere, not from the
loop that generates the load (which would otherwise spend its time answering the bots' sends and redraws).

`python -m bench.fake_connector_server` serves the fake (the same routes as the tests' fake_connector) on 127.0.0.1,
prints its port, and stops when its standard input closes. GET /bench/counts tells the bench what reached it.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bench.bare_teams_bot import REPLY
from bench.child_server import serve_until_released
from tests.fakes.bf_connector import FakeConnector, application


def build() -> web.Application:
    fake = FakeConnector()

    async def counts(_: web.Request) -> web.Response:
        replies = sum(1 for _, activity in fake.sent if activity.get("text") == REPLY)
        posted = fake.posted()  # sent to a conversation, or posted with the conversation's creation
        conversations = len({conversation for conversation, _ in posted})
        counted = {"sent": len(fake.sent), "posted": len(posted), "posted_conversations": conversations}
        counted["updated"] = len(fake.updated)
        return web.json_response({**counted, "bare_replies": replies})

    app = application(fake)
    app.router.add_get("/bench/counts", counts)
    return app


if __name__ == "__main__":
    asyncio.run(serve_until_released(build()))
