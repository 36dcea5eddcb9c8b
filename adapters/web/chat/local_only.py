"""The web chat has no sign-in, so it answers only on this computer: loopback addresses, same-origin posts."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


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
    """Why a request must not reach the chat, or None when it may.

    The Host must name this computer, so a web page whose domain was pointed at 127.0.0.1 (DNS rebinding) gets
    nothing; and a POST must come from the chat's own pages, so another site's form cannot act as anyone.
    """
    if not is_loopback(_hostname(request.host)):
        return "the web chat answers only on a loopback address such as 127.0.0.1"
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


def local_only(handler: Handler) -> Handler:
    """The handler, behind the checks of `refusal`: a plain 403 otherwise."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        reason = refusal(request)
        if reason is not None:
            return web.Response(status=403, text=reason + "\n")
        return await handler(request)

    return guarded
