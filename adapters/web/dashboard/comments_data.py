"""A team's pulse comments for its dashboard page: the newest closed rounds, shown only as bot.comments allows."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

from bot.comments import CommentAnswer, TeamComments, comment_threshold_from_env, team_comments
from bot.flows.followup_trend import QUESTION_DIMENSIONS
from bot.organisation import Team, team_time
from bot.results import frozen_report
from storage.comment_answers import CommentAnswerRepository
from storage.db import Database
from storage.pulse_repository import PulseRepository

COMMENT_ROUNDS = 3  # the newest closed rounds that asked the team: older comments were answered or are old news


@dataclass(frozen=True)
class CommentRound:
    """One closed round's comments as the team's page shows them, with the supervisor's answer once given."""

    comments: TeamComments
    answer: CommentAnswer | None = None
    answered_on: date | None = None  # the answer's day on the team's clock


@dataclass(frozen=True)
class AnswerForm:
    """Where the team's supervisor posts the answer to its comments, with the session's token."""

    action: str
    token: str


def team_comment_rounds(db: Database, org_id: int, team: Team, now: datetime) -> tuple[CommentRound, ...]:
    """The team's comments in its newest closed rounds, newest first, each under the tree it was opened with.

    Read for the team's page alone, never for an export: the comments are kept out of the workbook and the CSV.
    """
    pulses = PulseRepository(db)
    answers = CommentAnswerRepository(db).for_team(team.id)
    threshold = comment_threshold_from_env(os.environ)
    closed = [r for r in pulses.rounds(org_id) if r.id is not None and r.closes_at <= now and r.questions_for(team.id)]
    found: list[CommentRound] = []
    for pulse_round in sorted(closed, key=lambda r: r.closes_at, reverse=True):
        assert pulse_round.id is not None
        tallies = pulses.tallies(pulse_round.id)
        report = frozen_report(tallies, QUESTION_DIMENSIONS)
        seen = team_comments(report, tallies, team.id, pulses.comments(pulse_round.id), threshold)
        if seen is not None:
            answer = answers.get(pulse_round.id)
            answered_on = team_time(answer.answered_at, team).date() if answer is not None else None
            found.append(CommentRound(seen, answer, answered_on))
        if len(found) == COMMENT_ROUNDS:
            break
    return tuple(found)
