"""Live messages: the newest message sent under a topic, remembered so it can be redrawn as things change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.messages import SentRef
from bot.organisation import Platform
from storage.db import Database
from storage.live_message_models import LiveMessageRow


class LiveMessageRepository:
    """Remembers where a topic's newest message landed; the next message under the topic takes its place."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, topic: str, member_id: int | None, ref: SentRef, now: datetime) -> None:
        """The message under `topic` is now this one (sent to `member_id`, when to a person)."""
        with self.db.transaction() as session:
            row = session.get(LiveMessageRow, topic)
            if row is None:
                row = LiveMessageRow(topic=topic)
                session.add(row)
            row.member_id, row.platform, row.workspace = member_id, ref.platform.value, ref.workspace
            row.channel_id, row.message_id, row.sent_at = ref.channel_id, ref.message_id, now

    def where(self, topic: str) -> tuple[int | None, SentRef] | None:
        """Who got the topic's newest message and where it is; None when none was remembered."""
        with self.db.transaction() as session:
            row = session.scalars(select(LiveMessageRow).where(LiveMessageRow.topic == topic)).first()
            if row is None:
                return None
            return row.member_id, SentRef(Platform(row.platform), row.channel_id, row.message_id, row.workspace)
