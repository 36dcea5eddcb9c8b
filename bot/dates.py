"""Natural-language times in Finnish, Swedish and English: read by our grammar, resolved by dateparser.

Planning periods ("maaliskuun loppuun mennessä", "week 12", "i början av april") follow rules of our own
(when-planning-dev.tsv), so they are plain calendar arithmetic (bot/dates_periods.py), not dateparser's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from dateparser.date import DateDataParser  # type: ignore[import-untyped, unused-ignore]  # no py.typed in 1.5.0

from bot.dates_en import ENGLISH
from bot.dates_fi import FINNISH
from bot.dates_grammar import (
    MAX_LENGTH,
    Clock,
    Date,
    Language,
    Unit,
    prepare,
    scan,
)
from bot.dates_periods import period_day
from bot.dates_plan import EXACT_UNITS, Plan, plan_of
from bot.dates_sv import SWEDISH
from bot.errors import DomainError
from bot.months import add_months

logger = logging.getLogger(__name__)

LANGUAGES: Final = {language.code: language for language in (FINNISH, SWEDISH, ENGLISH)}
DEFAULT_CLOCK: Final = Clock(9, 0)  # a day without a time of day means 09:00 (when-dev.tsv)
MAX_YEARS_AHEAD: Final = 2

# dateparser is only ever given phrases our grammar wrote, in one known language (no detection, P14).
# DMY: the Swedish locale's own order is YMD, which read "15 januari" as the year 2115.
# TIMEZONE=UTC: the base is local wall time; naming UTC keeps dateparser from applying the machine's
# zone or any DST to it, so it does plain calendar arithmetic and we attach the real zone afterwards.
_SETTINGS: Final = MappingProxyType(
    {
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time"],  # our phrases are never timestamps or custom formats
    }
)


@lru_cache(maxsize=16)
def _parser(language: str, today: date) -> DateDataParser:
    """One parser per language and local day, reused: its base is that midnight, so it changes once a day.

    Every phrase we ask about depends only on the date of `now` (hour and minute offsets are read back
    as a difference from the base), so a parser built with midnight as RELATIVE_BASE serves the whole day.
    """
    return DateDataParser(
        languages=[language], settings={**_SETTINGS, "RELATIVE_BASE": datetime.combine(today, time())}
    )


def _ask(phrase: str, language: str, today: date) -> datetime | None:
    """What dateparser makes of one of our phrases, as naive wall time; None if it cannot."""
    try:
        found: object = _parser(language, today).get_date_data(phrase)["date_obj"]
    except (OverflowError, ValueError):  # an offset past the year 9999
        return None
    if not isinstance(found, datetime):
        logger.debug("dateparser did not read the phrase %r (%s)", phrase, language)
        return None
    return found


def _at(day: date, clock: Clock, now: datetime) -> datetime:
    """`clock` on `day` in the zone of `now`; a time in the spring-forward gap moves on by the gap (03:30 -> 04:30)."""
    wall = datetime.combine(day, time(clock.hour, clock.minute), tzinfo=now.tzinfo)
    return wall.astimezone(UTC).astimezone(now.tzinfo)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _in_next_week(day: date, today: date) -> bool:
    return _monday(day) == _monday(today) + timedelta(weeks=1)


def _phrase(plan: Plan, language: Language) -> str | None:
    """The phrase that asks dateparser for the plan's day, in the plan's language; None for a clock alone.

    One piece decides the day (a date, then today/tomorrow, an offset, a weekday, "next week");
    the others only have to agree with it (`_agrees`).
    """
    if plan.date is not None:
        found = plan.date
        template = language.dated if found.year else language.undated
        return template.format(day=found.day, month=language.months[found.month - 1], year=found.year)
    if plan.shift is not None:
        return language.days[plan.shift.days]
    if plan.offset is not None:
        return language.offset.format(amount=plan.offset.amount, unit=language.units[plan.offset.unit])
    if plan.weekday is not None:
        return language.weekdays[plan.weekday.index]
    if plan.next_week:
        return language.offset.format(amount=1, unit=language.units[Unit.WEEK])
    return None


def _day(plan: Plan, clock: Clock, now: datetime, language: Language) -> date | None:
    """The day the plan names, asked from dateparser and held to the rules; None if the pieces disagree."""
    today = now.date()
    phrase = _phrase(plan, language)
    if phrase is None:  # a clock alone: today if still ahead, else tomorrow
        return today if _at(today, clock, now) > now else today + timedelta(days=1)
    asked = _ask(phrase, language.code, today)
    if asked is None:
        return None
    day = asked.date()
    if plan.date is not None:
        found = plan.date
        if (asked.year if found.year else None, asked.month, asked.day) != (found.year, found.month, found.day):
            logger.warning("dateparser read %r as %s (%s)", phrase, day, language.code)  # our phrasebook is wrong
            return None
        if found.year is None:  # "its next occurrence": this year if the moment is still ahead
            next_one = _undated(found, clock, now)
            if next_one is None:
                return None
            day = next_one
    elif plan.shift is None and plan.weekday is not None:  # the weekday decides the day
        if day <= today:  # strictly after today, whatever dateparser prefers when counting from midnight
            day += timedelta(weeks=1)
        if plan.next_week and not _in_next_week(day, today):
            day += timedelta(weeks=1)
    return day if _agrees(plan, day, today) else None


def _undated(found: Date, clock: Clock, now: datetime) -> date | None:
    """The next occurrence of a day and month at `clock` after `now`; 29.2. waits for a leap year."""
    for year in range(now.year, now.year + 9):
        try:
            candidate = date(year, found.month, found.day)
        except ValueError:
            continue
        if _at(candidate, clock, now) > now:
            return candidate
    return None


def _agrees(plan: Plan, day: date, today: date) -> bool:
    """Whether every piece of the plan holds on `day`: "huomenna tiistaina" is fine on a Monday only.

    This also catches dateparser reading one of our phrases differently from us.
    """
    if plan.weekday is not None and day.weekday() != plan.weekday.index:
        return False
    if plan.shift is not None and day != today + timedelta(days=plan.shift.days):
        return False
    return not plan.next_week or _in_next_week(day, today)


def parse_when(text: str, *, now: datetime, language: str) -> datetime | None:
    """The moment `text` names, aware in the zone of `now`, or None when the text is not a time.

    `language` is "fi", "sv" or "en". The rules (when-dev.tsv): no clock time means 09:00; a clock
    alone is today if still ahead, else tomorrow; a weekday is its next occurrence strictly after today;
    a date without a year is its next occurrence; day, week, month and year offsets land at 09:00 and
    minute and hour offsets are exact. Planning periods (when-planning-dev.tsv): a month alone or its start is
    its 1st, its end its last day, a week number its Monday, a season its last day.
    Raises ValueError for a naive `now` or another language (caller bugs).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    grammar = LANGUAGES.get(language)
    if grammar is None:
        raise ValueError(f"unsupported language {language!r}; expected one of {sorted(LANGUAGES)}")
    if not text or len(text) > MAX_LENGTH:
        return None
    pieces = scan(prepare(text), grammar.rules)
    plan = None if pieces is None else plan_of(pieces)
    if plan is None:
        return None
    if plan.offset is not None and plan.offset.unit in EXACT_UNITS:
        today = now.date()
        phrase = grammar.offset.format(amount=plan.offset.amount, unit=grammar.units[plan.offset.unit])
        asked = _ask(phrase, language, today)
        if asked is None:
            return None
        # dateparser counted from midnight; the difference is the offset itself, added in real time.
        return (now.astimezone(UTC) + (asked - datetime.combine(today, time()))).astimezone(now.tzinfo)
    clock = plan.clock or DEFAULT_CLOCK
    if plan.period is not None:
        day = period_day(plan.period, plan.weekday, now.date(), lambda each: _at(each, clock, now) > now)
    else:
        day = _day(plan, clock, now, grammar)
    return None if day is None else _at(day, clock, now)


