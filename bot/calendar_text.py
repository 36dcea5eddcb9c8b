"""A calendar step in words: its name in the reader's language, its date rule, and the day it actually goes out."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.calendar import AnnualCalendar, CalendarStep
from bot.formatting import format_date
from bot.i18n import translate
from bot.workdays import WorkingDays


def step_names(calendar: AnnualCalendar, language: str) -> dict[str, str]:
    """Each step's name by its key: the kind's name, told apart when several steps share a kind (never the key)."""
    kinds = Counter(step.kind for step in calendar.steps)
    seen: Counter[str] = Counter()
    names = {}
    for step in calendar.steps:
        name = translate(language, f"calendar_kind.{step.kind.value}")
        if kinds[step.kind] > 1:
            seen[step.kind] += 1
            # Three follow-ups read best by their day (Suunnitelman seuranta 28.5.); a chained one by its number.
            name += f" {step.day}.{step.month}." if step.after is None else f" {seen[step.kind]}"
        names[step.key] = name
    return names


def step_rule(step: CalendarStep, language: str, names: dict[str, str]) -> str:
    """How a step's date is given: a day of the year, or days before or after another step (named, not coded)."""
    if step.after is None:
        return f"{step.day}.{step.month}."
    other = names.get(step.after, step.after)
    if step.offset_days == 0:
        return translate(language, "calendar_show.rule_same_day", step=other)
    key = "calendar_show.rule_after" if step.offset_days > 0 else "calendar_show.rule_before"
    if abs(step.offset_days) == 1:
        key += "_one"
    return translate(language, key, days=abs(step.offset_days), step=other)


def weekday_date(day: date, language: str) -> str:
    """A day with its weekday, as the calendar shows it: ma 17.1.2028."""
    return f"{translate(language, 'calendar_show.weekdays').split()[day.weekday()]} {format_date(day, language)}"


def sending_day(day: date, workdays: WorkingDays) -> date:
    """The day a step due on `day` goes out: the next working day when it falls on a weekend or a holiday."""
    return workdays.on_or_after(day)
