"""A calendar step in words: named in the reader's language, its rule with the other step's name, its sending day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.calendar import CalendarStep, default_calendar
from bot.calendar_text import sending_day, step_names, step_rule, weekday_date
from bot.workdays import WorkingDays


def test_steps_are_named_by_kind_and_steps_of_one_kind_told_apart_by_their_day() -> None:
    names = step_names(default_calendar(), "fi")
    assert names["choose_targets"] == "Vahvuuksien ja kehittämiskohteiden valinta"
    assert [names[k] for k in ("follow_up_spring", "follow_up_autumn", "follow_up_winter")] == [
        "Suunnitelman seuranta 28.5.",
        "Suunnitelman seuranta 20.8.",
        "Suunnitelman seuranta 12.11.",
    ]


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("fi", 14, "14 päivää vaiheen ”Vahvuuksien ja kehittämiskohteiden valinta” jälkeen"),
        ("fi", 1, "1 päivä vaiheen ”Vahvuuksien ja kehittämiskohteiden valinta” jälkeen"),
        ("fi", -3, "3 päivää ennen vaihetta ”Vahvuuksien ja kehittämiskohteiden valinta”"),
        ("sv", 14, "14 dagar efter ”Val av styrkor och utvecklingsområden”"),
        ("en", 0, "on the same day as “Choosing strengths and targets”"),
    ],
)
def test_a_rule_names_the_other_step_not_its_code(language: str, days: int, expected: str) -> None:
    calendar = default_calendar()
    workshop = replace(calendar.step("workshop"), offset_days=days)
    assert step_rule(workshop, language, step_names(calendar, language)) == expected
    fixed = CalendarStep("survey", workshop.kind, month=1, day=15)
    assert step_rule(fixed, language, {}) == "15.1."


def test_a_step_on_a_weekend_or_holiday_goes_out_on_the_next_working_day() -> None:
    days = WorkingDays()
    assert weekday_date(sending_day(date(2028, 1, 15), days), "fi") == "ma 17.1.2028"  # a Saturday
    assert sending_day(date(2027, 12, 24), days) == date(2027, 12, 27)  # Christmas Eve, Christmas, Boxing Day
    assert sending_day(date(2027, 1, 15), days) == date(2027, 1, 15)  # a Friday stays
