"""`/tyhy team link TEAM` makes a channel a team's home; the channel's members become the team's, and stay in step."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from adapters.common.channel_members import ChannelMembers, read_people
from adapters.slack.port import SlackChatPort
from bot.commands import fold
from bot.events import CommandText, MembersChanged, Sender
from bot.i18n import DEFAULT_LANGUAGE, translate
from bot.messages import Address, OutboundMessage, Reply
from bot.organisation import HomeChannel, Platform, Role
from bot.person import find_person
from bot.ports import DeliveryError
from storage.db import Database
from storage.membership_repository import MembershipRepository, PlatformPerson
from storage.org_repository import OrganisationRepository
from storage.platform_repository import PlatformProfile, PlatformRepository

logger = logging.getLogger(__name__)

# "team link kotihoito", "tiimi linkitä kotihoito", "team länka kotihoito" (folded: no diacritics, lower case).
_LINK = re.compile(r"^\s*(?:team|tiimi)\s+(?:link|linkita|lanka)\b\s*(.*)$")
MEMBERS_PAGE = 200
# users.info and conversations.members answered 429: tried again after Retry-After, this often and this long in
# all, while the supervisor waits for the link's answer; then they are told the members were not read.
API_ATTEMPTS = 5
API_PATIENCE_SECONDS = 90.0
# A person read from users.info is used again this long: linking again, or a channel's join events, do not read the
# same people one more time (Slack allows users.info about a hundred calls a minute per workspace).
PERSON_FRESH_SECONDS = 600.0

Deliver = Callable[[Reply, Sender], Awaitable[None]]  # Interactions.deliver: answers go out as every reply does


class TeamLink:
    """Linking is for the team's supervisor or the wellbeing officer; members then follow the channel."""

    def __init__(
        self,
        db: Database,
        port: SlackChatPort,
        clock: Callable[[], datetime],
        deliver: Deliver,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.organisations = OrganisationRepository(db)
        self.memberships = MembershipRepository(db)
        self.platforms = PlatformRepository(db)
        self.port = port
        self.clock = clock
        self.deliver = deliver
        self.monotonic = monotonic  # when a person read from Slack is too old to use again
        self.sleep = sleep  # the wait Slack asked for (Retry-After); tests pass one that records it
        self.channel_members = ChannelMembers(db, Platform.SLACK)
        self._people: dict[tuple[str, str], tuple[float, PlatformPerson]] = {}  # (workspace, user): (read at, person)

    async def handles(self, event: CommandText) -> bool:
        """True when the command was a team link (answered here); False leaves it to the core."""
        match = _LINK.match(fold(event.text))
        if match is None:
            return False
        key = match.group(1).strip()
        answer = await asyncio.to_thread(self._link_checked, event, key)
        if answer[0] == "slack.linked":
            team_id = int(answer[1]["team_id"])
            try:
                answer[1]["count"] = await self._sync(team_id, event.sender.workspace, event.channel_id)
            except DeliveryError as error:
                # The channel is the team's home already; linking again reads its members (and changes nothing else).
                logger.warning("team link: the channel's members were not read: %s", error.reason)
                answer = ("slack.link_members_unread", answer[1], answer[2])
        await self._say(event.sender, answer[2], answer[0], team=key, **answer[1])
        return True

    def _link_checked(self, event: CommandText, key: str) -> tuple[str, dict[str, Any], str]:
        person = find_person(self.organisations, event.sender)
        if person is None:
            return "person.unknown", {}, DEFAULT_LANGUAGE
        language = person.language
        team = person.organisation.team_by_key(key.strip()) if key.strip() else None
        if event.is_direct or not event.channel_id:
            return "slack.link_in_channel", {}, language
        if team is None:
            return "slack.link_unknown_team", {}, language
        allowed = person.member.role is Role.WELLBEING_OFFICER or (
            person.member.role is Role.SUPERVISOR and team.id in person.member.team_ids
        )
        if not allowed:
            return "slack.link_not_allowed", {"name": team.name}, language
        channel = HomeChannel(Platform.SLACK, event.channel_id, event.sender.workspace)
        self.organisations.set_home_channel(team.id, channel)
        return "slack.linked", {"name": team.name, "team_id": team.id}, language

    async def members_changed(self, event: MembersChanged) -> None:
        """People who join or leave a team's home channel join or leave the team; one Slack could not describe is
        left out (and logged), the others still join."""

        async def read(user_id: str) -> PlatformPerson | None:
            try:
                person = await self._person(event.workspace, user_id)
            except DeliveryError as error:
                logger.warning("a channel member who joined was not read: %s", error.reason)
                return None
            return person if person.name else None  # bots and deactivated accounts are no members

        await self.channel_members.changed(event, read)

    async def _sync(self, team_id: int, workspace: str, channel_id: str) -> int:
        user_ids: list[str] = []
        cursor = ""
        while True:  # conversations.members pages with a cursor (https://api.slack.com/methods/conversations.members)
            page = await self._patiently(
                workspace, "conversations_members", channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor
            )
            listed: list[Any] = page.get("members", [])
            user_ids += [str(member) for member in listed]
            cursor = str((page.get("response_metadata") or {}).get("next_cursor", ""))
            if not cursor:
                break
        # Every member must be read before the team follows the channel: one left out would be taken out of the team.
        people = await read_people(user_ids, lambda user_id: self._person(workspace, user_id))
        people = [person for person in people if person.name]  # bots and deactivated accounts are no members
        await asyncio.to_thread(self.memberships.sync, team_id, Platform.SLACK, workspace, people)
        return len(people)

    async def _person(self, workspace: str, user_id: str) -> PlatformPerson:
        """Name and e-mail from users.info, kept for PERSON_FRESH_SECONDS; locale and time zone are saved for the
        person's messages."""
        kept = self._people.get((workspace, user_id))
        if kept is not None and self.monotonic() - kept[0] < PERSON_FRESH_SECONDS:
            return kept[1]
        answer = await self._patiently(workspace, "users_info", user=user_id, include_locale=True)
        user: dict[str, Any] = answer.get("user") or {}
        if user.get("is_bot") or user.get("deleted"):
            person = PlatformPerson(user_id, "")
        else:
            profile = PlatformProfile(str(user.get("locale", "")), str(user.get("tz", "")), datetime.now(UTC))
            await asyncio.to_thread(self.platforms.save_profile, "slack", workspace, user_id, profile)
            # profile.email comes with the users:read.email scope; it matches the person to the organisation file.
            email = str((user.get("profile") or {}).get("email") or "")
            person = PlatformPerson(user_id, str(user.get("real_name") or user.get("name") or user_id), email=email)
        self._people[(workspace, user_id)] = (self.monotonic(), person)
        return person

    async def _patiently(self, workspace: str, method: str, **arguments: Any) -> dict[str, Any]:
        """A Web API call; a 429 waits its Retry-After and tries again, within API_ATTEMPTS and API_PATIENCE."""
        waited = 0.0
        for attempt in range(1, API_ATTEMPTS + 1):
            try:
                return await self.port.api(workspace, method, **arguments)
            except DeliveryError as error:
                wait = error.retry_after
                if wait is None or attempt == API_ATTEMPTS or waited + wait > API_PATIENCE_SECONDS:
                    raise
                logger.info("team link: %s rate limited; trying again in %.0f s", method, wait)
                waited += wait
                await self.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _say(self, sender: Sender, language: str, key: str, **params: Any) -> None:
        to = Address(Platform.SLACK, user_id=sender.user_id, workspace=sender.workspace)
        await self.deliver(Reply((OutboundMessage(to=to, text=translate(language, key, **params)),)), sender)
