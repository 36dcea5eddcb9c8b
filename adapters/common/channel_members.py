"""A team's home channel is its membership: who joins or leaves the channel joins or leaves the team."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

from bot.events import MembersChanged
from bot.organisation import Organisation, Platform
from storage.db import Database
from storage.membership_repository import MembershipRepository, PlatformPerson
from storage.org_repository import OrganisationRepository

logger = logging.getLogger(__name__)
T = TypeVar("T")

# People read from the platform at once: a channel of hundreds is read in seconds, not one call after another, and
# never as hundreds of calls at the same moment (the platforms' rate limits count per workspace).
READ_AT_ONCE = 8

ReadPerson = Callable[[str], Awaitable[PlatformPerson | None]]  # None: not read (logged by the reader)


def team_of_channel(organisation: Organisation | None, platform: Platform, channel_id: str) -> int | None:
    """The team whose home channel on the platform this is, if any."""
    for team in organisation.teams if organisation else ():
        home = team.home_channel(platform)
        if home is not None and home.channel_id == channel_id:
            return team.id
    return None


async def read_people(
    user_ids: Sequence[str], read: Callable[[str], Awaitable[PlatformPerson]]
) -> list[PlatformPerson]:
    """Each person read, READ_AT_ONCE at a time, in the order given; the first failure stops the rest and is raised."""
    one = _limited(read)
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(user_id)) for user_id in user_ids]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]


def _limited(read: Callable[[str], Awaitable[T]]) -> Callable[[str], Coroutine[Any, Any, T]]:
    """The reader, READ_AT_ONCE calls at a time however many are started."""
    limit = asyncio.Semaphore(READ_AT_ONCE)

    async def one(user_id: str) -> T:
        async with limit:
            return await read(user_id)

    return one


class ChannelMembers:
    """Keeps a linked team's members in step with its home channel on one platform."""

    def __init__(self, db: Database, platform: Platform) -> None:
        self.organisations = OrganisationRepository(db)
        self.memberships = MembershipRepository(db)
        self.platform = platform

    def team_of(self, channel_id: str) -> int | None:
        return team_of_channel(self.organisations.get(), self.platform, channel_id)

    async def changed(self, event: MembersChanged, read: ReadPerson) -> None:
        """People who join the channel join the team (those the platform could not describe are left out and
        logged); people who leave it leave the team. Other channels are ignored."""
        team_id = await asyncio.to_thread(self.team_of, event.channel_id)
        if team_id is None:
            return
        if event.added:
            one = _limited(read)
            found = await asyncio.gather(*(one(user_id) for user_id in event.added))
            people = [person for person in found if person is not None]
            if len(people) < len(found):
                missed = len(found) - len(people)
                logger.warning("%d of %d people who joined a team's channel were not read", missed, len(found))
            if people:
                await asyncio.to_thread(self.memberships.join, team_id, self.platform, event.workspace, people)
        if event.removed:
            await asyncio.to_thread(self.memberships.leave, team_id, self.platform, event.workspace, event.removed)
