"""Whether a dashboard request came over HTTPS, also behind the TLS proxy, and the HSTS header it then earns."""

from __future__ import annotations

import os

from aiohttp import web

PUBLIC_URL_ENV = "TYHY_PUBLIC_URL"
# A year, the usual minimum for browsers' preload lists; the dashboard has no plain-HTTP page worth keeping.
HSTS = "max-age=31536000"


def came_over_https(request: web.Request) -> bool:
    """True when the person's browser spoke HTTPS to us: directly, or to the TLS proxy in front of the server.

    The documented deployment ends TLS at a proxy that sends X-Forwarded-Proto; a forged one can only make the
    cookie stricter, never looser. TYHY_PUBLIC_URL with https says the same for a proxy that sends nothing.
    """
    if request.secure or request.headers.get("X-Forwarded-Proto", "").strip().lower() == "https":
        return True
    return os.environ.get(PUBLIC_URL_ENV, "").lower().startswith("https://")


async def add_hsts(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every answer given over HTTPS tells the browser to use nothing else."""
    if came_over_https(request):
        response.headers["Strict-Transport-Security"] = HSTS
