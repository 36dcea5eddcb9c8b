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
        self._turns: dict[tuple[str, str], asyncio.Lock] = {}

    def _catch_up(self, platform: str) -> float:
        return max(1.0, (self.limiter.burst(platform) or 0.0) / 2)

    async def wait(self, platform: str, workspace: str) -> None:
        """Return when the next send to this workspace is due (at once when the platform is not limited)."""
        interval = self.limiter.interval(platform)
        if interval is None:
            return
        key = (platform, workspace)
        # One waiter per workspace at a time, in turn: each slot follows the send before it as it really went.
        async with self._turns.setdefault(key, asyncio.Lock()):
            now = self.clock()
            slot = max(now, self._next.get(key, now))
            if slot > now:
                await self.sleep(slot - now)
            # A send held up (a busy loop, a slow claim) let the platform's bucket refill meanwhile, so the sends
            # behind it may catch up, but only by half the platform's burst: held up longer, they would leave
            # together as a burst that the platform answers 429.
            went = max(slot, self.clock() - self._catch_up(platform) * interval)
            self._next[key] = went + interval / HEADROOM
