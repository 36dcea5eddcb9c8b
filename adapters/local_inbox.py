"""The local chat platform of the embedded default: messages kept in memory per person and channel."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from itertools import count

from bot.messages import Address, OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import DeliveryError

KEEP_PER_CONVERSATION = 200  # the newest messages of each person and channel; older ones fall off


@dataclass
class InboxEntry:
    """A message as the local chat shows it; updated in place like a Slack or Teams message."""

    message_id: str
    message: OutboundMessage
    version: int = 1


def conversation_key(address: Address) -> str:
    """A person's direct messages ("dm-12") or a channel ("team-3")."""
    return address.channel_id or f"dm-{address.user_id}"


class LocalInbox:
    """A ChatPort for the web chat and the console: sending stores, updating replaces, and waiters are woken."""

    def __init__(self, platform: Platform = Platform.WEB) -> None:
        self.platform = platform
        self._conversations: dict[str, deque[InboxEntry]] = {}
        self._ids = count(1)
        self._changed = asyncio.Condition()

    async def send(self, message: OutboundMessage) -> SentRef:
        key = conversation_key(message.to)
        entry = InboxEntry(f"l{next(self._ids)}", message)
        self._conversations.setdefault(key, deque(maxlen=KEEP_PER_CONVERSATION)).append(entry)
        await self._notify()
        return SentRef(self.platform, key, entry.message_id)

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        for entry in self._conversations.get(ref.channel_id, ()):
            if entry.message_id == ref.message_id:
                entry.message = message
                entry.version += 1
                await self._notify()
                return
        raise DeliveryError("the message to update is no longer kept", permanent=True)

    def messages(self, key: str) -> list[InboxEntry]:
        """The conversation's messages, oldest first."""
        return list(self._conversations.get(key, ()))

    async def wait_for_change(self, timeout: float) -> bool:
        """Wait until something is sent or updated (long polling of the web chat); False on timeout."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                return False
            return True

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
