"""Tables the platform adapters keep: where to reach a person or channel, cached profiles, events seen once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class ConversationRow(Base):
    """A conversation opened once and reused: a Slack DM channel (D…), a Teams 1:1 or channel conversation."""

    __tablename__ = "platform_conversations"
    __table_args__ = (UniqueConstraint("platform", "workspace", "kind", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    # Slack team id, Teams tenant id; "" when opened for someone known without one (the organisation file), which
    # PlatformRepository.person_conversation reads as the same person's conversation in their workspace.
    workspace: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # "person" or "channel"
    target: Mapped[str] = mapped_column(String(200))  # the platform's user id or channel id
    conversation_id: Mapped[str] = mapped_column(String(400))
    service_url: Mapped[str] = mapped_column(String(400), default="")  # Teams: where the connector answers
    reference: Mapped[str] = mapped_column(Text, default="")  # Teams: the whole conversation reference as JSON
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlatformUserRow(Base):
    """What a platform says of a person (locale, time zone), fetched once; never anything they answered."""

    __tablename__ = "platform_users"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    locale: Mapped[str] = mapped_column(String(20), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SeenEventRow(Base):
    """An inbound event id already handled: a platform's retry of it is acknowledged and ignored."""

    __tablename__ = "seen_events"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
