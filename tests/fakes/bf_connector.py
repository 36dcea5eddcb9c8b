"""A fake Bot Framework connector (Teams' serviceUrl) on 127.0.0.1: records what the bot asked, fails on request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

# What `fail` names: one per connector operation the bot calls.
CREATE, SEND, UPDATE, MEMBERS, MEMBER = "create", "send", "update", "members", "member"
KINDS = (CREATE, SEND, UPDATE, MEMBERS, MEMBER)

# The error codes Teams answers with (msteams-docs: bots/build-conversational-capability, rate-limit).
_CODES = {
    400: "BadArgument",
    401: "Unauthorized",
    403: "ConversationBlockedByUser",
    404: "ConversationNotFound",
    412: "PreconditionFailed",
    429: "Throttled",
    502: "ServiceError",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}
# Teams reads the tenant of a new conversation from channelData.tenant.id; without it the create is refused
# (botbuilder-js #685, botbuilder-dotnet #1203: 400 {"error": {"code": "BadSyntax", "message": "Could not parse
# tenant id"}}).
NO_TENANT = "Could not parse tenant id"
# Teams clamps a roster page: "less than 50 are treated as 50 … greater than 500 are capped at 500".
PAGE_MIN, PAGE_MAX, PAGE_DEFAULT = 50, 500, 200


def account(
    user_id: str, name: str, *, email: str = "", upn: str = "", aad_object_id: str = "", tenant_id: str = ""
) -> dict[str, Any]:
    """A roster member as Teams lists it: a TeamsChannelAccount (Bot Connector REST API, botbuilder-schema)."""
    given, _, surname = name.partition(" ")
    member: dict[str, Any] = {"id": user_id, "name": name, "givenName": given, "surname": surname, "userRole": "user"}
    member |= {"aadObjectId": aad_object_id} if aad_object_id else {}
    member |= {"email": email} if email else {}
    member |= {"userPrincipalName": upn or email} if (upn or email) else {}
    member |= {"tenantId": tenant_id} if tenant_id else {}
    return member


@dataclass(frozen=True)
class Request:
    """One request as the fake received it: what, where, and the Authorization header it carried ("" if none)."""

    kind: str
    conversation: str  # "" for create
    body: Any
    authorization: str
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    """Answer the next `times` requests of a kind with this status (and Retry-After, error code)."""

    status: int
    times: int
    retry_after: float | str | None = None
    code: str = ""


@dataclass
class FakeConnector:
    """The connector as the fake knows it: rosters to serve, and everything the bot sent."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    conversations_created: list[dict[str, Any]] = field(default_factory=list)
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updated: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    roster: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    delay: float = 0.0  # seconds each request takes, to keep messages in flight
    page_min: int = PAGE_MIN
    # A tenant throttled as a whole: until this monotonic time every request is answered 429 (throttle()).
    throttled_until: float = 0.0
    throttle_retry_after: float | str = 1
    _ids: count[int] = field(default_factory=lambda: count(1))

    def fail(
        self, path_kind: str, status: int, times: int = 1, retry_after: float | str | None = None, code: str = ""
    ) -> None:
        """Answer the next `times` requests of `path_kind` (create, send, update, members) with `status`."""
        if path_kind not in KINDS:
            raise ValueError(f"unknown request kind {path_kind!r}: one of {KINDS}")
        self.failures.setdefault(path_kind, []).append(Failure(status, times, retry_after, code))

    def throttle(self, seconds: float, retry_after: float | str = 1) -> None:
        """Answer every request 429 for `seconds` from now, each with this Retry-After (seconds or an HTTP date).

        Bot Framework: "HTTP 429 … wait for the period specified in the Retry-After response header"
        (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
        """
        self.throttled_until = time.monotonic() + seconds
        self.throttle_retry_after = retry_after

    def of(self, kind: str) -> list[Request]:
        """The requests of one kind, in order."""
        return [request for request in self.requests if request.kind == kind]

    def posted(self) -> list[tuple[str, dict[str, Any]]]:
        """Every message that reached a conversation, in order: sent ones and channel posts made by create."""
        out: list[tuple[str, dict[str, Any]]] = []
        for request in self.requests:
            if request.kind == SEND:
                out.append((request.conversation, request.body))
            elif request.kind == CREATE and isinstance(request.body.get("activity"), dict):
                out.append((_channel(request.body), request.body["activity"]))
        return out

    # --- handlers ---------------------------------------------------------------------------------------------

    async def create(self, request: web.Request) -> web.Response:
        body = await self._record(CREATE, request)
        failed = self._failed(CREATE)
        if failed is not None:
            return failed
        if not _tenant(body):
            return _error(400, "BadSyntax", message=NO_TENANT)
        self.conversations_created.append(body)
        number = next(self._ids)
        activity_id = str(1700000000000 + number)
        channel = _channel(body)
        if body.get("isGroup") and channel:
            # A new top-level channel post: Teams names the thread after the post's activity id.
            return web.json_response({"id": f"{channel};messageid={activity_id}", "activityId": activity_id})
        members = body.get("members") or [{}]
        answer: dict[str, Any] = {"id": f"a:{members[0].get('id', number)}"}
        if isinstance(body.get("activity"), dict):
            answer["activityId"] = activity_id
        return web.json_response(answer)

    async def send(self, request: web.Request) -> web.Response:
        body = await self._record(SEND, request)
        failed = self._failed(SEND)
        if failed is not None:
            return failed
        self.sent.append((request.match_info["conversation"], body))
        return web.json_response({"id": str(1700000000000 + next(self._ids))})

    async def update(self, request: web.Request) -> web.Response:
        body = await self._record(UPDATE, request)
        failed = self._failed(UPDATE)
        if failed is not None:
            return failed
        activity_id = request.match_info["activity"]
        self.updated.append((request.match_info["conversation"], activity_id, body))
        return web.json_response({"id": activity_id})

    async def members(self, request: web.Request) -> web.Response:
        await self._record(MEMBERS, request)
        failed = self._failed(MEMBERS)
        if failed is not None:
            return failed
        conversation = request.match_info["conversation"]
        if conversation not in self.roster:
            return _error(404, _CODES[404])
        size = min(PAGE_MAX, max(self.page_min, int(request.query.get("pageSize") or PAGE_DEFAULT)))
        start = int(request.query.get("continuationToken") or 0)
        people = self.roster[conversation]
        page: dict[str, Any] = {"members": people[start : start + size]}
        if start + size < len(people):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)

    async def member(self, request: web.Request) -> web.Response:
        """One member of a conversation (GetConversationMember), from the same roster as the pages.

        Teams finds a person by their Teams id, UPN or Azure AD object id (msteams-docs get-teams-context, "Get single
        member details"), and answers 404 MemberNotFoundInConversation for someone not in the conversation.
        """
        await self._record(MEMBER, request)
        failed = self._failed(MEMBER)
        if failed is not None:
            return failed
        wanted = request.match_info["member"].casefold()
        people = self.roster.get(request.match_info["conversation"], [])
        keys = ("id", "aadObjectId", "userPrincipalName")
        found = next((p for p in people if wanted in (str(p.get(key, "")).casefold() for key in keys)), None)
        return web.json_response(found) if found is not None else _error(404, "MemberNotFoundInConversation")

    async def _record(self, kind: str, request: web.Request) -> Any:
        body = await request.json() if request.can_read_body else None
        conversation = request.match_info.get("conversation", "")
        authorization = request.headers.get("Authorization", "")
        self.requests.append(Request(kind, conversation, body, authorization, dict(request.query)))
        if self.delay:
            await asyncio.sleep(self.delay)
        return body

    def _failed(self, kind: str) -> web.Response | None:
        if time.monotonic() < self.throttled_until:
            return _error(429, _CODES[429], {"Retry-After": str(self.throttle_retry_after)})
        queue = self.failures.get(kind, [])
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        return _error(failure.status, failure.code or _CODES.get(failure.status, "ServiceError"), headers)


