"""English time phrases: "next Tuesday 9am", "in two weeks", "Jan 15 at 10:00", "by the end of March"."""

from __future__ import annotations

import re

from bot.dates_grammar import (
    SHARED_RULES,
    Clock,
    DayPart,
    DayShift,
    Edge,
    Language,
    NextWeek,
    Offset,
    PartOfDay,
    Piece,
    Rule,
    Span,
    Unit,
    Weekday,
    alternation,
    calendar_date,
    clock,
    offset,
    period,
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


# --- Planning periods (when-planning-dev.tsv) ---
_SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
_EDGES = {
    "end": Edge.END,
    "late": Edge.END,
    "beginning": Edge.START,
    "start": Edge.START,
    "early": Edge.START,
    "middle": Edge.MIDDLE,
    "mid": Edge.MIDDLE,
}
# "by the end of", "at the beginning of", "early", "mid-": which day of what follows.
_EDGE = (
    r"(?:(?:(?:by|before|until|till|towards?|at|in)\s+)?(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of"
    r"\s+(?:the\s+)?|(?:(?:by|in)\s+)?(?P<edge2>early|late|mid)(?:\s*-\s*|\s+))"
)
_PERIOD_YEAR = r"(?:,?\s+(?:of\s+)?(?P<y>\d{4}))?"
_HOURS = {word: hour for hour, word in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight",
                                                  "nine", "ten", "eleven", "twelve"), start=1)}  # fmt: skip
_HOUR_WORD = rf"(?P<word>{alternation(list(_HOURS))})"


def _edge(match: re.Match[str]) -> Edge:
    return _EDGES[match["edge"] or match["edge2"]]


def _edge_of(match: re.Match[str], span: Span, number: int | None, ahead: int = 0) -> tuple[Piece, ...] | None:
    return period(span, _edge(match), number, match.groupdict().get("y"), ahead)


def _month(match: re.Match[str], edge: Edge) -> tuple[Piece, ...] | None:
    return period(Span.MONTH, edge, _MONTH_FORMS[match["month"]], match["y"])


PERIOD_RULES = (
    Rule(rf"(?:in\s+)?{_MONTH}{_PERIOD_YEAR}", lambda m: _month(m, Edge.START)),
    Rule(rf"during\s+{_MONTH}{_PERIOD_YEAR}", lambda m: _month(m, Edge.END)),
    Rule(rf"{_EDGE}{_MONTH}{_PERIOD_YEAR}", lambda m: _edge_of(m, Span.MONTH, _MONTH_FORMS[m["month"]])),
    Rule(rf"{_EDGE}(?:this\s+|the\s+)?month", lambda m: _edge_of(m, Span.MONTH, None)),
    Rule(rf"{_EDGE}next\s+month", lambda m: _edge_of(m, Span.MONTH, None, 1)),
    Rule(rf"{_EDGE}(?:this\s+|the\s+)?year", lambda m: _edge_of(m, Span.YEAR, None)),
    Rule(rf"{_EDGE}next\s+year", lambda m: _edge_of(m, Span.YEAR, None, 1)),
    Rule(rf"{_EDGE}(?P<y>\d{{4}})", lambda m: _edge_of(m, Span.YEAR, None)),
    Rule(
        rf"{_EDGE}(?:(?:this|next|coming)\s+)?(?P<season>{alternation(list(_SEASONS))}){_PERIOD_YEAR}",
        lambda m: _edge_of(m, Span.SEASON, _SEASONS[m["season"]]),
    ),
    Rule(
        rf"(?:(?:in|during)\s+)?(?:the\s+)?(?:(?:this|next|coming)\s+)?(?P<season>{alternation(list(_SEASONS))})"
        rf"{_PERIOD_YEAR}",
        lambda m: period(Span.SEASON, Edge.END, _SEASONS[m["season"]], m["y"]),
    ),
    Rule(
        r"(?:(?:in|during|on)\s+)?(?:the\s+)?(?:week|wk|w)\.?\s*(?P<w>\d{1,2})(?:\s*(?:/|,|of)?\s*(?P<y>\d{4}))?",
        lambda m: period(Span.WEEK, Edge.START, int(m["w"]), m["y"]),
    ),
    Rule(rf"(?:at\s+){_HOUR_WORD}(?:\s*o'?clock)?|{_HOUR_WORD.replace('word', 'word2')}\s*o'?clock",
         lambda m: clock(str(_HOURS[m["word"] or m["word2"]]), None)),
    Rule(rf"(?:at\s+)?{_HOUR_WORD}\s*{_MERIDIEM}", lambda m: twelve_hour(str(_HOURS[m["word"]]), None, m["meridiem"])),
)  # fmt: skip


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
    *PERIOD_RULES,
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
