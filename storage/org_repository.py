"""The organisation, its teams and members: reading them as domain objects and applying an org import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.org_import import MemberSpec, OrgSpec
from bot.organisation import HomeChannel, Member, Organisation, Platform, PlatformIdentity, Role, Team
from storage.click_sql import MEMBER_BY_IDENTITY
from storage.db import Database
from storage.member_merge import fold_member
from storage.models import (
    MemberIdentityRow,
    MemberRow,
    OrganisationRow,
    TeamChannelRow,
    TeamMemberRow,
    TeamRow,
)
from storage.org_changes import organisation_changed


@dataclass(frozen=True)
class ImportSummary:
    """What an org import changed, for the person who ran it."""

    units_created: int
    units_updated: int
    members_created: int
    members_updated: int


class OrganisationRepository:
    """Reads and writes the single organisation this installation serves."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self) -> Organisation | None:
        """The organisation with its teams, or None before anything was imported."""
        with self.db.transaction() as session:
            row = session.scalars(select(OrganisationRow).order_by(OrganisationRow.id)).first()
            if row is None:
                return None
            return _organisation(session, row)

    def is_empty(self) -> bool:
        """True when no organisation exists yet (the demo seeds only then)."""
        with self.db.transaction() as session:
            return session.scalars(select(OrganisationRow.id)).first() is None

    def create(self, name: str, *, language: str = "fi", timezone: str = "Europe/Helsinki") -> Organisation:
        """Create the organisation."""
        with self.db.transaction() as session:
            row = OrganisationRow(name=name, language=language, timezone=timezone, anonymity_threshold=5)
            session.add(row)
            session.flush()
            created = _organisation(session, row)
        organisation_changed()
        return created

    def set_home_channel(self, team_id: int, channel: HomeChannel) -> None:
        """Make a channel the team's home on its platform, replacing any earlier one."""
        with self.db.transaction() as session:
            session.execute(
                delete(TeamChannelRow).where(
                    TeamChannelRow.team_id == team_id, TeamChannelRow.platform == channel.platform.value
                )
            )
            session.add(
                TeamChannelRow(
                    team_id=team_id,
                    platform=channel.platform.value,
                    workspace=channel.workspace,
                    channel_id=channel.channel_id,
                )
            )
        organisation_changed()

    def members(self, team_id: int | None = None, *, role: Role | None = None) -> list[Member]:
        """Every member, or the members of one team, ordered by name; with `role`, only those in that role."""
        with self.db.transaction() as session:
            query = select(MemberRow).order_by(MemberRow.name, MemberRow.id)
            if role is not None:  # a city's ten thousand people are not read to find its two wellbeing officers
                query = query.where(MemberRow.role == role.value)
            if team_id is not None:
                query = query.join(TeamMemberRow, TeamMemberRow.member_id == MemberRow.id).where(
                    TeamMemberRow.team_id == team_id
                )
            return _members(session, session.scalars(query).all())

    def member(self, member_id: int) -> Member | None:
        """One member by id."""
        with self.db.transaction() as session:
            row = session.get(MemberRow, member_id)
            return None if row is None else _members(session, [row])[0]

    def member_names(self, member_ids: Iterable[int]) -> dict[int, str]:
        """The names of those of the members that exist, by id: a card naming a plan's owners reads only them."""
        wanted = sorted(set(member_ids))
        if not wanted:
            return {}
        with self.db.transaction() as session:
            rows = session.execute(select(MemberRow.id, MemberRow.name).where(MemberRow.id.in_(wanted)))
            return {member_id: name for member_id, name in rows}

    def set_member_language(self, member_id: int, language: str | None) -> None:
        """Remember the language a person chose (None: follow the platform, team and organisation)."""
        with self.db.transaction() as session:
            row = session.get(MemberRow, member_id)
            if row is None:
                raise LookupError(f"no member {member_id}")
            row.language = language

    def member_by_identity(self, platform: Platform, user_id: str, workspace: str = "") -> Member | None:
        """The member behind a platform user id, if the organisation knows them.

        An id stored without a workspace (imported in single-workspace mode) matches from any workspace; one
        stored with the sender's workspace wins over it. Read on every event, so in plain SQL (storage/click_sql.py).
        """
        found = {"platform": platform.value, "user_id": user_id, "workspace": workspace}
        with self.db.autocommit() as connection:
            rows = connection.execute(MEMBER_BY_IDENTITY, found).all()
        if not rows:
            return None
        first = rows[0]
        team_ids = dict.fromkeys(row.team_id for row in rows if row.team_id is not None)
        identities = {row.identity_id: (row.platform, row.user_id, row.workspace) for row in rows}
        return Member(
            id=first.id,
            name=first.name,
            role=Role(first.role),
            email=first.email,
            language=first.language,
            team_ids=tuple(team_ids),
            identities=tuple(PlatformIdentity(Platform(p), u, w) for p, u, w in identities.values()),
        )

    def apply_import(self, spec: OrgSpec) -> ImportSummary:
        """Create or update units and members from a checked file, all in one transaction."""
        with self.db.transaction() as session:
            org = session.scalars(select(OrganisationRow).order_by(OrganisationRow.id)).first()
            if org is None:
                org = OrganisationRow(name=spec.name or "", language="fi", timezone="Europe/Helsinki")
                org.anonymity_threshold = 5
                session.add(org)
            if spec.name:
                org.name = spec.name
            org.language = spec.language or org.language or "fi"
            org.timezone = spec.timezone or org.timezone or "Europe/Helsinki"
            if spec.anonymity_threshold is not None:
                org.anonymity_threshold = spec.anonymity_threshold
            session.flush()
            teams, created_units, updated_units = _upsert_units(session, org, spec)
            created_members, updated_members = _upsert_members(session, org, spec.members, teams)
        organisation_changed()
        return ImportSummary(created_units, updated_units, created_members, updated_members)


