"""The app installed into a Teams team: the team joins with its General channel as home, and its members follow."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from azure.core.exceptions import DeserializationError
from botbuilder.schema.teams import TeamsChannelAccount
from msrest.exceptions import ClientException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from adapters.common.channel_members import ChannelMembers
from bot.commands import fold
from bot.events import Installed, MembersChanged
from bot.organisation import HomeChannel, Platform
from bot.welcome import team_welcome, welcome_key
from storage.db import Database
from storage.membership_repository import MembershipRepository, PlatformPerson
from storage.models import OrganisationRow, TeamChannelRow, TeamRow
from storage.org_changes import organisation_changed
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository

logger = logging.getLogger(__name__)

# Teams clamps a roster page to 50..500 (msteams-docs get-teams-context); the largest page means fewest calls
# against the tenant's shared 50 requests/s.
ROSTER_PAGE = 500
DEFAULT_KEY = "teams"
_NOT_KEY = re.compile(r"[^a-z0-9]+")


class TeamInstall:
    """Installs and membership changes in teams; chats (personal, group) have no team to create."""

    def __init__(self, db: Database, clock: Callable[[], datetime], wake_outbox: Callable[[], None]) -> None:
        self.db = db
        self.organisations = OrganisationRepository(db)
        self.memberships = MembershipRepository(db)
        self.channel_members = ChannelMembers(db, Platform.TEAMS)
        self.outbox = OutboxRepository(db, clock)
        self.wake_outbox = wake_outbox  # the outbox workers look at once rather than at their next idle poll
        self.clock = clock
        self._lock = asyncio.Lock()  # Teams sends conversationUpdate and installationUpdate for one install

    async def installed(self, event: Installed, connector: Any) -> int | None:
        """Create (or find) the team for the channel and sync its members; returns the team's id (None: no team)."""
        if not _is_team_channel(event.channel_id):
            logger.info("Teams app installed in a personal or group chat; no team to create")
            return None
        async with self._lock:
            team_id = await asyncio.to_thread(self._team_for, event)
        if team_id is None:
            return None
        people = await _roster(connector, event.channel_id)
        if people is not None:
            summary = await asyncio.to_thread(self.memberships.sync, team_id, Platform.TEAMS, event.workspace, people)
            logger.info("Teams team %s synced: %d joined, %d left", team_id, summary.joined, summary.left)
        if await asyncio.to_thread(self._welcome, team_id):
            self.wake_outbox()  # here on the event loop: the worker's wake-up is not thread-safe
        return team_id

    def _welcome(self, team_id: int) -> bool:
        """Queue the team's greeting: the outbox paces it and waits out a 429, and its key makes it once per team.

        True when it was queued now (not by an earlier install activity)."""
        organisation = self.organisations.get()
        team = next((t for t in organisation.teams if t.id == team_id), None) if organisation else None
        if organisation is None or team is None:
            return False
        return bool(
            self.outbox.enqueue([(welcome_key(Platform.TEAMS, team), team_welcome(organisation, team, Platform.TEAMS))])
        )

    async def members_changed(self, event: MembersChanged, connector: Any) -> None:
        """People added to or removed from a linked team join or leave it; other conversations are ignored."""

        async def read(user_id: str) -> PlatformPerson:
            return await _member(connector, event.channel_id, user_id)

        await self.channel_members.changed(event, read)

    # --- the team -------------------------------------------------------------------------------------------------

    def _team_for(self, event: Installed) -> int | None:
        existing = self._team_of_channel(event.channel_id)
        if existing is not None:
            return existing
        for _ in range(2):  # another replica may take the same key at the same moment: then try the next one
            try:
                return self._create(event)
            except IntegrityError:
                existing = self._team_of_channel(event.channel_id)
                if existing is not None:
                    return existing
        logger.error("could not create a team for a Teams install")
        return None

    def _create(self, event: Installed) -> int | None:
        try:
            return self._create_team(event)
        finally:
            organisation_changed()  # a new team or home channel: the in-memory organisation is read again

    def _create_team(self, event: Installed) -> int | None:
        name = event.team_name.strip() or DEFAULT_KEY
        home = HomeChannel(Platform.TEAMS, event.channel_id, event.workspace)
        with self.db.transaction() as session:
            org = session.scalars(select(OrganisationRow).order_by(OrganisationRow.id)).first()
            if org is None:
                logger.warning("Teams app installed before any organisation exists; no team created")
                return None
            teams = session.scalars(select(TeamRow).where(TeamRow.org_id == org.id).order_by(TeamRow.id)).all()
            on_teams = set(
                session.scalars(select(TeamChannelRow.team_id).where(TeamChannelRow.platform == home.platform.value))
            )
            key = team_key(name)
            # A team the org file already has (same key or name) and not yet in Teams is this one: link it.
            team = next(
                (t for t in teams if t.id not in on_teams and key in (t.key.casefold(), team_key(t.name))), None
            )
            if team is None:
                team = TeamRow(org_id=org.id, key=_free_key(key, {t.key.casefold() for t in teams}), name=name[:200])
                session.add(team)
                session.flush()
                logger.info("Teams install created team %s (%s)", team.id, team.key)
            session.add(
                TeamChannelRow(
                    team_id=team.id, platform=home.platform.value, workspace=home.workspace, channel_id=home.channel_id
                )
            )
            return int(team.id)

    def _team_of_channel(self, channel_id: str) -> int | None:
        return self.channel_members.team_of(channel_id)


