"""The wellbeing annual calendar (työhyvinvoinnin vuosikello): the year's steps and when they fall."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from bot.errors import DomainError


class StepKind(StrEnum):
    """The kinds of step in the yearly cycle of DOMAIN.md, in their usual order."""

    SURVEY = "survey"
    RESULTS_REVIEW = "results_review"
    CHOOSE_TARGETS = "choose_targets"  # the "me - us - all of us" round of choosing
    WORKSHOP = "workshop"
    PLAN = "plan"
    FOLLOW_UP = "follow_up"
    UNIT_SURVEY = "unit_survey"  # the optional, lighter survey later in the year
    EVALUATION = "evaluation"


@dataclass(frozen=True)
class CalendarStep:
    """One step of the year: on a fixed day (month, day), or a number of days after another step."""

    key: str
    kind: StepKind
    month: int | None = None
    day: int | None = None
    after: str | None = None  # key of the step this one follows
    offset_days: int = 0
    units: tuple[str, ...] = ()  # team keys it applies to; empty means every team
    enabled: bool = True

    def applies_to(self, team_key: str) -> bool:
        """True when the step concerns the given team."""
        return not self.units or team_key in self.units


@dataclass(frozen=True)
class AnnualCalendar:
    """The organisation's calendar: its steps, how often pulse rounds go out, and at what hour."""

    steps: tuple[CalendarStep, ...] = field(default=())
    pulse_every_weeks: int = 4  # 0 turns pulse rounds off
    send_hour: int = 9  # local time in each team's time zone

    def __post_init__(self) -> None:
        _validate(self)

    def step(self, key: str) -> CalendarStep:
        """The step with that key."""
        for step in self.steps:
            if step.key == key:
                return step
        raise DomainError("calendar.unknown_step", step=key)

    def date_of(self, key: str, year: int) -> date:
        """The day a step falls on in a given year (the year of the cycle's first fixed step)."""
        step = self.step(key)
        if step.after is None:
            assert step.month is not None and step.day is not None  # guaranteed by _validate
            last_day = monthrange(year, step.month)[1]  # 29 February falls on the 28th in other years
            return date(year, step.month, min(step.day, last_day))
        return self.date_of(step.after, year) + timedelta(days=step.offset_days)

    def plan_day(self, team_key: str, year: int) -> date | None:
        """The day the team's plan for `year` is to be agreed by: its last plan step that year (None: no such step)."""
        days = [
            self.date_of(step.key, year)
            for step in self.steps
            if step.kind is StepKind.PLAN and step.enabled and step.applies_to(team_key)
        ]
        return max(days, default=None)

    def occurrences(self, year: int) -> list[tuple[date, CalendarStep]]:
        """Every enabled step of the cycle that starts in `year`, in date order."""
        dated = [(self.date_of(s.key, year), s) for s in self.steps if s.enabled]
        return sorted(dated, key=lambda pair: (pair[0], pair[1].key))


def _validate(calendar: AnnualCalendar) -> None:
    if not 0 <= calendar.send_hour <= 23:
        raise DomainError("calendar.bad_hour", hour=calendar.send_hour)
    if not 0 <= calendar.pulse_every_weeks <= 52:
        raise DomainError("calendar.bad_cadence", weeks=calendar.pulse_every_weeks)
    keys = {s.key for s in calendar.steps}
    for step in calendar.steps:
        if step.after is None:
            _require_real_date(step)
        elif step.after not in keys or step.after == step.key:
            raise DomainError("calendar.unknown_step", step=step.after)
    for step in calendar.steps:  # a chain of "after" must end in a fixed day, not loop
        seen = {step.key}
        current = step
        while current.after is not None:
            if current.after in seen:
                raise DomainError("calendar.unknown_step", step=current.after)
            seen.add(current.after)
            current = next(s for s in calendar.steps if s.key == current.after)


def _require_real_date(step: CalendarStep) -> None:
    try:
        # 2024 is a leap year, so 29 February is accepted and lands on 28 February in other years.
        date(2024, step.month or 0, step.day or 0)
    except (ValueError, TypeError):
        raise DomainError("calendar.bad_date", step=step.key, month=step.month, day=step.day) from None


def default_calendar() -> AnnualCalendar:
    """The seed model's year: survey in January, review within four weeks, workshop, plan, follow-ups
    at most three months apart (the summer holiday taken into account), evaluation before the next survey."""
    return AnnualCalendar(
        steps=(
            CalendarStep("survey", StepKind.SURVEY, month=1, day=15),
            CalendarStep("results_review", StepKind.RESULTS_REVIEW, after="survey", offset_days=28),
            CalendarStep("choose_targets", StepKind.CHOOSE_TARGETS, after="results_review", offset_days=7),
            CalendarStep("workshop", StepKind.WORKSHOP, after="choose_targets", offset_days=14),
            CalendarStep("plan", StepKind.PLAN, after="workshop", offset_days=7),
            CalendarStep("follow_up_spring", StepKind.FOLLOW_UP, month=5, day=28),
            CalendarStep("follow_up_autumn", StepKind.FOLLOW_UP, month=8, day=20),
            CalendarStep("unit_survey", StepKind.UNIT_SURVEY, month=9, day=15, enabled=False),
            CalendarStep("follow_up_winter", StepKind.FOLLOW_UP, month=11, day=12),
            CalendarStep("evaluation", StepKind.EVALUATION, month=12, day=3),
        ),
        pulse_every_weeks=4,
        send_hour=9,
    )
