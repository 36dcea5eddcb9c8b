"""Me – us – all of us sessions: their stage, each person's picks and the pairs, read as domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from bot.flows.choose_model import ChooseSession, Pick, PickKind, Stage
from bot.flows.choose_tally import choice_key
from storage.db import Database
from storage.models import ChoosePairRow, ChoosePickRow, ChooseSessionRow


class ChooseRepository:
    """Reads and writes choosing sessions; every stage change is conditional, so a double tap acts once."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, team_id: int, started_by: int | None, now: datetime, closes_at: datetime) -> ChooseSession:
        """A new session in the "me" stage."""
        with self.db.transaction() as session:
            row = ChooseSessionRow(
                team_id=team_id, started_by=started_by, started_at=now, closes_at=closes_at, stage=Stage.ME.value
            )
            session.add(row)
            session.flush()
            return _session(row)

    def get(self, session_id: int) -> ChooseSession | None:
        """One session by id."""
        with self.db.transaction() as session:
            row = session.get(ChooseSessionRow, session_id)
            return None if row is None else _session(row)

    def open_for_team(self, team_id: int, now: datetime) -> ChooseSession | None:
        """The team's newest session that is neither done nor past its closing time."""
        with self.db.transaction() as session:
            row = session.scalars(
                select(ChooseSessionRow)
                .where(
                    ChooseSessionRow.team_id == team_id,
                    ChooseSessionRow.stage != Stage.DONE.value,
                    ChooseSessionRow.closes_at > now,
                )
                .order_by(ChooseSessionRow.started_at.desc(), ChooseSessionRow.id.desc())
            ).first()
            return None if row is None else _session(row)

    def latest_tallied(self, team_id: int) -> ChooseSession | None:
        """The team's newest session that reached "all of us": its tally is what the team chose from."""
        with self.db.transaction() as session:
            row = session.scalars(
                select(ChooseSessionRow)
                .where(
                    ChooseSessionRow.team_id == team_id,
                    ChooseSessionRow.stage.in_((Stage.ALL.value, Stage.DONE.value)),
                    ChooseSessionRow.id.in_(select(ChoosePairRow.session_id)),  # paired: not cancelled in "me"
                )
                .order_by(ChooseSessionRow.started_at.desc(), ChooseSessionRow.id.desc())
            ).first()
            return None if row is None else _session(row)

    def replace_picks(self, session_id: int, member_id: int, picks: Sequence[Pick]) -> bool:
        """Put the person's picks in place of their earlier ones; False (nothing written) once past "me"."""
        with self.db.transaction() as session:
            if _locked_stage(session, session_id) is not Stage.ME:
                return False
            session.execute(
                delete(ChoosePickRow).where(
                    ChoosePickRow.session_id == session_id, ChoosePickRow.member_id == member_id
                )
            )
            session.add_all(
                ChoosePickRow(session_id=session_id, member_id=member_id, kind=pick.kind.value, choice=pick.choice)
                for pick in picks
            )
            return True

    def picks(self, session_id: int, member_ids: Sequence[int] | None = None) -> list[Pick]:
        """Every pick of the session (or of some people), in the order they were made."""
        with self.db.transaction() as session:
            query = select(ChoosePickRow).where(ChoosePickRow.session_id == session_id)
            if member_ids is not None:
                query = query.where(ChoosePickRow.member_id.in_(list(member_ids)))
            rows = session.scalars(query.order_by(ChoosePickRow.id)).all()
            return [Pick(row.member_id, PickKind(row.kind), row.choice) for row in rows]

    def save_pairs(self, session_id: int, pairs: Sequence[Sequence[int]]) -> bool:
        """Store the pairs and move to "us"; False (nothing written) when the session was no longer in "me"."""
        with self.db.transaction() as session:
            if _locked_stage(session, session_id) is not Stage.ME:
                return False
            session.execute(
                update(ChooseSessionRow).where(ChooseSessionRow.id == session_id).values(stage=Stage.US.value)
            )
            session.add_all(
                ChoosePairRow(session_id=session_id, member_id=member_id, pair_no=number)
                for number, pair in enumerate(pairs, start=1)
                for member_id in pair
            )
            return True

    def merge_picks(self, session_id: int, kind: PickKind, source_key: str, into_key: str) -> bool:
        """Fold the picks of one item into another of the same kind, in the "all" stage; a person who picked both
        counts once. False (nothing written) when either item is gone or the stage has passed."""
        with self.db.transaction() as session:
            if _locked_stage(session, session_id) is not Stage.ALL or source_key == into_key:
                return False
            rows = session.scalars(
                select(ChoosePickRow).where(ChoosePickRow.session_id == session_id, ChoosePickRow.kind == kind.value)
            ).all()
            into = [row for row in rows if choice_key(row.choice) == into_key]
            source = [row for row in rows if choice_key(row.choice) == source_key]
            if not into or not source:
                return False
            holders = {row.member_id for row in into}
            for row in source:
                if row.member_id in holders:
                    session.delete(row)
                else:
                    row.choice = into[0].choice
            return True

    def pairs(self, session_id: int) -> tuple[tuple[int, ...], ...]:
        """The session's pairs and trios, in pair number order."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ChoosePairRow)
                .where(ChoosePairRow.session_id == session_id)
                .order_by(ChoosePairRow.pair_no, ChoosePairRow.member_id)
            ).all()
            groups: dict[int, list[int]] = {}
            for row in rows:
                groups.setdefault(row.pair_no, []).append(row.member_id)
            return tuple(tuple(members) for members in groups.values())

    def advance(self, session_id: int, from_stage: Stage, to_stage: Stage) -> bool:
        """Move the session on when it still stands where the caller saw it; False when someone was quicker."""
        with self.db.transaction() as session:
            result = session.execute(
                update(ChooseSessionRow)
                .where(ChooseSessionRow.id == session_id, ChooseSessionRow.stage == from_stage.value)
                .values(stage=to_stage.value)
            )
            return cast("CursorResult[Any]", result).rowcount == 1


def _locked_stage(session: Session, session_id: int) -> Stage | None:
    # FOR UPDATE on PostgreSQL: picks and pairing wait for each other, so no pick slips in after the pairs are drawn.
    stage = session.scalars(
        select(ChooseSessionRow.stage).where(ChooseSessionRow.id == session_id).with_for_update()
    ).first()
    return None if stage is None else Stage(stage)


def _session(row: ChooseSessionRow) -> ChooseSession:
    return ChooseSession(
        id=row.id,
        team_id=row.team_id,
        started_by=row.started_by,
        started_at=row.started_at,
        closes_at=row.closes_at,
        stage=Stage(row.stage),
    )
