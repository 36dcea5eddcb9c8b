"""A fake Slack Web API on 127.0.0.1: answers the methods the bot calls, records each call, fails on request.

It also plays Slack's side of an OAuth install (the consent page and oauth.v2.access) and of Socket Mode
(apps.connections.open and a WebSocket that sends envelopes and records the acks).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import WSMsgType, web

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
TEAM_NAMES = {"T1": "Esimerkkilä", "T2": "Toinen Oy"}


@dataclass
class Call:
    """One request as the fake received it."""

    method: str
    body: dict[str, Any]
    token: str
    connection: str = ""  # the caller's address and port: calls over one kept-alive connection share it
    error: str = ""  # the error the fake answered with ("ratelimited", "not_in_channel" …); "" when it succeeded
    url: str = ""  # for a response_url, which one (its path)
    answer: dict[str, Any] = field(default_factory=dict)  # what the fake answered (a posted message's ts)


@dataclass
class Failure:
    """Answer the next `times` calls of a method this way: an HTTP status (429, 500 ...) or a Slack error code.

    Slack's 429 says how long to wait in Retry-After, in seconds (docs.slack.dev/apis/web-api/rate-limits); a
    string is sent as it is, so a test can also send an HTTP date as HTTP allows (RFC 9110 section 10.2.3).
    """

    times: int
    status: int = 200
    error: str = ""
    retry_after: int | str | None = None


@dataclass
class FakeSlack:
    """The workspace as the fake knows it, and everything the bot asked of it."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"name", "locale", "tz"}
    members: dict[str, list[str]] = field(default_factory=dict)  # channel id -> user ids
    # Channels the bot is not in: chat.postMessage there answers not_in_channel, as Slack does for an app without
    # chat:write.public (docs.slack.dev/reference/methods/chat.postMessage, "Errors").
    outside: set[str] = field(default_factory=set)
    delay: float = 0.0  # seconds each call takes, to keep messages in flight
    # A workspace throttled as a whole: until this monotonic time every Web API call is answered 429 (throttle()).
    throttled_until: float = 0.0
    throttle_retry_after: int = 1
    throttled_methods: frozenset[str] = frozenset()  # empty: every method
    _ts: count[int] = field(default_factory=lambda: count(1))
    url: str = ""
    # OAuth: the app's Redirect URL as configured in Slack, codes handed out (code -> team id), tokens issued.
    redirect_url: str = ""
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # bot token -> team id, for auth.test
    _codes: count[int] = field(default_factory=lambda: count(1))
    # Socket Mode: the socket's address, the open sockets and every ack received.
    socket_url: str = ""
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    _acked: asyncio.Condition = field(default_factory=asyncio.Condition)
    # response_urls handed out with slash commands and interactions, and how often each was used.
    _responses: count[int] = field(default_factory=lambda: count(1))
    response_uses: dict[str, int] = field(default_factory=dict)

    def fail(
        self, method: str, times: int = 1, *, status: int = 200, error: str = "", retry_after: int | str | None = None
    ) -> None:
        self.failures.setdefault(method, []).append(Failure(times, status, error, retry_after))

    def throttle(self, seconds: float, retry_after: int = 1, methods: tuple[str, ...] = ()) -> None:
        """Answer Web API calls (these methods, else all) 429 for `seconds` from now, each with Retry-After in whole
        seconds as Slack sends it."""
        self.throttled_until = time.monotonic() + seconds
        self.throttle_retry_after = retry_after
        self.throttled_methods = frozenset(methods)

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def accepted(self, method: str) -> list[Call]:
        """The calls of a method Slack answered ok: the messages that really arrived."""
        return [call for call in self.called(method) if not call.error]

    def application(self) -> web.Application:
        """The fake's routes: the Web API, the OAuth authorize page and the Socket Mode socket."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.handle)  # slack_sdk GETs some methods (conversations.members)
        app.router.add_get("/oauth/v2/authorize", self.authorize)
        app.router.add_get("/socket", self.socket)
        app.router.add_post("/{kind:commands|actions}/{team}/{id}/{secret}", self.respond)
        return app

    def response_url(self, kind: str = "commands") -> str:
        """A fresh response_url as Slack puts in a slash command ("commands") or an interaction ("actions")."""
        base = self.url.removesuffix("/api/")
        return f"{base}/{kind}/T1/{next(self._responses)}/secret{uuid.uuid4().hex[:8]}"

    def responses(self) -> list[Call]:
        """What the app posted to response_urls, in order (the method is "response_url", the body its JSON)."""
        return self.called("response_url")

    async def respond(self, request: web.Request) -> web.Response:
        """A response_url: JSON in; at most five uses (docs.slack.dev/interactivity/handling-user-interaction)."""
        self.calls.append(Call("response_url", await request.json(), "", url=request.path))
        uses = self.response_uses[request.path] = self.response_uses.get(request.path, 0) + 1
        if uses > 5:
            return web.Response(status=404, text="used_url")
        return web.Response(text="ok")

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
        peer = request.transport.get_extra_info("peername") if request.transport else None
        call = Call(method, body, token, f"{peer[0]}:{peer[1]}" if peer else "")
        self.calls.append(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        throttled = not self.throttled_methods or method in self.throttled_methods
        if throttled and time.monotonic() < self.throttled_until and method != "oauth.v2.access":
            failure: Failure | None = Failure(1, 429, "ratelimited", self.throttle_retry_after)
        else:
            failure = self._failure(method)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            error = failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")
            call.error = error
            return web.json_response({"ok": False, "error": error}, status=failure.status, headers=headers)
        if method == "oauth.v2.access":
            return web.json_response(self._oauth_access(body, request.headers.get("Authorization", "")))
        answer = call.answer = self._answer(method, body, token)
        call.error = "" if answer.get("ok") else str(answer.get("error", ""))
        return web.json_response(answer)

    async def authorize(self, request: web.Request) -> web.Response:
        """Slack's consent page, already clicked: back to the app's Redirect URL with a code (or the refusal)."""
        query = dict(request.query)
        self.calls.append(Call("oauth/v2/authorize", query, ""))
        target = query.get("redirect_uri") or self.redirect_url
        state = query.get("state", "")
        if query.get("client_id") != CLIENT_ID:
            return web.Response(status=400, text="invalid_client_id")
        if "deny" in query:  # a test's way of saying the admin pressed Cancel
            raise web.HTTPFound(f"{target}?error=access_denied&state={state}")
        code = f"code-{next(self._codes)}"
        self.codes[code] = query.get("team") or "T1"
        raise web.HTTPFound(f"{target}?code={code}&state={state}")

    def _oauth_access(self, body: dict[str, Any], authorization: str) -> dict[str, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        team = self.codes.pop(str(body.get("code", "")), None)  # a code works once
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team}-{uuid.uuid4().hex[:8]}"
        self.tokens[token] = team
        return {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": "UADMIN"},
            "scope": "chat:write,commands,im:write,users:read,users:read.email",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": "UBOT",
            "team": {"id": team, "name": TEAM_NAMES.get(team, team)},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode's WebSocket: says hello, then records every ack the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": len(self.sockets)})
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                async with self._acked:
                    self.acks.append(json.loads(message.data))
                    self._acked.notify_all()
        self.sockets.remove(ws)
        return ws

    async def push(self, kind: str, payload: dict[str, Any]) -> str:
        """Send one envelope (events_api, interactive, slash_commands) down the newest socket; its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": False}
        await self.sockets[-1].send_json(envelope)
        return envelope_id

    async def ack_of(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the app's ack of an envelope."""
        async with self._acked:
            await self._acked.wait_for(lambda: any(a.get("envelope_id") == envelope_id for a in self.acks))
        return next(a for a in self.acks if a.get("envelope_id") == envelope_id)

    def _failure(self, method: str) -> Failure | None:
        queue = self.failures.get(method, [])
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _answer(self, method: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            team = self.tokens.get(token, "T1")
            return {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": "B1", "team": TEAM_NAMES.get(team, team)}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "")).lstrip("U")}}
        if method == "chat.postMessage" and body.get("channel") in self.outside:
            return {"ok": False, "error": "not_in_channel"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "chat.postEphemeral":  # only the ts; an ephemeral message cannot be updated by chat.update
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method == "users.info":
            user = self.users.get(str(body.get("user")), {})
            return {"ok": True, "user": {"id": body.get("user"), "real_name": user.get("name", ""), **user}}
        if method == "conversations.members":
            return {"ok": True, "members": self.members.get(str(body.get("channel")), [])}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            # Slack answers with the view as stored, under an id that views.update can name later.
            view: dict[str, Any] = body["view"] if isinstance(body.get("view"), dict) else {}
            return {"ok": True, "view": {"id": body.get("view_id") or f"V{ts.rpartition('.')[2]}", **view}}
        return {"ok": True}


@asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake, listening on a free loopback port; `url` is its Web API base ("…/api/")."""
    fake = FakeSlack()
    runner = web.AppRunner(fake.application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/"
    fake.socket_url = f"ws://127.0.0.1:{runner.addresses[0][1]}/socket"
    try:
        yield fake
    finally:
        for ws in list(fake.sockets):  # an open socket would hold the server's shutdown up
            await ws.close()
        await runner.cleanup()
