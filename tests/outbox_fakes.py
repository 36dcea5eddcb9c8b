"""A chat port for outbox tests and benches: records what it sent and fails on request like Slack or Teams would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from bot.messages import Address, OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import DeliveryError

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass
class SimClock:
    """Simulated time: moves only when a test says so."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        """A worker waiting for a booked slot: simulated time passes at once (other tasks get their turn)."""
        self.advance(seconds)
        await asyncio.sleep(0)


def rate_limited(retry_after: float) -> DeliveryError:
    """What an adapter raises for HTTP 429 with Retry-After."""
    return DeliveryError("rate limited (429)", permanent=False, retry_after=retry_after)


def unavailable() -> DeliveryError:
    """What an adapter raises for HTTP 503 (no Retry-After)."""
    return DeliveryError("service unavailable (503)", permanent=False)


def not_installed() -> DeliveryError:
    """What an adapter raises for HTTP 403: the app is not installed for the person."""
    return DeliveryError("app not installed (403)", permanent=True)


@dataclass(frozen=True)
class Delivery:
    """One message the port accepted, and when (by the clock it was given)."""

    message: OutboundMessage
    at: datetime | None
    updated: SentRef | None = None


def recipient(address: Address) -> str:
    return address.user_id or address.channel_id


@dataclass
class FakePort:
    """A ChatPort: `fail(recipient, error, times=...)` makes sends to someone fail, every time or the next few."""

    platform: Platform = Platform.SLACK
    clock: Callable[[], datetime] | None = None
    yield_each_send: bool = False  # let other tasks run mid-send, as a real network call would
    delivered: list[Delivery] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)  # every recipient tried, failures included
    _failures: dict[str, list[BaseException]] = field(default_factory=dict)
    _forever: dict[str, BaseException] = field(default_factory=dict)
    _hanging: set[str] = field(default_factory=set)
    _ids: count[int] = field(default_factory=lambda: count(1))

    def fail(self, who: str, error: BaseException, times: int | None = None) -> None:
        """Sends to `who` raise `error`: the next `times` sends, or every one when times is None."""
        if times is None:
            self._forever[who] = error
        else:
            self._failures.setdefault(who, []).extend([error] * times)

    def hang(self, who: str) -> None:
        """Sends to `who` never answer, like a platform that accepted the connection and went quiet."""
        self._hanging.add(who)

    def recover(self, who: str) -> None:
        self._hanging.discard(who)
        self._forever.pop(who, None)
        self._failures.pop(who, None)

    def sent_to(self, who: str) -> list[OutboundMessage]:
        return [d.message for d in self.delivered if recipient(d.message.to) == who]

    async def send(self, message: OutboundMessage) -> SentRef:
        self._attempt(message)
        if recipient(message.to) in self._hanging:
            await asyncio.Event().wait()
        if self.yield_each_send:
            await asyncio.sleep(0)
        self.delivered.append(Delivery(message, self.clock() if self.clock else None))
        channel = message.to.channel_id or f"D{message.to.user_id}"
        return SentRef(self.platform, channel, f"m{next(self._ids)}", message.to.workspace)

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        self._attempt(message)
        self.delivered.append(Delivery(message, self.clock() if self.clock else None, updated=ref))

    def _attempt(self, message: OutboundMessage) -> None:
        who = recipient(message.to)
        self.attempts.append(who)
        if who in self._forever:
            raise self._forever[who]
        pending = self._failures.get(who)
        if pending:
            raise pending.pop(0)
