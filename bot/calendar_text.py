"""A calendar step's date rule in words: a day of the year, or days before or after another step."""

from __future__ import annotations

from bot.calendar import CalendarStep
from bot.i18n import translate


def step_rule(step: CalendarStep, language: str) -> str:
    """How a step's date is given: a day of the year, or days before or after another step."""
    if step.after is None:
        return f"{step.day}.{step.month}."
    if step.offset_days == 0:
        return translate(language, "calendar_show.rule_same_day", step=step.after)
    key = "calendar_show.rule_after" if step.offset_days > 0 else "calendar_show.rule_before"
    return translate(language, key, days=abs(step.offset_days), step=step.after)
