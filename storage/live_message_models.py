"""Where the messages the bot keeps redrawing landed (a choosing's count of senders), by their topic."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class LiveMessageRow(Base):
    """The newest message sent under a topic (migration 0016): the platform's ids, to redraw it in place."""

    __tablename__ = "live_messages"
    topic: Mapped[str] = mapped_column(String(120), primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))
    workspace: Mapped[str] = mapped_column(String(255), default="")
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
