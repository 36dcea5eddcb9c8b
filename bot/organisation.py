"""Who is who: the organisation, its teams (units) and their members with platform identities and roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Helsinki"
DEFAULT_LANGUAGE = "fi"


class Role(StrEnum):
    """What a person does in the development work; decides what they may see and change."""

    STAFF = "staff"
    SUPERVISOR = "supervisor"
    WELLBEING_OFFICER = "wellbeing_officer"


class Platform(StrEnum):
    """The chat platforms a person can be reached on."""

    SLACK = "slack"
    TEAMS = "teams"
    WEB = "web"  # the local web chat of the embedded default; user ids are member ids
    CONSOLE = "console"  # `tyhy chat` in a terminal; user ids are member ids


@dataclass(frozen=True)
class PlatformIdentity:
    """A person's user id on one platform, inside one Slack workspace or Teams tenant."""

    platform: Platform
    user_id: str
    workspace: str = ""  # Slack team id or Teams tenant id; empty when single-workspace


@dataclass(frozen=True)
class HomeChannel:
    """The channel where a team's successes and discussion starters are posted."""

    platform: Platform
    channel_id: str
    workspace: str = ""


@dataclass(frozen=True)
class Team:
    """A team or unit; units nest through `parent_id` and small ones roll up into their parent."""

    id: int
    key: str  # short, stable name used in commands and files, e.g. "kotihoito"
    name: str
    parent_id: int | None = None
    timezone: str = DEFAULT_TIMEZONE
    language: str | None = None  # None: the organisation's language
    home_channels: tuple[HomeChannel, ...] = ()

    def home_channel(self, platform: Platform) -> HomeChannel | None:
        """The team's home channel on a platform, if it has one."""
        return next((c for c in self.home_channels if c.platform == platform), None)


@dataclass(frozen=True)
class Member:
    """A person in the organisation; never linked to any pulse answer."""

    id: int
    name: str
    role: Role = Role.STAFF
    email: str | None = None
    language: str | None = None  # None: the team's, then the organisation's
    team_ids: tuple[int, ...] = ()
    identities: tuple[PlatformIdentity, ...] = ()

    def identity(self, platform: Platform) -> PlatformIdentity | None:
        """The person's identity on a platform, if known."""
        return next((i for i in self.identities if i.platform == platform), None)


@dataclass(frozen=True)
class Organisation:
    """A municipality or firm running the yearly wellbeing cycle."""

    id: int
    name: str
    language: str = DEFAULT_LANGUAGE
    timezone: str = DEFAULT_TIMEZONE
    anonymity_threshold: int = 5
    teams: tuple[Team, ...] = field(default=())

    def team_by_key(self, key: str) -> Team | None:
        """Find a team by its key, ignoring case."""
        wanted = key.strip().casefold()
        return next((t for t in self.teams if t.key.casefold() == wanted), None)

    def children_of(self, team_id: int) -> tuple[Team, ...]:
        """The units directly under a unit."""
        return tuple(t for t in self.teams if t.parent_id == team_id)

    def unit_and_below(self, team_id: int) -> tuple[int, ...]:
        """The unit's id and those of every unit under it, at any depth (a loop in bad data is walked once)."""
        found = [team_id]
        for unit_id in found:
            found += [t.id for t in self.children_of(unit_id) if t.id not in found]
        return tuple(found)


def zone_or_default(name: str) -> ZoneInfo:
    """The named time zone; Helsinki when the name is unknown, so a typo in a file never stops a page or a round."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def team_time(moment: datetime, team: Team) -> datetime:
    """A moment on the team's clock, where "today" and "next Friday" are (an unknown zone: Helsinki)."""
    return moment.astimezone(zone_or_default(team.timezone))
