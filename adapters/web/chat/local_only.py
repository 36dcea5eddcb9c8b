"""The web chat has no sign-in, so it answers only this computer's browser: loopback, no proxy, the start's key."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.common.local_requests import came_through_proxy, hostname, is_loopback

KEY_COOKIE = "tyhy_chat"
ENTRY_PATH = "/enter"


def new_key() -> str:
    """The key of one server start: printed in the chat's link, so only who can read the console gets in."""
    return secrets.token_urlsafe(24)


def entry_url(base_url: str, key: str) -> str:
    """The link that opens the chat in a browser: it leaves the key in a cookie and goes on to the picker."""
    return f"{base_url.rstrip('/')}{ENTRY_PATH}?key={key}"


def holds_key(request: web.Request, key: str) -> bool:
    return hmac.compare_digest(request.cookies.get(KEY_COOKIE, "").encode(), key.encode())


def refusal(request: web.Request) -> str | None:
    """Why a request must not reach the chat at all, or None when it may.

    The Host must name this computer, so a web page whose domain was pointed at 127.0.0.1 (DNS rebinding) gets
    nothing; nothing may come through a proxy; and a POST must come from the chat's own pages, so another site's
    form cannot act as anyone. Who may act is then the start's key's to say (`holds_key`).
    """
    if not is_loopback(hostname(request.host)):
        return "the web chat answers only on a loopback address such as 127.0.0.1"
    if came_through_proxy(request.headers):
        return "the web chat does not answer through a proxy"
    if request.method == "POST":
        # Browsers say where a form came from: Sec-Fetch-Site, and Origin, which is "null" from sandboxed frames
        # and from pages that send no referrer (the chat's own pages send it to themselves: same-origin policy).
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site is not None and site not in ("same-origin", "none"):
            return "the web chat takes forms only from its own pages"
        if origin is not None and (origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower()):
            return "the web chat takes forms only from its own pages"
    return None


def local_only(handler: Handler, key: str, without_key: Handler) -> Handler:
    """The handler, behind `refusal` (a plain 403) and the start's key (`without_key` answers who lacks it)."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        reason = refusal(request)
        if reason is not None:
            return web.Response(status=403, text=reason + "\n")
        if not holds_key(request, key):
            return await without_key(request)
        return await handler(request)

    return guarded
