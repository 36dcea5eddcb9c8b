"""The pieces a time phrase is made of, and the scanner that reads a whole text into them or rejects it."""

from __future__ import annotations

import re
import unicodedata
from calendar import isleap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property


class Unit(StrEnum):
    """A unit of a relative offset, from the smallest."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class DayPart(StrEnum):
    """A named part of the day, which qualifies or replaces a clock time."""

    MORNING = "morning"  # the default 09:00 already is a morning; with a clock it must be before noon
    AFTERNOON = "afternoon"  # "klo 3 iltapäivällä": a clock of 1-11 moves to 13-23
    EVENING = "evening"  # as the afternoon; alone it names no agreed hour, so it is not read


class Span(StrEnum):
    """A stretch of the calendar people plan by."""

    MONTH = "month"
    WEEK = "week"  # an ISO week, Monday first
    SEASON = "season"  # spring, summer, autumn, winter (Finland's: winter ends with February)
    YEAR = "year"


class Edge(StrEnum):
    """Which day of a span is meant: "early April", "mid-March", "by the end of March"."""

    START = "start"
    MIDDLE = "middle"
    END = "end"


@dataclass(frozen=True)
class Clock:
    """A time of day the person wrote."""

    hour: int
    minute: int


@dataclass(frozen=True)
class DayShift:
    """Today, tomorrow or the day after (0, 1, 2)."""

    days: int


@dataclass(frozen=True)
class Weekday:
    """A weekday, Monday = 0; the rules read it as its next occurrence after today."""

    index: int


@dataclass(frozen=True)
class NextWeek:
    """Next week: alone a week from today, with a weekday that weekday in the next calendar week."""


@dataclass(frozen=True)
class Offset:
    """A whole number of units from now ("in 2 weeks"); halves were already moved to a smaller unit."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Date:
    """A calendar date; without a year it means its next occurrence."""

    day: int
    month: int
    year: int | None


@dataclass(frozen=True)
class Period:
    """A span of the calendar and the edge of it meant: "maaliskuun loppuun mennessä", "vko 12", "in spring".

    `number` is the month (1-12), the ISO week (1-53) or the season (0 spring ... 3 winter); None with `ahead`
    counts months or years from today's ("ensi kuun lopussa": ahead 1). Without a year it is its next occurrence.
    """

    span: Span
    edge: Edge
    number: int | None = None
    year: int | None = None
    ahead: int = 0


@dataclass(frozen=True)
class PartOfDay:
    """Morning, afternoon or evening, written as words."""

    part: DayPart


Piece = Clock | DayShift | Weekday | NextWeek | Offset | Date | PartOfDay | Period
Build = Callable[[re.Match[str]], tuple[Piece, ...] | None]


@dataclass(frozen=True)
class Rule:
    """One pattern of a language's grammar and how a match of it becomes pieces (None: not valid after all)."""

    source: str
    build: Build

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The pattern, compiled on first use: a process pays only for the languages it reads.

        It must end at the end of a word, so "ma" (Monday) never matches the start of "maaliskuu".
        """
        return re.compile(rf"(?:{self.source})(?!\w)")


def words(pattern: str, *pieces: Piece) -> Rule:
    """A rule for fixed words that always mean the same pieces (no pieces: a word that only joins others)."""
    return Rule(pattern, lambda _match: pieces)


def alternation(names: Sequence[str]) -> str:
    """Words as regex alternatives, longest first so a longer word wins over its own prefix."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# Between pieces: spaces and punctuation. "." and ":" are here too, after a piece has taken the dots
# and colons that belong to it ("15.1.", "14:30"), so "on:" or "huomenna." leave nothing unread.
_SEPARATORS = re.compile(r"[\s,;:!?.()\[\]\"'«»‹›“”„’–—-]*")
MAX_LENGTH = 100  # the longest real phrase is about half of this; longer text is a sentence, not a time


def prepare(text: str) -> str:
    """Fold case and compose accents (ä typed as a + combining diaeresis) so one pattern fits every spelling."""
    return unicodedata.normalize("NFC", text).lower().replace("’", "'").strip()


def scan(text: str, rules: Sequence[Rule]) -> list[Piece] | None:
    """Every word of `text` read as pieces by `rules`, or None when some part of it is not a time word.

    At each position the longest valid match wins (ties go to the earlier rule), so "15.1.2027" is one
    date rather than a date and a stray year, and an invalid reading ("14.30." as the 14th of a month
    30) gives way to the next one (the clock 14.30).
    """
    pieces: list[Piece] = []
    position = 0
    while True:
        gap = _SEPARATORS.match(text, position)
        position = gap.end() if gap else position
        if position >= len(text):
            return pieces
        candidates: list[tuple[int, int, re.Match[str], Rule]] = []
        for order, each in enumerate(rules):
            match = each.pattern.match(text, position)
            if match is not None and match.end() > position:
                candidates.append((-match.end(), order, match, each))
        for _length, _order, match, each in sorted(candidates, key=lambda candidate: candidate[:2]):
            built = each.build(match)
            if built is not None:
                pieces.extend(built)
                position = match.end()
                break
        else:
            return None


