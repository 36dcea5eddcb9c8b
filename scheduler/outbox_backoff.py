"""How long a temporarily failed send waits: exponential backoff with a little jitter, never less than Retry-After."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

BASE_SECONDS = 2.0
CAP_SECONDS = 15 * 60.0
JITTER = 0.1  # up to 10 % shorter, so rows that failed together do not all come back in the same instant


@dataclass(frozen=True)
class Backoff:
    """2 s, 4 s, 8 s ... up to 15 min after the 1st, 2nd, 3rd ... attempt; `random` is injectable for tests."""

    base: float = BASE_SECONDS
    cap: float = CAP_SECONDS
    jitter: float = JITTER
    random: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after attempt number `attempt` (from 1) failed; a longer Retry-After wins."""
        exponential = min(self.cap, self.base * 2.0 ** max(0, min(attempt - 1, 30)))
        jittered = exponential * (1 - self.jitter * self.random())
        return max(jittered, retry_after or 0.0)
