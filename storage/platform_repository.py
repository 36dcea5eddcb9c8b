"""Where the adapters reach people and channels, what platforms told us of people, and events already handled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from storage.click_sql import CONVERSATION, FIRST_SIGHT, KEEP_CONVERSATION
from storage.db import Database
from storage.models import MemberIdentityRow, TeamChannelRow, TeamMemberRow
from storage.platform_models import ConversationRow, PlatformUserRow, SeenEventRow

PERSON = "person"
CHANNEL = "channel"


@dataclass(frozen=True)
class StoredConversation:
    """A conversation the platform gave us once: its id, and for Teams the service URL and whole reference."""

    conversation_id: str
    service_url: str = ""
    reference: str = ""  # JSON, as the adapter wrote it


@dataclass(frozen=True)
class KnownConversation:
    """A person's stored conversation and the workspace it is stored under ("" when it was opened without one)."""

    workspace: str
    stored: StoredConversation


@dataclass(frozen=True)
class PlatformProfile:
    """Locale and time zone as the platform reports them for a person ("" when it did not say)."""

    locale: str
    time_zone: str
    fetched_at: datetime


class PlatformRepository:
    """Each method is one short transaction; writes are upserts, so two replicas storing the same thing agree."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- conversations ----------------------------------------------------------------------------------------

    def conversation(self, platform: str, workspace: str, kind: str, target: str) -> StoredConversation | None:
        """The stored conversation with a person (kind PERSON) or for a channel (kind CHANNEL), if any."""
        where = {"platform": platform, "workspace": workspace, "kind": kind, "target": target}
        with self.db.autocommit() as connection:  # every redraw on Teams: plain SQL (storage/click_sql.py)
            row = connection.execute(CONVERSATION, where).first()
        return None if row is None else StoredConversation(row.conversation_id, row.service_url, row.reference)

    def person_conversation(self, platform: str, workspace: str, target: str) -> KnownConversation | None:
        """A person's conversation, whichever way they were known when it was opened.

        People from the organisation file carry no workspace (""), what they send carries it: both name the same
        DM. The one stored under this very workspace comes first; asked without a workspace, the newest of theirs.
        Normalised here rather than in the table, so rows written either way before still count.
        """
        query = select(ConversationRow).where(
            ConversationRow.platform == platform, ConversationRow.kind == PERSON, ConversationRow.target == target
        )
        if workspace:
            query = query.where(ConversationRow.workspace.in_((workspace, "")))
        with self.db.transaction() as session:
            rows = session.scalars(query).all()
            if not rows:
                return None
            row = max(rows, key=lambda r: (r.workspace == workspace, r.updated_at, r.id))
            stored = StoredConversation(row.conversation_id, row.service_url, row.reference)
            return KnownConversation(row.workspace, stored)

    def save_conversation(
        self, platform: str, workspace: str, kind: str, target: str, stored: StoredConversation, now: datetime
    ) -> None:
        """Remember (or refresh) the conversation; the newest reference wins, and an unchanged one is not written.

        Every activity from Teams brings its conversation: plain SQL (storage/click_sql.py), and an upsert, so two
        replicas storing the same person at once agree.
        """
        if self.conversation(platform, workspace, kind, target) == stored:
            return  # every message from a person carries the same: no write, no lock to wait for
        kept = {
            "platform": platform,
            "workspace": workspace,
            "kind": kind,
            "target": target,
            "conversation_id": stored.conversation_id,
            "service_url": stored.service_url,
            "reference": stored.reference,
            "updated_at": now,
        }
        with self.db.autocommit() as connection:
            connection.execute(KEEP_CONVERSATION, kept)

    def forget_conversations(self, platform: str, workspace: str, target: str) -> int:
        """Drop what is stored for a person or channel (they left, or the app was removed)."""
        with self.db.transaction() as session:
            result = session.execute(
                delete(ConversationRow)
                .where(
                    ConversationRow.platform == platform,
                    ConversationRow.workspace == workspace,
                    ConversationRow.target == target,
                )
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0))

    def known_workspace(self, platform: str, user_id: str = "", channel_id: str = "") -> str:
        """The workspace (Teams tenant) the database knows for a channel or a person, "" when none.

        A channel: its team's. A person: their identity's, else the one their own messages came from, else that
        of a team they belong to (the install of a team gives its tenant; an org file often gives no tenant)."""
        if channel_id:
            queries = [
                select(TeamChannelRow.workspace).where(
                    TeamChannelRow.platform == platform, TeamChannelRow.channel_id == channel_id
                )
            ]
        else:
            identity = (MemberIdentityRow.platform == platform, MemberIdentityRow.user_id == user_id)
            queries = [
                select(MemberIdentityRow.workspace).where(*identity),
                select(ConversationRow.workspace).where(
                    ConversationRow.platform == platform,
                    ConversationRow.kind == PERSON,
                    ConversationRow.target == user_id,
                ),
                select(TeamChannelRow.workspace)
                .join(TeamMemberRow, TeamMemberRow.team_id == TeamChannelRow.team_id)
                .join(MemberIdentityRow, MemberIdentityRow.member_id == TeamMemberRow.member_id)
                .where(TeamChannelRow.platform == platform, *identity)
                .order_by(TeamChannelRow.id),
            ]
        with self.db.transaction() as session:
            for query in queries:
                found = next((workspace for workspace in session.scalars(query) if workspace), "")
                if found:
                    return found
        return ""

    # --- profiles ---------------------------------------------------------------------------------------------

    def profile(self, platform: str, workspace: str, user_id: str) -> PlatformProfile | None:
        """The cached profile, if fetched before."""
        with self.db.transaction() as session:
            row = session.get(PlatformUserRow, (platform, workspace, user_id))
            return None if row is None else PlatformProfile(row.locale, row.time_zone, row.fetched_at)

    def save_profile(self, platform: str, workspace: str, user_id: str, profile: PlatformProfile) -> None:
        """Cache what the platform said of the person."""
        try:
            with self.db.transaction() as session:
                row = session.get(PlatformUserRow, (platform, workspace, user_id))
                if row is None:
                    row = PlatformUserRow(platform=platform, workspace=workspace, user_id=user_id)
                    session.add(row)
                row.locale, row.time_zone, row.fetched_at = profile.locale, profile.time_zone, profile.fetched_at
        except IntegrityError:
            pass  # another replica cached the same person at the same moment; its copy is as good as ours

    # --- inbound events ---------------------------------------------------------------------------------------

    def first_sight(self, platform: str, event_id: str, now: datetime) -> bool:
        """True the first time an event id is seen (on any replica); False for a platform's retry of it."""
        seen = {"platform": platform, "event_id": event_id[:200], "seen_at": now}
        with self.db.autocommit() as connection:  # every click: plain SQL (storage/click_sql.py)
            return connection.execute(FIRST_SIGHT, seen).rowcount == 1

    def forget_seen_before(self, before: datetime) -> int:
        """Drop event ids older than any retry can be (Slack retries within minutes)."""
        with self.db.transaction() as session:
            result = session.execute(
                delete(SeenEventRow).where(SeenEventRow.seen_at < before).execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0))


SEEN_EVENTS_KEPT = timedelta(days=1)  # Slack retries three times within about an hour; a day is ample
