"""Dashboard sign-in: one-time HMAC-signed links that expire, and server-side sessions behind an HttpOnly cookie."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.errors import DomainError
from bot.i18n import translate
from bot.organisation import Member, Role
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.web_session_repository import WebSessionRepository

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
COOKIE_NAME = "tyhy_session"
SECRET_ENV = "TYHY_SECRET_KEY"
SECRET_NAME = "signin"
DASHBOARD_ROLES = (Role.WELLBEING_OFFICER, Role.SUPERVISOR)


class SigninRefused(Exception):
    """A link that signs no one in; `reason` is bad, expired, used or no_access (a catalog key's last part)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    """The signed-in person looking at the dashboard and what they may see."""

    member: Member
    session: str  # the cookie's value
    language: str | None  # picked with the language switch during this session
    team_ids: set[int] | None  # None: every team (the wellbeing officer)

    @property
    def is_officer(self) -> bool:
        """True for the wellbeing officer, who sees every team and the undeliverable list."""
        return self.team_ids is None


def signing_secret(db: Database) -> bytes:
    """TYHY_SECRET_KEY, or a secret generated once and kept in the database, so links survive restarts."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured.encode()
    return WebSessionRepository(db).secret(SECRET_NAME, secrets.token_urlsafe(32)).encode()


def link_member(db: Database, member_id: int | None) -> Member:
    """The person a link is for: the one asked for, or the organisation's first wellbeing officer."""
    members = OrganisationRepository(db).members()
    if member_id is None:
        officer = next((m for m in sorted(members, key=lambda m: m.id) if m.role is Role.WELLBEING_OFFICER), None)
        if officer is None:
            raise DomainError("web.link.no_officer")
        return officer
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        raise DomainError("web.link.no_member", member=member_id)
    if member.role not in DASHBOARD_ROLES:
        raise DomainError("web.link.not_allowed", name=member.name)
    return member


def issue_link(db: Database, base_url: str, member_id: int, now: datetime, secret: bytes) -> str:
    """A sign-in link for a supervisor or the wellbeing officer, good once and for 15 minutes."""
    member = link_member(db, member_id)
    expires = int((now + LINK_LIFETIME).timestamp())
    payload = f"{member.id}.{expires}.{secrets.token_urlsafe(16)}"
    return f"{base_url.rstrip('/')}/signin?token={payload}.{_signature(secret, payload)}"


def link_message(db: Database, base_url: str, member_id: int | None, now: datetime, language: str) -> str:
    """What `tyhy admin link` prints: whose link it is, then the link on a line of its own."""
    member = link_member(db, member_id)
    link = issue_link(db, base_url, member.id, now, signing_secret(db))
    return f"{translate(language, 'web.link.printed', name=member.name)}\n{link}"


def check_link(db: Database, token: str, now: datetime, secret: bytes) -> Member:
    """The person a link would sign in, without using it up: what a link scanner's or unfurler's GET may learn."""
    member, token_id = _verified(db, token, now, secret)
    if WebSessionRepository(db).token_used(token_id):
        raise SigninRefused("used")
    return member


def redeem_link(db: Database, token: str, now: datetime, secret: bytes) -> Member:
    """The person a link signs in, using it up; SigninRefused for a forged, expired, used or no longer fit link."""
    member, token_id = _verified(db, token, now, secret)
    if not WebSessionRepository(db).use_token(token_id, now):
        raise SigninRefused("used")
    return member


def _verified(db: Database, token: str, now: datetime, secret: bytes) -> tuple[Member, str]:
    """The link's person and id when its signature, time and person hold; SigninRefused otherwise."""
    parts = token.split(".")
    if len(parts) != 4:
        raise SigninRefused("bad")
    member_text, expires_text, token_id, signature = parts
    payload = f"{member_text}.{expires_text}.{token_id}"
    if not hmac.compare_digest(signature.encode(), _signature(secret, payload).encode()):
        raise SigninRefused("bad")
    if not (member_text.isdigit() and expires_text.isdigit()):
        raise SigninRefused("bad")
    if now >= datetime.fromtimestamp(int(expires_text), UTC):
        raise SigninRefused("expired")
    member = OrganisationRepository(db).member(int(member_text))
    if member is None or member.role not in DASHBOARD_ROLES:  # removed or demoted since the link was made
        raise SigninRefused("no_access")
    return member, token_id


def start_session(db: Database, member_id: int, language: str | None, now: datetime) -> str:
    """A new session for the person; the value goes in the cookie, only its hash in the database."""
    value = secrets.token_urlsafe(32)
    WebSessionRepository(db).create_session(_digest(value), member_id, language, now + SESSION_LIFETIME)
    return value


def find_viewer(db: Database, cookie: str | None, now: datetime) -> Viewer | None:
    """Who the cookie signs in, if anyone who may still see the dashboard."""
    if not cookie:
        return None
    stored = WebSessionRepository(db).session(_digest(cookie), now)
    if stored is None:
        return None
    member = OrganisationRepository(db).member(stored.member_id)
    if member is None or member.role not in DASHBOARD_ROLES:
        return None
    team_ids = None if member.role is Role.WELLBEING_OFFICER else set(member.team_ids)
    return Viewer(member, cookie, stored.language, team_ids)


def remember_language(db: Database, cookie: str, language: str) -> None:
    """Keep the language switched to for the rest of the session."""
    WebSessionRepository(db).set_language(_digest(cookie), language)


def end_session(db: Database, cookie: str | None, now: datetime) -> None:
    """Sign out: the session is deleted, so the cookie is worth nothing even if kept."""
    if cookie:
        WebSessionRepository(db).end_session(_digest(cookie), now)


def _signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