def _upsert_units(session: Session, org: OrganisationRow, spec: OrgSpec) -> tuple[dict[str, TeamRow], int, int]:
    existing = {t.key.casefold(): t for t in session.scalars(select(TeamRow).where(TeamRow.org_id == org.id))}
    created = updated = 0
    for unit in spec.units:
        row = existing.get(unit.key.casefold())
        if row is None:
            row = TeamRow(org_id=org.id, key=unit.key)
            session.add(row)
            existing[unit.key.casefold()] = row
            created += 1
        else:
            updated += 1
        row.name = unit.name
        row.timezone = unit.timezone or org.timezone
        row.language = unit.language
    session.flush()
    for unit in spec.units:  # parents second: every unit has an id by now
        parent = existing[unit.parent_key.casefold()] if unit.parent_key else None
        existing[unit.key.casefold()].parent_id = parent.id if parent else None
    return existing, created, updated


def _upsert_members(
    session: Session, org: OrganisationRow, specs: Iterable[MemberSpec], teams: dict[str, TeamRow]
) -> tuple[int, int]:
    specs = list(specs)
    found = [_find_member(session, org, spec) for spec in specs]
    in_file = {row.id for row in found if row is not None}  # the file's people: never folded into another
    created = updated = 0
    for spec, row in zip(specs, found, strict=True):
        if row is None:
            row = MemberRow(org_id=org.id)
            session.add(row)
            created += 1
        else:
            updated += 1
        row.name, row.email, row.role, row.language = spec.name, spec.email, spec.role.value, spec.language
        session.flush()
        session.execute(delete(TeamMemberRow).where(TeamMemberRow.member_id == row.id))
        for key in spec.unit_keys:
            session.add(TeamMemberRow(team_id=teams[key.casefold()].id, member_id=row.id))
        session.flush()
        if spec.slack_id:
            _set_identity(session, row.id, Platform.SLACK, spec.slack_id, "", in_file)
        if spec.teams_id:
            _set_identity(session, row.id, Platform.TEAMS, spec.teams_id, spec.teams_tenant or "", in_file)
    return created, updated


