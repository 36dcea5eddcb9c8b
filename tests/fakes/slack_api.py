"""A fake Slack Web API on 127.0.0.1: answers the methods the bot calls, records each call, fails on request."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web


@dataclass
class Call:
    """One request as the fake received it."""

    method: str
    body: dict[str, Any]
    token: str


@dataclass
class Failure:
    """Answer the next `times` calls of a method this way: an HTTP status (429, 500 ...) or a Slack error code."""

    times: int
    status: int = 200
    error: str = ""
    retry_after: int | None = None


@dataclass
class FakeSlack:
    """The workspace as the fake knows it, and everything the bot asked of it."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"name", "locale", "tz"}
    members: dict[str, list[str]] = field(default_factory=dict)  # channel id -> user ids
    delay: float = 0.0  # seconds each call takes, to keep messages in flight
    _ts: count[int] = field(default_factory=lambda: count(1))
    url: str = ""

    def fail(self, method: str, times: int = 1, *, status: int = 200, error: str = "", retry_after: int | None = None):
        self.failures.setdefault(method, []).append(Failure(times, status, error, retry_after))

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        # slack_sdk sends some arguments as the query string, others as a form or JSON body: take them all.
        body: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body.update(await request.json())
        else:
            body.update((await request.post()).items())
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call(method, body, token))
        if self.delay:
            await asyncio.sleep(self.delay)
        failure = self._failure(method)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            error = failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")
            return web.json_response({"ok": False, "error": error}, status=failure.status, headers=headers)
        return web.json_response(self._answer(method, body))

    def _failure(self, method: str) -> Failure | None:
        queue = self.failures.get(method, [])
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1", "team": "Esimerkkilä"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "")).lstrip("U")}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method == "users.info":
            user = self.users.get(str(body.get("user")), {})
            return {"ok": True, "user": {"id": body.get("user"), "real_name": user.get("name", ""), **user}}
        if method == "conversations.members":
            return {"ok": True, "members": self.members.get(str(body.get("channel")), [])}
        return {"ok": True}


@asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake, listening on a free loopback port; `url` is its Web API base ("…/api/")."""
    fake = FakeSlack()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", fake.handle)  # slack_sdk GETs some methods (conversations.members)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/"
    try:
        yield fake
    finally:
        await runner.cleanup()
