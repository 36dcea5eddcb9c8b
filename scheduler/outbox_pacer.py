"""Spaces a worker's sends to a rate-limited workspace evenly, rather than as the claim's burst all at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from storage.outbox_buckets import Limiter

HEADROOM = 0.98  # a little under the platform's rate: two clocks never tick alike, and a 429 costs a whole second


class Pacer:
    """The shared bucket decides how many rows a claim may take; the pacer decides when each of them goes.

    A platform counts arrivals in its own bucket: a claim's rows sent together land as one burst, and a little
    jitter between two claims' bursts is enough to be answered 429 (and pause the workspace for a whole
    Retry-After). Sending each at the rate's pace keeps arrivals as even as the platform expects.
    """

    def __init__(
        self,
        limiter: Limiter,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limiter = limiter
        self.clock = clock
        self.sleep = sleep
        self._next: dict[tuple[str, str], float] = {}

    async def wait(self, platform: str, workspace: str) -> None:
        """Return when the next send to this workspace is due (at once when the platform is not limited)."""
        interval = self.limiter.interval(platform)
        if interval is None:
            return
        now = self.clock()
        key = (platform, workspace)
        slot = max(now, self._next.get(key, now))
        self._next[key] = slot + interval / HEADROOM
        if slot > now:
            await self.sleep(slot - now)
