"""A team's members as a platform lists them: people in the team's home channel join it, people who leave go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.organisation import Platform
from storage.db import Database
from storage.identity_match import PlatformPerson, member_by_user_id, member_for
from storage.models import MemberIdentityRow, TeamMemberRow

__all__ = ["MembershipRepository", "PlatformPerson", "SyncSummary"]


@dataclass(frozen=True)
class SyncSummary:
    """What a sync changed: people who joined the team and people who left it."""

    joined: int
    left: int


class MembershipRepository:
    """Adds and removes team members as platforms list them, each matched to the member they are (identity_match);
    the org file stays the source for roles."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def join(self, team_id: int, platform: Platform, workspace: str, people: Sequence[PlatformPerson]) -> int:
        """Put each person in the team, creating the member the first time a platform shows them; returns joins."""
        with self.db.transaction() as session:
            return sum(self._join(session, team_id, platform, workspace, person) for person in people)

    def leave(self, team_id: int, platform: Platform, workspace: str, user_ids: Sequence[str]) -> int:
        """Take the people out of the team (they stay members of the organisation and of other teams)."""
        with self.db.transaction() as session:
            left = 0
            for user_id in user_ids:
                member = member_by_user_id(session, platform, workspace, user_id)
                if member is not None:
                    result = session.execute(
                        delete(TeamMemberRow).where(
                            TeamMemberRow.team_id == team_id, TeamMemberRow.member_id == member.id
                        )
                    )
                    left += int(getattr(result, "rowcount", 0))
            return left

    def sync(self, team_id: int, platform: Platform, workspace: str, people: Sequence[PlatformPerson]) -> SyncSummary:
        """Make the team's members on this platform exactly the people listed, in one transaction."""
        listed = {person.user_id for person in people}
        with self.db.transaction() as session:
            joined = sum(self._join(session, team_id, platform, workspace, person) for person in people)
            current = session.execute(
                select(TeamMemberRow.member_id, MemberIdentityRow.user_id)
                .join(MemberIdentityRow, MemberIdentityRow.member_id == TeamMemberRow.member_id)
                .where(
                    TeamMemberRow.team_id == team_id,
                    MemberIdentityRow.platform == platform.value,
                    MemberIdentityRow.workspace.in_([workspace, ""]),
                )
            ).all()
            gone = {member_id for member_id, user_id in current if user_id not in listed}
            if gone:
                session.execute(
                    delete(TeamMemberRow).where(TeamMemberRow.team_id == team_id, TeamMemberRow.member_id.in_(gone))
                )
            return SyncSummary(joined, len(gone))

    def _join(self, session: Session, team_id: int, platform: Platform, workspace: str, person: PlatformPerson) -> int:
        member = member_for(session, platform, workspace, person)
        in_team = session.get(TeamMemberRow, (team_id, member.id))
        if in_team is not None:
            return 0
        session.add(TeamMemberRow(team_id=team_id, member_id=member.id))
        session.flush()
        return 1