def team_key(name: str) -> str:
    """A team's short key from its name: "Kotihoito Länsi" -> "kotihoito-lansi" (the org file's key style)."""
    return _NOT_KEY.sub("-", fold(name)).strip("-")[:90] or DEFAULT_KEY


def _free_key(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    number = 2
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"


def _is_team_channel(channel_id: str) -> bool:
    # A team's General channel has the team's id, "19:…@thread.tacv2" (or the older "@thread.skype"); a personal
    # install has no channel and a group chat is "19:…@thread.v2".
    return bool(channel_id) and not channel_id.endswith("@thread.v2") and not channel_id.startswith("a:")


# --- the roster ---------------------------------------------------------------------------------------------------


async def _roster(connector: Any, team_id: str) -> list[PlatformPerson] | None:
    """Everyone in the team, page by page; None when the connector failed (the membership is then left alone)."""
    people: list[PlatformPerson] = []
    token: str | None = None
    try:
        await ready_token(connector)
        while True:
            # The Teams flavour of the call: its TeamsChannelAccount keeps email, userPrincipalName and aadObjectId.
            page = await connector.conversations.get_teams_conversation_paged_members(team_id, ROSTER_PAGE, token)
            people += [_person(account) for account in page.members or () if account.id]
            token = page.continuation_token
            if not token:
                return people
    except (ClientException, DeserializationError, PermissionError) as error:  # HTTP, network, token, body
        logger.warning("Teams roster not read: %s", type(error).__name__)
        return None


async def _member(connector: Any, team_id: str, user_id: str) -> PlatformPerson:
    """One added person as the connector describes them; their id alone when it cannot say."""
    try:
        await ready_token(connector)
        found = await connector.conversations.get_conversation_member(team_id, user_id)
        # The SDK reads a ChannelAccount and keeps the rest aside; as botbuilder's TeamsInfo does, read it whole.
        account = TeamsChannelAccount().deserialize({**found.serialize(), **(found.additional_properties or {})})
    except (ClientException, DeserializationError, PermissionError) as error:  # HTTP, network, token, body
        logger.info("Teams member not read: %s", type(error).__name__)
        return PlatformPerson(user_id, "")
    return _person(account, user_id)


def _person(account: TeamsChannelAccount, user_id: str = "") -> PlatformPerson:
    return PlatformPerson(
        user_id or str(account.id),
        str(account.name or ""),
        email=str(account.email or ""),
        upn=str(account.user_principal_name or ""),
        aad_object_id=str(account.aad_object_id or ""),
    )


async def ready_token(connector: Any) -> None:
    """The bot's token fetched before a connector call made through the SDK."""
    # msrest asks for the bot's token on the event loop when it signs a request, and msal's first call (and each
    # hourly renewal) goes over the network: fetch it in a thread first, so the loop is answered from msal's cache.
    credentials = getattr(getattr(connector, "config", None), "credentials", None)
    if credentials is not None and getattr(credentials, "microsoft_app_id", None):
        await asyncio.to_thread(credentials.get_access_token)
