"""A fake chat platform on loopback for the fan-out bench: counts every message it accepts, throttles like Slack.

It runs in a process of its own (`python -m bench.fanout_endpoint` prints its port), so the bot being measured
has the interpreter to itself, as it would against a real platform.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bench.child_server import serve_until_released

SEND_PATH = "/api/chat.postMessage"


def message_identity(encoded: dict[str, Any]) -> str:
    """Who a message is for: one round sends one card per person, so this names each expected message once."""
    to = encoded["to"]
    return f"{to['platform']}:{to['workspace']}:{to['user_id'] or to['channel_id']}:{encoded.get('member_id')}"


@dataclass
class TokenBucket:
    """`per_second` requests on average, `burst` at once; `take` says how long to wait when empty."""

    per_second: float
    burst: float
    tokens: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self) -> float:
        """0 when a request is admitted, else the seconds until one would be."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


@dataclass
class FakePlatform:
    """The endpoint's state: accepted messages by identity, how many were refused, when the first and last came."""

    bucket: TokenBucket | None = None
    received: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    first_at: float | None = None  # time.time(): comparable with the bench's clock in the other process
    last_at: float | None = None

    async def post(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.bucket is not None:
            wait = self.bucket.take()
            if wait > 0:
                self.rejected += 1
                # HTTP's Retry-After is whole seconds, as Slack sends it: at least 1.
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(math.ceil(wait))}
                )
        now = time.time()
        self.first_at = self.first_at or now
        self.last_at = now
        self.received[message_identity(body)] += 1
        return web.json_response({"ok": True, "channel": body["to"]["user_id"], "ts": f"{now:.6f}"})

    async def reset(self, request: web.Request) -> web.Response:
        """A fresh run: nothing received; `per_second` null for no limit, else a full bucket of `burst`."""
        body = await request.json()
        rate = body.get("per_second")
        self.bucket = TokenBucket(float(rate), float(body.get("burst", 1))) if rate else None
        self.received, self.rejected, self.first_at, self.last_at = Counter(), 0, None, None
        return web.json_response({"ok": True})

    async def count(self, _request: web.Request) -> web.Response:
        return web.json_response({"unique": len(self.received), "total": sum(self.received.values())})

    async def stats(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "received": dict(self.received),
                "rejected": self.rejected,
                "first_at": self.first_at,
                "last_at": self.last_at,
            }
        )


def build() -> web.Application:
    platform = FakePlatform()
    app = web.Application(client_max_size=1 << 20)
    app.router.add_post(SEND_PATH, platform.post)
    app.router.add_post("/bench/reset", platform.reset)
    app.router.add_get("/bench/count", platform.count)
    app.router.add_get("/bench/stats", platform.stats)
    return app


if __name__ == "__main__":
    asyncio.run(serve_until_released(build()))  # the endpoint never outlives its bench
