"""The delivery outbox's tables: one row per (occurrence, recipient), and the rate buckets all replicas share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime

KEY_LENGTH = 300
REASON_LENGTH = 200


class OutboxStatus:
    """The life of a row: pending -> sending (leased) -> sent, or back to pending for a retry, or undeliverable."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"


class OutboxRow(Base):
    """A message to deliver; `key` names the occurrence and recipient, so queueing it twice sends it once."""

    __tablename__ = "outbox"
    __table_args__ = (
        # A claim reads a workspace's waiting rows oldest first: this index serves it without sorting the queue. No
        # index leads with the due time: SQLite would pick it and sort the queue by id (migration 0011).
        Index("ix_outbox_queue", "status", "platform", "workspace", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(100), default="")
    # A forgotten person's queued messages go with them (tyhy member forget).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # The neutral message as JSON (bot/message_codec.py); emptied once the row is final, so texts do not pile up.
    payload: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far, including ones a crash cut short
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the lease of the worker sending it
    last_error: Mapped[str | None] = mapped_column(String(REASON_LENGTH))  # a short reason: no tokens, no text
    sent_channel: Mapped[str | None] = mapped_column(String(200))
    sent_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    given_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class RateBucketRow(Base):
    """A token bucket per Slack workspace or Teams tenant, locked in the claim so replicas share one rate."""

    __tablename__ = "rate_buckets"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(100), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)  # below zero while the platform asked us to wait (Retry-After)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
