"""Pulse rounds and their answers, kept as counters only: exact under concurrent answers, never tied to a person."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.anonymity import UnitNode
from bot.errors import AlreadyAnswered, DomainError
from bot.kept_values import KeptValues
from bot.pulse import ANSWER_VALUES, PulseRound
from bot.results import RoundTallies, TeamTally
from storage.click_sql import (
    HAS_ANSWERED,
    KEEP_PENDING,
    MARK_ANSWERED,
    PENDING_OF_TEAM,
    PREVIOUS_ROUND_OF_TEAM,
    ROUND_FOR_TEAMS,
    UNMARK_ANSWERED,
)
from storage.db import Database
from storage.models import (
    OrganisationRow,
    PulseAnswerCountRow,
    PulseAnsweredRow,
    PulseCommentRow,
    PulseRoundRow,
    PulseRoundTeamRow,
    PulseRoundUnitRow,
    TeamRow,
)
from storage.pulse_mixer import batch_size, mix_team, random_id

logger = logging.getLogger(__name__)

# A large city's round of four thousand teams, each with its round and its previous round, and some to spare.
KEPT_ROUNDS = 16384

# Draws of a pending answer's id before giving up; one collision in a lifetime is already unlikely.
_ID_ATTEMPTS = 5


class PulseRepository:
    """Creates rounds, records answer sets atomically and reads the tallies back."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # What clicks read, fixed once a round is made (bot/kept_values.py).
        self._rounds: KeptValues[PulseRound | None] = KeptValues(KEPT_ROUNDS)

    def create_round(self, org_id: int, pulse_round: PulseRound, invited: Mapping[int, int]) -> PulseRound:
        """Save a new round with, per team, its questions and how many were asked.

        The organisation's unit tree and anonymity threshold are frozen with it, in the same transaction: the round
        is reported under them for good, whatever a later import moves or lowers (bot.results.RoundTallies).
        """
        with self.db.transaction() as session:
            threshold = session.execute(
                select(OrganisationRow.anonymity_threshold).where(OrganisationRow.id == org_id)
            ).scalar_one()
            row = PulseRoundRow(
                org_id=org_id,
                opens_at=pulse_round.opens_at,
                closes_at=pulse_round.closes_at,
                anonymity_threshold=threshold,
            )
            session.add(row)
            session.flush()
            tree = session.execute(select(TeamRow.id, TeamRow.parent_id).where(TeamRow.org_id == org_id)).all()
            if tree:
                session.execute(
                    insert(PulseRoundUnitRow),
                    [{"round_id": row.id, "unit_id": unit_id, "parent_id": parent_id} for unit_id, parent_id in tree],
                )
            for team_id, questions in pulse_round.team_questions.items():
                session.add(
                    PulseRoundTeamRow(
                        round_id=row.id,
                        team_id=team_id,
                        question_ids=",".join(questions),
                        invited=invited.get(team_id, 0),
                        respondents=0,
                    )
                )
            session.flush()
            # Every counter exists, at 0, before the first answer: an answer then only adds to counters. Were the
            # first answer to create its values' rows, their insertion order (SQLite's rowid, PostgreSQL's heap
            # order and xmin) would show which values the first to answer chose.
            zeros = [
                {"round_id": row.id, "team_id": team_id, "question_id": question_id, "value": value, "count": 0}
                for team_id, questions in pulse_round.team_questions.items()
                for question_id in questions
                for value in ANSWER_VALUES
            ]
            if zeros:
                session.execute(insert(PulseAnswerCountRow), zeros)
            return _round(session, row)

    def get_round(self, round_id: int, team_ids: Iterable[int] | None = None) -> PulseRound | None:
        """One round by id; with `team_ids`, holding only those of its teams (an answer needs one team's questions,
        and a city's round asks a thousand teams)."""
        if team_ids is None:
            with self.db.transaction() as session:
                row = session.get(PulseRoundRow, round_id)
                return None if row is None else _round(session, row)
        wanted = sorted(set(team_ids))
        return self._rounds.get_or_read(
            ("round", round_id, *wanted), lambda: self._read_round(round_id, wanted), keep=lambda found: bool(found)
        )

    def _read_round(self, round_id: int, team_ids: list[int]) -> PulseRound | None:
        with self.db.autocommit() as connection:  # every click: plain SQL (storage/click_sql.py)
            rows = connection.execute(ROUND_FOR_TEAMS, {"round_id": round_id, "team_ids": team_ids}).all()
        if not rows:
            return None
        return PulseRound(
            opens_at=rows[0].opens_at,
            closes_at=rows[0].closes_at,
            team_questions={r.team_id: _questions(r.question_ids) for r in rows if r.team_id is not None},
            id=round_id,
        )

    def previous_round(self, org_id: int, team_id: int, current: PulseRound) -> PulseRound | None:
        """The team's latest round that closed before `current` opened, holding only that team.

        Kept once read: rounds open when they are made, so none made later closes before `current` opened.
        """
        key = ("previous", org_id, team_id, current.id, current.opens_at)
        return self._rounds.get_or_read(key, lambda: self._read_previous(org_id, team_id, current))

    def _read_previous(self, org_id: int, team_id: int, current: PulseRound) -> PulseRound | None:
        wanted = {"org_id": org_id, "team_id": team_id, "current_id": current.id, "opens_at": current.opens_at}
        with self.db.autocommit() as connection:  # every Send: plain SQL (storage/click_sql.py)
            row = connection.execute(PREVIOUS_ROUND_OF_TEAM, wanted).first()
        if row is None:
            return None
        return PulseRound(row.opens_at, row.closes_at, {team_id: _questions(row.question_ids)}, id=row.id)

    def rounds(self, org_id: int) -> list[PulseRound]:
        """Every round of the organisation, oldest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(PulseRoundRow).where(PulseRoundRow.org_id == org_id).order_by(PulseRoundRow.closes_at)
            ).all()
            return [_round(session, row) for row in rows]

    def closed_between(self, org_id: int, since: datetime, until: datetime) -> list[PulseRound]:
        """The organisation's rounds that closed after `since` and by `until`, oldest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(PulseRoundRow)
                .where(
                    PulseRoundRow.org_id == org_id, PulseRoundRow.closes_at > since, PulseRoundRow.closes_at <= until
                )
                .order_by(PulseRoundRow.closes_at, PulseRoundRow.id)
            ).all()
            return [_round(session, row) for row in rows]

    def next_close_after(self, now: datetime) -> datetime | None:
        """When the next open round closes (any organisation's): a moment the demo's clock stops at."""
        with self.db.transaction() as session:
            return session.scalar(select(func.min(PulseRoundRow.closes_at)).where(PulseRoundRow.closes_at > now))

    def record_answers(
        self,
        round_id: int,
        member_id: int,
        team_id: int,
        values: Mapping[str, int],
        comment: str | None = None,
    ) -> None:
        """Mark the person as answered, and leave their answers and comment to the mixer under a random id.

        Two transactions, never one: the marker names the person, the pending answer names nobody, and no
        transaction id (PostgreSQL's xmin, SQLite's commit in the WAL) holds both. A second answer set to the same
        round is refused by the marker's key before anything of it is written. Should the pending answer fail to
        be written, the marker is taken back so the person can send again. A process killed between the two
        commits loses that one answer, whose Send was never acknowledged; one killed after them loses nothing,
        since pending answers are rows the mixer finds at the next start (storage/pulse_mixer.py).
        """
        marker = {"round_id": round_id, "member_id": member_id, "team_id": team_id}
        try:
            with self.db.autocommit() as connection:  # every Send: plain SQL (storage/click_sql.py)
                if connection.execute(MARK_ANSWERED, marker).rowcount != 1:
                    raise DomainError("pulse.round_closed")  # the team was not asked in this round
        except IntegrityError:
            raise AlreadyAnswered() from None
        try:
            self._keep_pending(round_id, team_id, values, comment)
        except BaseException:
            with self.db.autocommit() as connection:
                connection.execute(UNMARK_ANSWERED, marker)
            raise
        self._mix_when_full(round_id, team_id)

    def _keep_pending(self, round_id: int, team_id: int, values: Mapping[str, int], comment: str | None) -> None:
        answers = json.dumps(dict(values), sort_keys=True)
        for attempt in range(1, _ID_ATTEMPTS + 1):
            try:
                with self.db.autocommit() as connection:
                    pending = {"round_id": round_id, "team_id": team_id, "answers": answers, "comment": comment}
                    connection.execute(KEEP_PENDING, {**pending, "id": random_id()})
                return
            except IntegrityError:
                # Two equal ids of 62 random bits: never in practice, but drawing again costs nothing. Still
                # refused after that, it is something else (the round deleted meanwhile), and it is raised.
                if attempt == _ID_ATTEMPTS:
                    raise

    def _mix_when_full(self, round_id: int, team_id: int) -> None:
        """Mix the team's batch as soon as this Send fills it; failing that, the schedule mixes it later."""
        try:
            with self.db.autocommit() as connection:
                waiting = connection.execute(PENDING_OF_TEAM, {"round_id": round_id, "team_id": team_id}).first()
            if waiting is not None and waiting.waiting >= batch_size(waiting.threshold):
                mix_team(self.db, round_id, team_id, at_least=batch_size(waiting.threshold))
        except SQLAlchemyError as error:  # the answer is safe in its pending row; the person still gets thanked
            logger.warning("pulse mix after a Send failed (%s); the schedule mixes it", type(error).__name__)

    def settle(self, round_id: int) -> int:
        """Mix everything a closed round has left pending, whatever its size, so its results are exact."""
        teams = PulseRoundTeamRow.__table__
        with self.db.connection() as connection:
            team_ids = connection.execute(select(teams.c.team_id).where(teams.c.round_id == round_id)).scalars().all()
        return sum(mix_team(self.db, round_id, team_id, at_least=1) for team_id in team_ids)

    def comments(self, round_id: int) -> list[tuple[int, str]]:
        """The round's comments as (team id, text), sorted by team and text so their order says nothing of who."""
        with self.db.transaction() as session:
            rows = session.execute(
                select(PulseCommentRow.team_id, PulseCommentRow.text).where(PulseCommentRow.round_id == round_id)
            ).all()
        return sorted((team_id, text) for team_id, text in rows)

    def open_round_for(self, team_ids: Iterable[int], now: datetime) -> PulseRound | None:
        """The newest round open at `now` that asks any of the teams."""
        wanted = list(team_ids)
        with self.db.transaction() as session:
            row = session.scalars(
                select(PulseRoundRow)
                .join(PulseRoundTeamRow, PulseRoundTeamRow.round_id == PulseRoundRow.id)
                .where(
                    PulseRoundTeamRow.team_id.in_(wanted),
                    PulseRoundRow.opens_at <= now,
                    PulseRoundRow.closes_at > now,
                )
                .order_by(PulseRoundRow.opens_at.desc(), PulseRoundRow.id.desc())
            ).first()
            return None if row is None else _round(session, row)

    def claim_reminder(self, round_id: int) -> bool:
        """Mark the round's one reminder as sent; False when it already was, so it can never go out twice."""
        with self.db.transaction() as session:
            claimed = session.execute(
                update(PulseRoundRow)
                .where(PulseRoundRow.id == round_id, PulseRoundRow.reminder_sent.is_(False))
                .values(reminder_sent=True)
            )
            return cast("CursorResult[Any]", claimed).rowcount == 1

    def has_answered(self, round_id: int, member_id: int) -> bool:
        """True when the person has already answered the round."""
        with self.db.autocommit() as connection:  # every tap: plain SQL (storage/click_sql.py)
            return connection.execute(HAS_ANSWERED, {"round_id": round_id, "member_id": member_id}).first() is not None

    def non_responders(self, round_id: int, member_ids: Iterable[int]) -> list[int]:
        """Those of the given people who have not answered yet (the only ones a reminder may reach)."""
        wanted = list(member_ids)
        with self.db.transaction() as session:
            answered = set(
                session.scalars(
                    select(PulseAnsweredRow.member_id).where(
                        PulseAnsweredRow.round_id == round_id, PulseAnsweredRow.member_id.in_(wanted)
                    )
                )
            )
        return [m for m in wanted if m not in answered]

    def tallies(self, round_id: int) -> RoundTallies:
        """The round's counters per team, ready for bot.results: mixed answers only (storage/pulse_mixer.py).

        Read as plain rows, not ORM objects: a city's round is 15,000 counters, and the first answer to the next
        round waits for them (the thank-you shows this round's result).
        """
        rounds, teams, counters = PulseRoundRow.__table__, PulseRoundTeamRow.__table__, PulseAnswerCountRow.__table__
        units = PulseRoundUnitRow.__table__
        with self.db.connection() as connection:
            found = connection.execute(
                select(rounds.c.closes_at, rounds.c.anonymity_threshold).where(rounds.c.id == round_id)
            ).first()
            if found is None:
                raise LookupError(f"no pulse round {round_id}")
            closes_at, threshold = found
            frozen = connection.execute(
                select(units.c.unit_id, units.c.parent_id).where(units.c.round_id == round_id).order_by(units.c.unit_id)
            ).all()
            counts: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
            # The counters made at 0 with the round show only once someone chose their value.
            chosen = select(counters.c.team_id, counters.c.question_id, counters.c.value, counters.c.count).where(
                counters.c.round_id == round_id, counters.c.count > 0
            )
            for team_id, question_id, value, count in connection.execute(chosen):
                counts[team_id][(question_id, value)] = count
            asked = connection.execute(
                select(teams.c.team_id, teams.c.invited, teams.c.respondents)
                .where(teams.c.round_id == round_id)
                .order_by(teams.c.team_id)
            ).all()
        return RoundTallies(
            round_id=round_id,
            closes_on=closes_at.date(),
            tallies=tuple(
                TeamTally(team_id, invited, respondents, counts[team_id]) for team_id, invited, respondents in asked
            ),
            units=tuple(UnitNode(unit_id, parent_id) for unit_id, parent_id in frozen),
            threshold=threshold,
        )


def _round(session: Session, row: PulseRoundRow, team_ids: Iterable[int] | None = None) -> PulseRound:
    query = select(PulseRoundTeamRow).where(PulseRoundTeamRow.round_id == row.id)
    if team_ids is not None:
        query = query.where(PulseRoundTeamRow.team_id.in_(list(team_ids)))
    teams = session.scalars(query).all()
    return PulseRound(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        team_questions={t.team_id: _questions(t.question_ids) for t in teams},
        id=row.id,
    )


def _questions(stored: str) -> tuple[str, ...]:
    """A team's question ids as stored: comma-separated."""
    return tuple(q for q in stored.split(",") if q)
