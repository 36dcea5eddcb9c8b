"""The ports the core talks through: a chat platform that sends and updates messages, and how sending fails."""

from __future__ import annotations

from typing import Protocol

from bot.messages import OutboundMessage, SentRef
from bot.organisation import Platform


class DeliveryError(Exception):
    """Sending failed; `permanent` failures (person gone, app not installed, blocked) are never retried."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after  # seconds the platform asked us to wait (HTTP Retry-After)


class ChatPort(Protocol):
    """One chat platform as the outbox sees it; adapters implement it over their SDK."""

    platform: Platform

    async def send(self, message: OutboundMessage) -> SentRef:
        """Post the message; raise DeliveryError when it could not be delivered."""
        ...

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        """Put the message in place of an earlier one; raise DeliveryError when that failed."""
        ...
