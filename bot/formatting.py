"""Dates and numbers written the way each language writes them (15.1.2027 in Finnish and Swedish)."""

from __future__ import annotations

from datetime import date, datetime

ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: date, language: str) -> str:
    """A day as people in Finland read it: 15.1.2027 (fi, sv) or 15 Jan 2027 (en)."""
    if language == "en":
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def format_percent(value: float, language: str) -> str:
    """An index as a whole percentage: 78 % (fi, sv, with the space they use) or 78% (en)."""
    return f"{round(value)}%" if language == "en" else f"{round(value)} %"


def format_clock(moment: datetime, language: str) -> str:
    """A time of day as each language writes it: 14.30 in Finnish and Swedish, 14:30 in English."""
    separator = ":" if language == "en" else "."
    return f"{moment.hour}{separator}{moment.minute:02d}"
