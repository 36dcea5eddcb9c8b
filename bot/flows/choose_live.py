"""The supervisor's choosing card as a live message: its count of senders is redrawn in place as picks arrive."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.messages import SentRef

TOPIC_PREFIX = "choose:"


class LiveMessages(Protocol):
    """Where a topic's newest message landed (storage's LiveMessageRepository fits)."""

    def remember(self, topic: str, member_id: int | None, ref: SentRef, now: datetime) -> None: ...

    def where(self, topic: str) -> tuple[int | None, SentRef] | None: ...


def session_topic(session_id: int) -> str:
    """The topic of a session's card for its leader: the newest one sent or tapped is the one redrawn."""
    return f"{TOPIC_PREFIX}{session_id}"
