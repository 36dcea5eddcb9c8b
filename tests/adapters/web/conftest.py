"""Dashboard fixtures: the demo organisation from the flow tests, and a builder for pulse rounds with chosen answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.organisation import Organisation
from bot.pulse import PulseRound
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from tests.bot.flows.conftest import START, Clock, Demo, chat, clock, demo  # noqa: F401

__all__ = ["START", "Clock", "Demo", "answer_round"]


def answer_round(
    db: Database,
    org: Organisation,
    closes_at: datetime,
    answers: Mapping[str, list[int]],
    questions: tuple[str, ...] = ("FE1",),
) -> int:
    """A round that asked every team `questions`; `answers[team key]` holds one value per respondent (all questions).

    Respondents are the team's members in name order, so a list longer than the team is a mistake in the test.
    """
    teams = {t.key: t for t in org.teams}
    members = OrganisationRepository(db).members()
    staff = {key: [m.id for m in members if team.id in m.team_ids] for key, team in teams.items()}
    pulses = PulseRepository(db)
    pulse_round = pulses.create_round(
        org.id,
        PulseRound(closes_at - timedelta(days=7), closes_at, {t.id: questions for t in org.teams}),
        invited={t.id: len(staff[t.key]) for t in org.teams},
    )
    assert pulse_round.id is not None
    for key, values in answers.items():
        assert len(values) <= len(staff[key]), f"{key} has only {len(staff[key])} members"
        for member_id, value in zip(staff[key], values, strict=False):
            pulses.record_answers(pulse_round.id, member_id, teams[key].id, dict.fromkeys(questions, value))
    pulses.settle(pulse_round.id)  # closed: every answer mixed in, as the scheduler does after the close
    return pulse_round.id
