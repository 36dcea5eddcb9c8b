"""The annual calendar: the default year of DOMAIN.md, relative steps, and clear refusals of a broken calendar."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from bot.errors import DomainError


def test_default_year_follows_the_cycle_in_order() -> None:
    occurrences = default_calendar().occurrences(2027)
    kinds = [step.kind for _, step in occurrences]
    assert kinds[:5] == [
        StepKind.SURVEY,
        StepKind.RESULTS_REVIEW,
        StepKind.CHOOSE_TARGETS,
        StepKind.WORKSHOP,
        StepKind.PLAN,
    ]
    assert kinds[-1] is StepKind.EVALUATION
    assert StepKind.UNIT_SURVEY not in kinds  # the lighter autumn survey is there but off by default
    survey, review = occurrences[0][0], occurrences[1][0]
    assert survey == date(2027, 1, 15) and (review - survey).days <= 28


def test_default_follow_ups_are_never_more_than_three_months_apart() -> None:
    dates = [d for d, step in default_calendar().occurrences(2027) if step.kind in (StepKind.PLAN, StepKind.FOLLOW_UP)]
    dates.append(date(2028, 1, 15))  # the next survey starts the next cycle
    gaps = [(b - a).days for a, b in pairwise(dates)]
    assert max(gaps) <= 92


def test_a_step_can_apply_to_some_units_only() -> None:
    step = CalendarStep("workshop", StepKind.WORKSHOP, month=3, day=1, units=("kotihoito",))
    assert step.applies_to("kotihoito") and not step.applies_to("ruokapalvelu")


def test_29_february_falls_on_the_28th_in_other_years() -> None:
    calendar = AnnualCalendar(steps=(CalendarStep("s", StepKind.SURVEY, month=2, day=29),))
    assert calendar.date_of("s", 2027) == date(2027, 2, 28) and calendar.date_of("s", 2028) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("calendar_args", "key"),
    [
        ({"steps": (CalendarStep("s", StepKind.SURVEY, month=2, day=30),)}, "calendar.bad_date"),
        ({"steps": (CalendarStep("s", StepKind.SURVEY),)}, "calendar.bad_date"),
        ({"steps": (CalendarStep("r", StepKind.RESULTS_REVIEW, after="nope"),)}, "calendar.unknown_step"),
        (
            {
                "steps": (
                    CalendarStep("a", StepKind.SURVEY, after="b"),
                    CalendarStep("b", StepKind.WORKSHOP, after="a"),
                )
            },
            "calendar.unknown_step",
        ),
        ({"send_hour": 24}, "calendar.bad_hour"),
        ({"pulse_every_weeks": -1}, "calendar.bad_cadence"),
    ],
)
def test_a_broken_calendar_is_refused_with_its_reason(calendar_args: dict[str, object], key: str) -> None:
    with pytest.raises(DomainError) as raised:
        AnnualCalendar(**calendar_args)  # type: ignore[arg-type]
    assert raised.value.key == key
    assert raised.value.message("fi") != key
