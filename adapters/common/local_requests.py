"""Whether a request came straight from a program on this computer: what every door without sign-in relies on."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})
# A reverse proxy on this computer connects from 127.0.0.1 and, with nginx's defaults, even sends Host: 127.0.0.1;
# what gives it away is the header it adds. Whoever reaches a door through one may be anywhere on the network.
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Via")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, [::1] and localhost: where only this computer can connect."""
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def hostname(netloc: str) -> str:
    """The host of a Host header: urlsplit understands "[::1]:3978" and "localhost:3978"."""
    try:
        return urlsplit(f"//{netloc}").hostname or ""
    except ValueError:  # "[not an address]:1" and other shapes no browser or emulator sends
        return ""


def came_through_proxy(headers: Mapping[str, str]) -> bool:
    return any(name in headers for name in PROXY_HEADERS)


def not_from_this_computer(remote: str | None, host: str, headers: Mapping[str, str]) -> str | None:
    """Why a request cannot be taken as sent straight from this computer, or None when it can.

    The peer must be a loopback address; the Host must name this computer, so a web page whose domain was pointed
    at 127.0.0.1 (DNS rebinding) gets nothing; and nothing may come through a proxy.
    """
    if not remote or not is_loopback(remote):
        return "it came from another machine"
    if not is_loopback(hostname(host)):
        return "its Host is not a loopback address"
    if came_through_proxy(headers):
        return "it came through a proxy"
    return None