def _find_member(session: Session, org: OrganisationRow, spec: MemberSpec) -> MemberRow | None:
    if spec.email:
        row = session.scalars(
            select(MemberRow).where(MemberRow.org_id == org.id, func.lower(MemberRow.email) == spec.email.lower())
        ).first()
        if row is not None:
            return row
    for platform, user_id in ((Platform.SLACK, spec.slack_id), (Platform.TEAMS, spec.teams_id)):
        if user_id:
            row = session.scalars(
                select(MemberRow)
                .join(MemberIdentityRow, MemberIdentityRow.member_id == MemberRow.id)
                .where(MemberIdentityRow.platform == platform.value, MemberIdentityRow.user_id == user_id)
            ).first()
            if row is not None:
                return row
    return None


def _set_identity(
    session: Session, member_id: int, platform: Platform, user_id: str, workspace: str, in_file: set[int]
) -> None:
    """The file gives this person this id: whoever held it before gives it up, and a member a platform created for
    them before they were matched (an earlier install, issue 18) is folded into them, with all it had."""
    same_id = (MemberIdentityRow.platform == platform.value, MemberIdentityRow.user_id == user_id)
    holders = set(session.scalars(select(MemberIdentityRow.member_id).where(*same_id))) - {member_id}
    for holder in sorted(holders):
        if holder in in_file:  # another of the file's people: the id moves, they stay
            session.execute(delete(MemberIdentityRow).where(MemberIdentityRow.member_id == holder, *same_id))
        else:
            fold_member(session, holder, member_id)
    if holders:
        session.expire_all()  # rows moved under the session's feet; rare, so the whole session may be read again
    mine = session.scalars(
        select(MemberIdentityRow)
        .where(MemberIdentityRow.member_id == member_id, MemberIdentityRow.platform == platform.value)
        .order_by(MemberIdentityRow.id)
    ).all()
    # What a platform added to the id (its workspace or tenant, the directory id) is kept; the file's tenant wins.
    kept = max(
        (i for i in mine if i.user_id == user_id),
        key=lambda i: (bool(i.workspace), bool(i.aad_object_id)),
        default=None,
    )
    for identity in mine:
        if identity is not kept:
            session.delete(identity)
    session.flush()
    if kept is None:
        session.add(
            MemberIdentityRow(member_id=member_id, platform=platform.value, workspace=workspace, user_id=user_id)
        )
    elif workspace:
        kept.workspace = workspace
    session.flush()


def _organisation(session: Session, row: OrganisationRow) -> Organisation:
    team_rows = session.scalars(select(TeamRow).where(TeamRow.org_id == row.id).order_by(TeamRow.id)).all()
    channels: dict[int, list[HomeChannel]] = defaultdict(list)
    for channel in session.scalars(select(TeamChannelRow).order_by(TeamChannelRow.id)):
        channels[channel.team_id].append(HomeChannel(Platform(channel.platform), channel.channel_id, channel.workspace))
    teams = tuple(
        Team(
            id=t.id,
            key=t.key,
            name=t.name,
            parent_id=t.parent_id,
            timezone=t.timezone,
            language=t.language,
            home_channels=tuple(channels[t.id]),
        )
        for t in team_rows
    )
    return Organisation(
        id=row.id,
        name=row.name,
        language=row.language,
        timezone=row.timezone,
        anonymity_threshold=row.anonymity_threshold,
        teams=teams,
    )


def _members(session: Session, rows: Iterable[MemberRow]) -> list[Member]:
    rows = list(rows)
    ids = [r.id for r in rows]
    team_ids: dict[int, list[int]] = defaultdict(list)
    for link in session.scalars(
        select(TeamMemberRow).where(TeamMemberRow.member_id.in_(ids)).order_by(TeamMemberRow.team_id)
    ):
        team_ids[link.member_id].append(link.team_id)
    identities: dict[int, list[PlatformIdentity]] = defaultdict(list)
    for ident in session.scalars(
        select(MemberIdentityRow).where(MemberIdentityRow.member_id.in_(ids)).order_by(MemberIdentityRow.id)
    ):
        identities[ident.member_id].append(PlatformIdentity(Platform(ident.platform), ident.user_id, ident.workspace))
    return [
        Member(
            id=r.id,
            name=r.name,
            role=Role(r.role),
            email=r.email,
            language=r.language,
            team_ids=tuple(team_ids[r.id]),
            identities=tuple(identities[r.id]),
        )
        for r in rows
    ]
