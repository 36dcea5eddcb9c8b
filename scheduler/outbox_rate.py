"""Sending rates per Slack workspace and Teams tenant: token-bucket arithmetic over buckets kept in the database."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.organisation import Platform
from storage.outbox_buckets import BucketState

SLACK_PER_MIN_VARIABLE = "TYHY_RATE_SLACK_PER_MIN"
TEAMS_PER_SEC_VARIABLE = "TYHY_RATE_TEAMS_PER_SEC"


@dataclass(frozen=True)
class Rate:
    """`per_second` sends on average, at most `burst` at once after a quiet spell."""

    per_second: float
    burst: float

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a rate needs a positive speed and a burst of at least one message")


# Slack: chat.postMessage's workspace-wide cap is "several hundred per minute" (platform-facts §0, §1.1): 300/min.
# Teams: 50 requests/s per app per tenant (msteams-docs rate-limit page, platform-facts §2.3).
# The local web chat and the console have no platform behind them to protect.
SLACK_PER_MIN = 300
SLACK_BURST = 10
TEAMS_PER_SEC = 50
# A claim may book sends this far ahead of the bucket: each row gets its own slot in the future and the worker
# sends it then. The rows for the next second are in hand before the wire needs them, so the database's round
# trips never leave the platform's allowance unused (bench.fanout: 0.87 of the ideal rate without, see results).
LOOKAHEAD_SECONDS = 1.0


def slack_rate(per_minute: float = SLACK_PER_MIN) -> Rate:
    return Rate(per_minute / 60, SLACK_BURST)


def teams_rate(per_second: float = TEAMS_PER_SEC) -> Rate:
    return Rate(per_second, max(1.0, per_second))  # a second's worth at once: never above the per-second cap


class SharedRateLimiter:
    """The rate of each platform; the buckets themselves live in the database, shared by every replica."""

    def __init__(self, rates: Mapping[Platform | str, Rate | None]) -> None:
        self.rates = {str(platform): rate for platform, rate in rates.items()}

    @classmethod
    def defaults(cls) -> SharedRateLimiter:
        return cls({Platform.SLACK: slack_rate(), Platform.TEAMS: teams_rate()})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SharedRateLimiter:
        """TYHY_RATE_SLACK_PER_MIN and TYHY_RATE_TEAMS_PER_SEC override the defaults."""
        slack = _number(environ, SLACK_PER_MIN_VARIABLE, SLACK_PER_MIN)
        teams = _number(environ, TEAMS_PER_SEC_VARIABLE, TEAMS_PER_SEC)
        return cls({Platform.SLACK: slack_rate(slack), Platform.TEAMS: teams_rate(teams)})

    def rate(self, platform: str) -> Rate | None:
        return self.rates.get(str(platform))

    def limited(self, platform: str) -> bool:
        return self.rate(platform) is not None

    def allowance(self, platform: str, state: BucketState | None, now: datetime) -> int:
        rate = self.rate(platform)
        if rate is None:
            return 1 << 30
        # The epsilon keeps 4.9999999 (float refill) from costing a whole message.
        return max(0, math.floor(_refilled(rate, state, now) + _ahead(rate) + 1e-9))

    def slots(self, platform: str, state: BucketState | None, now: datetime, count: int) -> list[float]:
        """Seconds from `now` at which each of `count` sends booked now may go: at once while the bucket holds
        tokens, then one interval apart. Every replica books from the same bucket, so their slots never overlap."""
        rate = self.rate(platform)
        if rate is None:
            return [0.0] * count
        tokens = _refilled(rate, state, now)
        return [max(0.0, (n + 1 - tokens) / rate.per_second) for n in range(count)]

    def charge(self, platform: str, state: BucketState | None, now: datetime, used: int) -> BucketState:
        rate = self._required(platform)
        return BucketState(_refilled(rate, state, now) - used, _later(state, now))

    def pause(self, platform: str, state: BucketState | None, now: datetime, seconds: float) -> BucketState:
        rate = self._required(platform)
        # Tokens below zero refill back to zero only after `seconds`: nothing is claimed meanwhile.
        tokens = min(_refilled(rate, state, now), -rate.per_second * max(0.0, seconds))
        return BucketState(tokens, _later(state, now))

    def burst(self, platform: str) -> float | None:
        rate = self.rate(platform)
        return None if rate is None else rate.burst

    def interval(self, platform: str) -> float | None:
        rate = self.rate(platform)
        return None if rate is None else 1.0 / rate.per_second

    def wait(self, platform: str, state: BucketState | None, now: datetime, wanted: int) -> float:
        rate = self._required(platform)
        # Half the lookahead's worth is a claim worth making: fewer, fuller claims, and still a second's sends
        # booked ahead of the wire.
        worth = max(1.0, min(float(wanted), rate.burst + _ahead(rate) / 2))
        missing = worth - _refilled(rate, state, now) - _ahead(rate)
        return max(0.0, missing / rate.per_second)

    def _required(self, platform: str) -> Rate:
        rate = self.rate(platform)
        if rate is None:
            raise ValueError(f"{platform} is not rate limited")
        return rate


def _refilled(rate: Rate, state: BucketState | None, now: datetime) -> float:
    if state is None:
        return rate.burst
    # Replicas' clocks differ a little: time never runs backwards for a bucket, so a late clock adds nothing.
    elapsed = max(0.0, (now - state.updated_at).total_seconds())
    return min(rate.burst, state.tokens + elapsed * rate.per_second)


def _ahead(rate: Rate) -> float:
    return rate.per_second * LOOKAHEAD_SECONDS


def _later(state: BucketState | None, now: datetime) -> datetime:
    return now if state is None else max(now, state.updated_at)


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, not {raw!r}")
    return value