def clock(hour: str, minute: str | None) -> tuple[Piece, ...] | None:
    """A 24-hour clock time, or None when it is not one (25.00, 9.75)."""
    hours, minutes = int(hour), int(minute or 0)
    return (Clock(hours, minutes),) if hours <= 23 and minutes <= 59 else None


def twelve_hour(hour: str, minute: str | None, meridiem: str) -> tuple[Piece, ...] | None:
    """A clock written with am/pm: 12am is midnight, 12pm is noon."""
    hours = int(hour)
    if not 1 <= hours <= 12:
        return None
    hours %= 12
    return clock(str(hours + 12 if meridiem.startswith("p") else hours), minute)


def _full_year(year: str | None) -> int | None:
    """A written year; two digits mean this century ("15.1.27")."""
    if year is None:
        return None
    return int(year) + 2000 if len(year) == 2 else int(year)


def calendar_date(day: str | int, month: str | int, year: str | int | None) -> tuple[Piece, ...] | None:
    """A calendar date, or None when no such day exists (31.2., 29.2.2027; 29.2. alone is fine)."""
    days, months = int(day), int(month)
    years = _full_year(year) if isinstance(year, str) else year
    if not 1 <= months <= 12 or not 1 <= days <= 31 or (years is not None and not 1900 <= years <= 9999):
        return None
    lengths = (31, 29 if years is None or isleap(years) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return (Date(days, months, years),) if days <= lengths[months - 1] else None


def period(
    span: Span, edge: Edge, number: int | None = None, year: str | None = None, ahead: int = 0
) -> tuple[Piece, ...] | None:
    """A period, or None when it names nothing real (week 99, the year 1066)."""
    years = _full_year(year)
    if years is not None and not 1900 <= years <= 9999:
        return None
    limits = {Span.MONTH: 12, Span.WEEK: 53, Span.SEASON: 3, Span.YEAR: 0}
    if number is not None and not (0 if span is Span.SEASON else 1) <= number <= limits[span]:
        return None
    return (Period(span, edge, number, years, ahead),)


# Halves and fractions move to the next smaller unit until the amount is whole: half a year is 6 months,
# 1.5 hours is 90 minutes. A fraction of a month has no fixed length, so it is not read at all.
_SMALLER = {
    Unit.YEAR: (Unit.MONTH, 12),
    Unit.WEEK: (Unit.DAY, 7),
    Unit.DAY: (Unit.HOUR, 24),
    Unit.HOUR: (Unit.MINUTE, 60),
}


def offset(amount: Fraction | None, unit: Unit, times: int = 1) -> tuple[Piece, ...] | None:
    """An offset of `amount` x `times` units, in the largest unit that makes it whole."""
    if amount is None:
        return None
    amount *= times
    while amount.denominator != 1:
        if unit not in _SMALLER:
            return None
        unit, factor = _SMALLER[unit]
        amount *= factor
    return (Offset(int(amount), unit),)


# Patterns every language shares: ISO dates, 14:30, and the day.month. dates that Finns and Swedes write.
ISO_DATE = Rule(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", lambda m: calendar_date(m["d"], m["m"], m["y"]))
COLON_CLOCK = Rule(r"(?P<h>\d{1,2}):(?P<m>\d{2})", lambda m: clock(m["h"], m["m"]))
# "14.30" is a time and "15.1." a date: Finnish usage writes dates with the final dot and times without
# (Kielitoimisto). A dotless "24.12" or "15.1" cannot be a time, so it falls through to the date.
DOT_CLOCK = Rule(r"(?P<h>\d{1,2})\.(?P<m>\d{2})", lambda m: clock(m["h"], m["m"]))
DOT_DATE = Rule(
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{4}|\d{2})?)?", lambda m: calendar_date(m["d"], m["m"], m["y"])
)
SHARED_RULES = (ISO_DATE, COLON_CLOCK, DOT_CLOCK, DOT_DATE)


@dataclass(frozen=True)
class Language:
    """A language's grammar, and the plain phrases dateparser is given in it once the grammar has read a text.

    The phrases are the forms dateparser 1.5.0 reads correctly in that language (platform-facts 5.1);
    `dated` and `undated` take {day}, {month} (a name from `months`) and {year}.
    """

    code: str
    rules: tuple[Rule, ...]
    days: tuple[str, str, str]  # today, tomorrow, the day after tomorrow
    offset: str  # with {amount} and {unit}
    units: Mapping[Unit, str]
    weekdays: tuple[str, str, str, str, str, str, str]
    months: tuple[str, ...]
    undated: str
    dated: str