def _channel(body: dict[str, Any]) -> str:
    data = body.get("channelData") or {}
    return str((data.get("channel") or {}).get("id", ""))


def _tenant(body: Any) -> str:
    data = body.get("channelData") if isinstance(body, dict) else None
    tenant = (data.get("tenant") if isinstance(data, dict) else None) or {}
    return str(tenant.get("id") or "") if isinstance(tenant, dict) else ""


def _error(status: int, code: str, headers: dict[str, str] | None = None, message: str = "") -> web.Response:
    body = {"error": {"code": code, "message": message or f"fake connector: {code}"}}
    return web.json_response(body, status=status, headers=headers)


def application(fake: FakeConnector) -> web.Application:
    """The connector's routes answered by the fake (a bench serves them from a process of its own)."""
    app = web.Application()
    app.router.add_post("/v3/conversations", fake.create)
    app.router.add_post("/v3/conversations/{conversation}/activities", fake.send)
    app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", fake.update)
    app.router.add_get("/v3/conversations/{conversation}/pagedmembers", fake.members)
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", fake.member)
    return app


@asynccontextmanager
async def fake_connector() -> AsyncIterator[FakeConnector]:
    """The fake, listening on a free loopback port; `url` is its serviceUrl (ends with "/")."""
    fake = FakeConnector()
    runner = web.AppRunner(application(fake), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
    try:
        yield fake
    finally:
        await runner.cleanup()
