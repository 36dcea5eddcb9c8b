"""Success shout-outs: saved per team, tied to a target or strength, listed since a day, and counted per target."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.success import Success
from storage.db import Database
from storage.models import SuccessMentionRow, SuccessRow


class SuccessRepository:
    """Reads and writes successes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, success: Success) -> Success:
        """Save a new success and return it with its id."""
        with self.db.transaction() as session:
            row = SuccessRow(
                team_id=success.team_id,
                text=success.text,
                posted_at=success.posted_at,
                author_id=success.author_id,
                target_id=success.target_id,
                strength_id=success.strength_id,
            )
            session.add(row)
            session.flush()
            for member_id in dict.fromkeys(success.mentioned_ids):  # a name mentioned twice is one mention
                session.add(SuccessMentionRow(success_id=row.id, member_id=member_id))
            return Success(
                team_id=row.team_id,
                text=row.text,
                posted_at=row.posted_at,
                author_id=row.author_id,
                mentioned_ids=tuple(dict.fromkeys(success.mentioned_ids)),
                target_id=row.target_id,
                strength_id=row.strength_id,
                id=row.id,
            )

    def get(self, success_id: int) -> Success | None:
        """One success with its mentions, or None when there is no such success."""
        with self.db.transaction() as session:
            row = session.get(SuccessRow, success_id)
            return None if row is None else _success(session, row)

    def link(self, success_id: int, target_id: int | None = None, strength_id: int | None = None) -> Success:
        """Tie a success to one target or one strength of its team's plan, or (both None) to nothing."""
        if target_id is not None and strength_id is not None:
            raise ValueError("a success is tied to a target or to a strength, not both")
        with self.db.transaction() as session:
            row = session.get(SuccessRow, success_id)
            if row is None:
                raise LookupError(f"no success {success_id}")
            row.target_id = target_id
            row.strength_id = strength_id
            session.flush()
            return _success(session, row)

    def for_team(self, team_id: int, since: datetime | None = None) -> list[Success]:
        """A team's successes, newest first, optionally only those posted since a moment."""
        with self.db.transaction() as session:
            query = select(SuccessRow).where(SuccessRow.team_id == team_id)
            if since is not None:
                query = query.where(SuccessRow.posted_at >= since)
            rows = session.scalars(query.order_by(SuccessRow.posted_at.desc(), SuccessRow.id.desc())).all()
            mentions: dict[int, list[int]] = defaultdict(list)
            for link in session.scalars(
                select(SuccessMentionRow).where(SuccessMentionRow.success_id.in_([r.id for r in rows]))
            ):
                mentions[link.success_id].append(link.member_id)
            return [
                Success(
                    team_id=r.team_id,
                    text=r.text,
                    posted_at=r.posted_at,
                    author_id=r.author_id,
                    mentioned_ids=tuple(sorted(mentions[r.id])),
                    target_id=r.target_id,
                    strength_id=r.strength_id,
                    id=r.id,
                )
                for r in rows
            ]

    def all_since(self, since: datetime) -> dict[int, list[Success]]:
        """Every team's successes posted since a moment, by team, newest first, in one query (the dashboard's pages
        and export; those mentioned are left out, as no page shows them)."""
        with self.db.transaction() as session:
            found: dict[int, list[Success]] = defaultdict(list)
            rows = session.scalars(
                select(SuccessRow)
                .where(SuccessRow.posted_at >= since)
                .order_by(SuccessRow.posted_at.desc(), SuccessRow.id.desc())
            )
            for row in rows:
                found[row.team_id].append(
                    Success(
                        row.team_id,
                        row.text,
                        row.posted_at,
                        row.author_id,
                        target_id=row.target_id,
                        strength_id=row.strength_id,
                        id=row.id,
                    )
                )
            return dict(found)

    def posted_since(self, since: datetime) -> dict[int, list[datetime]]:
        """When each team's successes since a moment were posted, by team, in one query (the dashboard counts them)."""
        with self.db.transaction() as session:
            posted: dict[int, list[datetime]] = defaultdict(list)
            for team_id, posted_at in session.execute(
                select(SuccessRow.team_id, SuccessRow.posted_at).where(SuccessRow.posted_at >= since)
            ):
                posted[team_id].append(posted_at)
            return dict(posted)

    def count_by_target_of_all(self) -> dict[int, int]:
        """How many successes each plan target of any team has gathered, by target id."""
        with self.db.transaction() as session:
            rows = session.execute(
                select(SuccessRow.target_id, func.count())
                .where(SuccessRow.target_id.is_not(None))
                .group_by(SuccessRow.target_id)
            ).all()
            return {target_id: count for target_id, count in rows if target_id is not None}

    def count_by_target(self, team_id: int) -> dict[int, int]:
        """How many successes each plan target of the team has gathered."""
        with self.db.transaction() as session:
            rows = session.execute(
                select(SuccessRow.target_id, func.count())
                .where(SuccessRow.team_id == team_id, SuccessRow.target_id.is_not(None))
                .group_by(SuccessRow.target_id)
            ).all()
            return {target_id: count for target_id, count in rows if target_id is not None}


def _success(session: Session, row: SuccessRow) -> Success:
    mentioned = session.scalars(select(SuccessMentionRow.member_id).where(SuccessMentionRow.success_id == row.id)).all()
    return Success(
        team_id=row.team_id,
        text=row.text,
        posted_at=row.posted_at,
        author_id=row.author_id,
        mentioned_ids=tuple(sorted(mentioned)),
        target_id=row.target_id,
        strength_id=row.strength_id,
        id=row.id,
    )
