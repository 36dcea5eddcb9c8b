"""The member a platform's person is: by platform id, then directory object id, then e-mail; never a second one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.organisation import Platform
from storage.models import MemberIdentityRow, MemberRow, OrganisationRow


@dataclass(frozen=True)
class PlatformPerson:
    """Someone a platform lists in a channel: their user id and display name, and what else it says of them."""

    user_id: str
    name: str
    email: str = ""  # Slack's profile.email; Teams' email
    upn: str = ""  # Teams' userPrincipalName: often, not always, the e-mail address
    aad_object_id: str = ""  # Teams: the Microsoft Entra object id

    @property
    def addresses(self) -> set[str]:
        """The e-mail addresses the organisation file may know them by, lower case."""
        return {address.strip().casefold() for address in (self.email, self.upn) if address.strip()}


def member_for(session: Session, platform: Platform, workspace: str, person: PlatformPerson) -> MemberRow:
    """The member behind the person, their identity brought up to date; a new staff member only when none is."""
    identity = _by_user_id(session, platform, workspace, person.user_id)
    if identity is None and person.aad_object_id:
        identity = _by_directory_id(session, platform, person.aad_object_id)
    if identity is not None:
        _complete(identity, platform, workspace, person)
        member = session.get(MemberRow, identity.member_id)
        if member is not None:
            return member
    member = _by_email(session, person)
    if member is None:
        org_id = session.scalars(select(OrganisationRow.id).order_by(OrganisationRow.id)).first()
        if org_id is None:
            raise LookupError("no organisation to add members to")
        email = person.email.strip() or person.upn.strip() or None
        member = MemberRow(org_id=org_id, name=person.name[:200] or person.user_id, email=email, role="staff")
        session.add(member)
        session.flush()
    _give_identity(session, member.id, platform, workspace, person)
    return member


def member_by_user_id(session: Session, platform: Platform, workspace: str, user_id: str) -> MemberRow | None:
    """The member with this platform id in the workspace, or imported without a workspace."""
    identity = _by_user_id(session, platform, workspace, user_id)
    return None if identity is None else session.get(MemberRow, identity.member_id)


def _by_user_id(session: Session, platform: Platform, workspace: str, user_id: str) -> MemberIdentityRow | None:
    # An id imported from the org file carries no workspace (single-workspace mode); the workspace's own wins.
    return session.scalars(
        select(MemberIdentityRow)
        .where(
            MemberIdentityRow.platform == platform.value,
            MemberIdentityRow.user_id == user_id,
            MemberIdentityRow.workspace.in_([workspace, ""]),
        )
        .order_by(MemberIdentityRow.workspace.desc())
    ).first()


def _by_directory_id(session: Session, platform: Platform, aad_object_id: str) -> MemberIdentityRow | None:
    return session.scalars(
        select(MemberIdentityRow)
        .where(
            MemberIdentityRow.platform == platform.value,
            func.lower(MemberIdentityRow.aad_object_id) == aad_object_id.lower(),
        )
        .order_by(MemberIdentityRow.id)
    ).first()


def _by_email(session: Session, person: PlatformPerson) -> MemberRow | None:
    if not person.addresses:
        return None
    return session.scalars(
        select(MemberRow).where(func.lower(MemberRow.email).in_(sorted(person.addresses))).order_by(MemberRow.id)
    ).first()


def _complete(identity: MemberIdentityRow, platform: Platform, workspace: str, person: PlatformPerson) -> None:
    """What the platform says now: its id for the person (a directory match may find an older bot's id), the
    directory id, and for Teams the tenant, which every new conversation must name."""
    identity.user_id = person.user_id
    if person.aad_object_id:
        identity.aad_object_id = person.aad_object_id
    if platform is Platform.TEAMS and workspace:
        identity.workspace = workspace


def _give_identity(
    session: Session, member_id: int, platform: Platform, workspace: str, person: PlatformPerson
) -> None:
    # One identity per person and workspace: an id the org file gave that the platform does not list is replaced.
    mine = session.scalars(
        select(MemberIdentityRow).where(
            MemberIdentityRow.member_id == member_id,
            MemberIdentityRow.platform == platform.value,
            MemberIdentityRow.workspace.in_([workspace, ""]),
        )
    ).first()
    if mine is None:
        mine = MemberIdentityRow(member_id=member_id, platform=platform.value, workspace=workspace, user_id="")
        session.add(mine)
    _complete(mine, platform, workspace, person)
    session.flush()
