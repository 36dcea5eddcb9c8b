"""English time phrases: "next Tuesday 9am", "in two weeks", "Jan 15 at 10:00", "the day after tomorrow"."""

from __future__ import annotations

from bot.dates_grammar import (
    SHARED_RULES,
    Clock,
    DayPart,
    DayShift,
    Language,
    NextWeek,
    Offset,
    PartOfDay,
    Piece,
    Rule,
    Unit,
    Weekday,
    alternation,
    calendar_date,
    clock,
    offset,
    twelve_hour,
    words,
)
from bot.dates_numbers import HALF, amount_pattern, amount_value

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_FORMS = {
    **{name: index for index, name in enumerate(_WEEKDAYS)},
    **dict(mon=0, tue=1, tues=1, wed=2, weds=2, thu=3, thur=3, thurs=3, fri=4, sat=5, sun=6),
}
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_FORMS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **dict(jan=1, feb=2, mar=3, apr=4, jun=6, jul=7, aug=8, sep=9, sept=9, oct=10, nov=11, dec=12),
}
_UNITS: dict[str, tuple[Unit, int]] = {
    **dict.fromkeys(("minute", "minutes", "min", "mins"), (Unit.MINUTE, 1)),
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), (Unit.HOUR, 1)),
    **dict.fromkeys(("day", "days"), (Unit.DAY, 1)),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), (Unit.WEEK, 1)),
    **dict.fromkeys(("fortnight", "fortnights"), (Unit.WEEK, 2)),
    **dict.fromkeys(("month", "months"), (Unit.MONTH, 1)),
    **dict.fromkeys(("year", "years", "yr", "yrs"), (Unit.YEAR, 1)),
}
_NUMBER = amount_pattern("en")
_UNIT = rf"(?P<unit>{alternation(list(_UNITS))})(?P<and_a_half>\s+and\s+a\s+half)?"  # "an hour and a half"
_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH = rf"(?P<month>{alternation(list(_MONTH_FORMS))})\.?"
_YEAR = r"(?:,?\s+(?P<y>\d{4}))?"
_MERIDIEM = r"(?P<meridiem>am|pm|a\.m\.|p\.m\.)"


def _offset(amount: str, unit: str, and_a_half: str | None) -> tuple[Piece, ...] | None:
    value = amount_value(amount, "en")
    return offset(None if value is None else value + (HALF if and_a_half else 0), *_UNITS[unit])


RULES = (
    *SHARED_RULES,
    Rule(
        rf"(?:at\s+|@\s*)?(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?\s*{_MERIDIEM}",
        lambda m: twelve_hour(m["h"], m["m"], m["meridiem"]),
    ),
    Rule(
        r"(?:at|@)\s*(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?:\s*o'?clock)?|(?P<h2>\d{1,2})\s*o'?clock",
        lambda m: clock(m["h"] or m["h2"], m["m"]),
    ),
    words(r"(?:at\s+)?(?:noon|midday)", Clock(12, 0)),
    words(r"today", DayShift(0)),
    words(r"tomorrow|tmrw", DayShift(1)),
    words(r"(?:the\s+)?day\s+after\s+tomorrow", DayShift(2)),
    Rule(
        r"(?:(?:on\s+next|on\s+this|this\s+coming|on|next|this|coming)\s+)?"
        rf"(?P<day>{alternation(list(_WEEKDAY_FORMS))})\.?",
        lambda m: (Weekday(_WEEKDAY_FORMS[m["day"]]),),
    ),
    words(r"next\s+week", NextWeek()),
    words(r"next\s+month", Offset(1, Unit.MONTH)),
    words(r"next\s+year", Offset(1, Unit.YEAR)),
    Rule(rf"in\s+{_NUMBER}\s+{_UNIT}(?:'?s?\s+time)?", lambda m: _offset(m["amount"], m["unit"], m["and_a_half"])),
    Rule(rf"{_NUMBER}\s+{_UNIT}\s+from\s+(?:now|today)", lambda m: _offset(m["amount"], m["unit"], m["and_a_half"])),
    Rule(
        rf"(?:on\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+{_MONTH}{_YEAR}",
        lambda m: calendar_date(m["d"], _MONTH_FORMS[m["month"]], m["y"]),
    ),
    Rule(
        rf"(?:on\s+)?{_MONTH}\s+(?:the\s+)?(?P<d>\d{{1,2}}){_ORDINAL}{_YEAR}",
        lambda m: calendar_date(m["d"], _MONTH_FORMS[m["month"]], m["y"]),
    ),
    words(r"(?:in\s+the\s+)?morning", PartOfDay(DayPart.MORNING)),
    words(r"(?:in\s+the\s+)?afternoon", PartOfDay(DayPart.AFTERNOON)),
    words(r"(?:in\s+the\s+)?evening", PartOfDay(DayPart.EVENING)),
    words(r"at|on|the"),  # joining words that mean nothing alone: "on:" or "at" read as no time at all
)

ENGLISH = Language(
    code="en",
    rules=RULES,
    days=("today", "tomorrow", "in 2 days"),
    offset="in {amount} {unit}",
    units={
        Unit.MINUTE: "minutes",
        Unit.HOUR: "hours",
        Unit.DAY: "days",
        Unit.WEEK: "weeks",
        Unit.MONTH: "months",
        Unit.YEAR: "years",
    },
    weekdays=_WEEKDAYS,
    months=_MONTHS,
    undated="{month} {day}",
    dated="{month} {day} {year}",
)
