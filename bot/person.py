"""Who the bot is talking to: the member behind a platform sender, their team, language and where to reach them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.card_limits import shorten
from bot.errors import DomainError
from bot.events import Sender
from bot.language import resolve_language
from bot.messages import Address
from bot.organisation import Member, Organisation, Platform, Role, Team

LOCAL_PLATFORMS = (Platform.WEB, Platform.CONSOLE)  # where a user id is simply the member id


class Directory(Protocol):
    """The organisation as the conversation needs it (storage's OrganisationRepository fits)."""

    def get(self) -> Organisation | None: ...

    def members(self, team_id: int | None = None, *, role: Role | None = None) -> list[Member]:
        """Every member, or one team's; with `role`, only those in that role."""
        ...

    def member(self, member_id: int) -> Member | None: ...

    def member_names(self, member_ids: Iterable[int]) -> dict[int, str]:
        """The names of those of the members that exist, by id."""
        ...

    def member_by_identity(self, platform: Platform, user_id: str, workspace: str = "") -> Member | None:
        """The member behind a platform id: one stored for that workspace, else one stored without a workspace."""
        ...

    def set_member_language(self, member_id: int, language: str | None) -> None: ...


@dataclass(frozen=True)
class Person:
    """A member in conversation: the team they act for, the language to use and their own address."""

    member: Member
    organisation: Organisation
    team: Team | None
    language: str
    address: Address

    @property
    def is_supervisor(self) -> bool:
        """Supervisors own their team's plan; wellbeing officers may act for any team."""
        return self.member.role in (Role.SUPERVISOR, Role.WELLBEING_OFFICER)


def find_person(directory: Directory, sender: Sender) -> Person | None:
    """The member behind a sender, or None when the organisation does not know them."""
    organisation = directory.get()
    if organisation is None:
        return None
    if sender.platform in LOCAL_PLATFORMS:
        member = directory.member(int(sender.user_id)) if sender.user_id.isdigit() else None
    else:
        # Imported ids carry no workspace in single-workspace mode: the directory matches those too.
        member = directory.member_by_identity(sender.platform, sender.user_id, sender.workspace)
    if member is None:
        return None
    return person_for(member, organisation, sender.platform, platform_locale=sender.locale, workspace=sender.workspace)


def person_for(
    member: Member,
    organisation: Organisation,
    platform: Platform | None = None,
    *,
    platform_locale: str | None = None,
    workspace: str = "",
) -> Person:
    """A member as a conversation partner; without a platform, reached where they can be reached."""
    team = next((t for t in organisation.teams if t.id in member.team_ids), None)
    language = resolve_language(member=member, platform_locale=platform_locale, team=team, organisation=organisation)
    address = address_of(member, platform)
    if workspace and not address.workspace:
        address = Address(address.platform, address.user_id, address.channel_id, workspace)
    return Person(member, organisation, team, language, address)


def address_of(member: Member, platform: Platform | None = None) -> Address:
    """A member's direct-message address: on the given platform, else Slack, else Teams, else the local web chat."""
    order = [platform] if platform is not None else [Platform.SLACK, Platform.TEAMS]
    for candidate in order:
        if candidate in LOCAL_PLATFORMS:
            return Address(candidate, user_id=str(member.id))
        identity = member.identity(candidate)
        if identity is not None:
            return Address(candidate, user_id=identity.user_id, workspace=identity.workspace)
    return Address(Platform.WEB, user_id=str(member.id))


def team_channel(team: Team, platform: Platform | None = None) -> Address:
    """A team's home channel: on the given platform when it has one there, else its first, else the local web chat."""
    channels = [c for c in team.home_channels if platform is None or c.platform == platform]
    if channels:
        return Address(channels[0].platform, channel_id=channels[0].channel_id, workspace=channels[0].workspace)
    return Address(Platform.WEB, channel_id=f"team-{team.id}")


def led_teams(person: Person) -> list[Team]:
    """The teams whose plan the person leads: a supervisor their own, a wellbeing officer every team."""
    teams = person.organisation.teams
    if person.member.role is Role.WELLBEING_OFFICER:
        return list(teams)
    if person.member.role is Role.SUPERVISOR:
        return [t for t in teams if t.id in person.member.team_ids]
    return []


def named_or_own_team(person: Person, args: str) -> Team:
    """The team a command names (`seuranta kotihoito`), else the person's own; unknown or none is a clear error."""
    if args.strip():
        team = person.organisation.team_by_key(args)
        if team is None:
            raise DomainError("team.unknown", team=shorten(args.strip(), 100))
        return team
    if person.team is None:
        raise DomainError("team.none")
    return person.team
