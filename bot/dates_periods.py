"""The day a planning period names: the first or last day of a month, season or year, the Monday of a week."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

from bot.dates_grammar import Edge, Period, Span, Weekday
from bot.months import add_months

# A season's first and last month (when-planning-dev.tsv): the Finnish calendar's, winter ending with February.
SEASON_MONTHS: Final = ((3, 5), (6, 8), (9, 11), (12, 2))
WINTER: Final = 3
YEARS_AHEAD: Final = 8  # enough for the next year with an ISO week 53 (2026, 2032 ...)


def _last_day(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def edge_day(period: Period, year: int) -> date | None:
    """The day `period` names in `year` (a week's ISO year; for winter, the year its February is in).

    None when that edge of the span has no agreed day (the middle of a season) or the span does not exist
    in that year (week 53 of a 52-week year).
    """
    number = period.number
    if period.span is Span.YEAR:
        return {Edge.START: date(year, 1, 1), Edge.END: date(year, 12, 31)}.get(period.edge)
    if number is None:
        return None
    if period.span is Span.MONTH:
        if period.edge is Edge.START:
            return date(year, number, 1)
        return date(year, number, 15) if period.edge is Edge.MIDDLE else _last_day(year, number)
    if period.span is Span.WEEK:
        try:
            return date.fromisocalendar(year, number, 1) if period.edge is Edge.START else None
        except ValueError:  # week 53 in a year with 52
            return None
    first, last = SEASON_MONTHS[number]
    if period.edge is Edge.START:
        return date(year - 1 if number == WINTER else year, first, 1)
    return _last_day(year, last) if period.edge is Edge.END else None


def _counted_from_today(period: Period, today: date) -> Period:
    """ "Ensi kuun lopussa", "end of this year": the month or year counted from today's, made concrete."""
    if period.span is Span.MONTH:
        month = add_months(today.replace(day=1), period.ahead)
        return Period(period.span, period.edge, month.month, month.year)
    return Period(period.span, period.edge, None, today.year + period.ahead)


def period_day(period: Period, weekday: Weekday | None, today: date, is_ahead: Callable[[date], bool]) -> date | None:
    """The day the period names (a weekday picks its day within a week); without a year, the next one ahead.

    A period counted from today ("tämän kuun alussa") is that day even when it has passed: check_when says so.
    """
    if period.number is None and period.span in (Span.MONTH, Span.YEAR) and period.year is None:
        period = _counted_from_today(period, today)
    shift = timedelta(days=weekday.index if weekday is not None else 0)
    if period.year is not None:
        day = edge_day(period, period.year)
        return None if day is None else day + shift
    for year in range(today.year, today.year + YEARS_AHEAD):
        day = edge_day(period, year)
        if day is not None and is_ahead(day + shift):
            return day + shift
    return None