def names_a_period(text: str, *, language: str) -> bool:
    """Whether `text` is read as a stretch of the calendar (a month, week, season or year, or an edge of one),
    words that stay true as time passes, unlike "in two weeks" or "tomorrow"."""
    grammar = LANGUAGES.get(language)
    if grammar is None or not text or len(text) > MAX_LENGTH:
        return False
    pieces = scan(prepare(text), grammar.rules)
    plan = None if pieces is None else plan_of(pieces)
    return plan is not None and plan.period is not None


def warm_up(languages: Iterable[str] = tuple(LANGUAGES), now: datetime | None = None) -> dict[str, datetime | None]:
    """Load dateparser's data and compile our patterns now, at start-up, not on the first person's message.

    The first parse in a process costs about 0.2 s on top of the import (dateparser compiles its time
    zone and locale patterns then; platform-facts 5.2 advises warming up at process start). Returns what
    each language's "tomorrow" read as, so a warm-up that read nothing is seen.
    """
    now = now or datetime.now(UTC)
    return {code: parse_when(LANGUAGES[code].days[1], now=now, language=code) for code in languages}


def check_when(when: datetime, *, now: datetime) -> None:
    """Raise DomainError when `when` is in the past or more than two years ahead of `now`."""
    if when < now:
        raise DomainError("when.in_past")
    local = now.astimezone(when.tzinfo)
    limit = datetime.combine(add_months(local.date(), 12 * MAX_YEARS_AHEAD), local.timetz())
    if when > limit:
        raise DomainError("when.too_far", years=MAX_YEARS_AHEAD)


def parse_future_when(text: str, *, now: datetime, language: str) -> datetime:
    """The moment `text` names, which must be ahead of `now` and at most two years away."""
    when = parse_when(text, now=now, language=language)
    if when is None:
        raise DomainError("when.not_understood")
    check_when(when, now=now)
    return when
