"""Pulse rounds: a few Likert questions per team between annual surveys, and the rules for an answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.errors import DomainError
from bot.organisation import zone_or_default

CANT_SAY = 0  # stored like any value, left out of every mean
LIKERT_VALUES = (1, 2, 3, 4, 5)
ANSWER_VALUES = (CANT_SAY, *LIKERT_VALUES)
MAX_QUESTIONS = 5


@dataclass(frozen=True)
class PulseRound:
    """One round of pulse questions, open from `opens_at` to `closes_at` (aware datetimes)."""

    opens_at: datetime
    closes_at: datetime
    team_questions: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # team id -> question ids
    id: int | None = None

    def __post_init__(self) -> None:
        if any(not questions for questions in self.team_questions.values()):
            raise DomainError("pulse.no_questions")
        if any(len(questions) > MAX_QUESTIONS for questions in self.team_questions.values()):
            raise DomainError("pulse.too_many_questions", max=MAX_QUESTIONS)

    def is_open(self, now: datetime) -> bool:
        """True while answers are taken."""
        return self.opens_at <= now < self.closes_at

    def questions_for(self, team_id: int) -> tuple[str, ...]:
        """The question ids a team's members are asked in this round."""
        return tuple(self.team_questions.get(team_id, ()))


def round_closes_at(opened: datetime, days: int, timezone: str) -> datetime:
    """When a round opened at `opened` closes: `days` later on the organisation's wall clock, at a full hour.

    On the wall clock, so a week across the change to or from summer time ends at the hour it began (9.00, not
    8.00); at the next full hour, so people read "by 9.00", never the minute the round happened to open (8.42).
    """
    zone = zone_or_default(timezone)
    local = opened.astimezone(zone)
    hour = local.replace(minute=0, second=0, microsecond=0)
    if hour < local:
        hour += timedelta(hours=1)
    # Arithmetic on an aware datetime keeps the wall time and takes the offset in force on the day it lands on.
    closes = (hour.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)
    return closes.astimezone(opened.tzinfo)


def validate_answers(pulse_round: PulseRound, team_id: int, values: Mapping[str, int], now: datetime) -> None:
    """Refuse an answer set that comes too late, names a question not asked, or holds a value off the scale."""
    if not pulse_round.is_open(now):
        raise DomainError("pulse.round_closed")
    asked = set(pulse_round.questions_for(team_id))
    if not values:
        raise DomainError("pulse.no_questions")
    for question_id, value in values.items():
        if question_id not in asked:
            raise DomainError("pulse.unknown_question", question=question_id)
        if isinstance(value, bool) or value not in ANSWER_VALUES:
            raise DomainError("pulse.bad_value", value=value)
