"""Dashboard sign-in storage: the signing secret, one-time link ids already used, and server-side sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime
from storage.db import Database

# A used link id only has to be remembered while the link could still be valid (15 minutes); a day is ample.
USED_TOKEN_MEMORY = timedelta(days=1)


class WebSecretRow(Base):
    """A named secret the web server generated once, so sign-in links survive restarts and replicas agree."""

    __tablename__ = "web_secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WebSigninRow(Base):
    """A one-time sign-in link that has been used: inserting its id is what makes it one-time."""

    __tablename__ = "web_signins"
    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WebSessionRow(Base):
    """A signed-in browser; `id` is a hash of the cookie's value, so a copy of the database signs no one in."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    language: Mapped[str | None] = mapped_column(String(8))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class StoredSession:
    """A live session: whose it is, the language chosen in it and when it ends."""

    member_id: int
    language: str | None
    expires_at: datetime


class WebSessionRepository:
    """Reads and writes the dashboard's sign-in tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def secret(self, name: str, generate: str) -> str:
        """The stored secret `name`; the first caller stores `generate`, and a racing replica reads the winner's."""
        with self.db.transaction() as session:
            stored = session.get(WebSecretRow, name)
            if stored is not None:
                return stored.value
        try:
            with self.db.transaction() as session:
                session.add(WebSecretRow(name=name, value=generate))
        except IntegrityError:
            pass
        with self.db.transaction() as session:
            return session.get_one(WebSecretRow, name).value

    def use_token(self, token_id: str, now: datetime) -> bool:
        """True the first time a link id is used, False ever after; forgets ids too old to matter."""
        try:
            with self.db.transaction() as session:
                session.execute(delete(WebSigninRow).where(WebSigninRow.used_at < now - USED_TOKEN_MEMORY))
                session.add(WebSigninRow(token_id=token_id, used_at=now))
        except IntegrityError:
            return False
        return True

    def token_used(self, token_id: str) -> bool:
        """True when a link id has been used (looking does not use it)."""
        with self.db.transaction() as session:
            return session.get(WebSigninRow, token_id) is not None

    def create_session(self, digest: str, member_id: int, language: str | None, expires_at: datetime) -> None:
        """Store a new session under the hash of its cookie value."""
        with self.db.transaction() as session:
            session.add(WebSessionRow(id=digest, member_id=member_id, language=language, expires_at=expires_at))

    def session(self, digest: str, now: datetime) -> StoredSession | None:
        """The live session with this hash; an expired one is deleted and gives None."""
        with self.db.transaction() as session:
            row = session.get(WebSessionRow, digest)
            if row is None:
                return None
            if row.expires_at <= now:
                session.delete(row)
                return None
            return StoredSession(row.member_id, row.language, row.expires_at)

    def set_language(self, digest: str, language: str) -> None:
        """Remember the language picked with the switch for the rest of the session."""
        with self.db.transaction() as session:
            session.execute(update(WebSessionRow).where(WebSessionRow.id == digest).values(language=language))

    def end_session(self, digest: str, now: datetime) -> None:
        """Delete the session (signing out), and every other session that has expired."""
        with self.db.transaction() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.id == digest))
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
