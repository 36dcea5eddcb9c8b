"""A team's pulse comments for its dashboard page: the newest closed rounds, shown only as bot.comments allows."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.comments import CommentAnswer, TeamComments, comment_threshold_from_env, team_comments
from bot.organisation import Team, team_time
from bot.pulse import PulseRound
from bot.results import RoundReport
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


def team_comment_rounds(
    db: Database, closed: Sequence[PulseRound], reports: Mapping[int, RoundReport], team: Team
) -> tuple[CommentRound, ...]:
    """The team's comments in its newest closed rounds (`closed` oldest first), newest first; each under its
    frozen tree, read from `reports`."""
    pulses = PulseRepository(db)
    answers = CommentAnswerRepository(db).for_team(team.id)
    threshold = comment_threshold_from_env(os.environ)
    found: list[CommentRound] = []
    for pulse_round in reversed(closed):
        if pulse_round.id is None or not pulse_round.questions_for(team.id):
            continue
        seen = team_comments(
            reports[pulse_round.id], pulses.tallies(pulse_round.id), team.id, pulses.comments(pulse_round.id), threshold
        )
        if seen is not None:
            answer = answers.get(pulse_round.id)
            answered_on = team_time(answer.answered_at, team).date() if answer is not None else None
            found.append(CommentRound(seen, answer, answered_on))
        if len(found) == COMMENT_ROUNDS:
            break
    return tuple(found)
