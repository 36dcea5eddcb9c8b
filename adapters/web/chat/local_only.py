"""The web chat has no sign-in, so it answers only this computer's browser: loopback, no proxy, the start's key."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})
# A reverse proxy on this computer connects from 127.0.0.1 and, with nginx's defaults, even sends Host: 127.0.0.1;
# what gives it away is the header it adds. Whoever reaches the chat through one may be anywhere on the network.
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Via")
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


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, [::1] and localhost: where only this computer can connect.

    The server's own listening address is checked with this before the chat is mounted at all.
    """
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(netloc: str) -> str:
    # urlsplit understands "[::1]:3978" and "localhost:3978"; a bare host has no port to drop.
    return urlsplit(f"//{netloc}").hostname or ""


def refusal(request: web.Request) -> str | None:
    """Why a request must not reach the chat at all, or None when it may.

    The Host must name this computer, so a web page whose domain was pointed at 127.0.0.1 (DNS rebinding) gets
    nothing; nothing may come through a proxy; and a POST must come from the chat's own pages, so another site's
    form cannot act as anyone. Who may act is then the start's key's to say (`holds_key`).
    """
    if not is_loopback(_hostname(request.host)):
        return "the web chat answers only on a loopback address such as 127.0.0.1"
    if any(name in request.headers for name in PROXY_HEADERS):
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
