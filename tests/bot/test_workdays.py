"""Working days in Finland: weekends and public holidays, with Christmas, Midsummer and Easter of 2027."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.workdays import WorkingDays

HELSINKI = ZoneInfo("Europe/Helsinki")
FINLAND = WorkingDays()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)  # type: ignore[misc]


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 12, 24),  # Christmas Eve, a Friday
        date(2027, 12, 25),
        date(2027, 12, 26),
        date(2027, 6, 25),  # Midsummer Eve, Friday
        date(2027, 6, 26),
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 6),  # Ascension Day
        date(2027, 12, 6),  # Independence Day, a Monday
        date(2027, 1, 2),  # a Saturday
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: date) -> None:
    assert not FINLAND.is_working_day(day)


def test_ordinary_weekdays_are_working_days() -> None:
    assert FINLAND.is_working_day(date(2027, 12, 23)) and FINLAND.is_working_day(date(2027, 3, 30))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2027, 12, 24, 9), at(2027, 12, 27, 9)),  # Christmas Eve (Fri) -> Monday after Boxing Day
        (at(2027, 6, 25, 9), at(2027, 6, 28, 9)),  # Midsummer Eve -> Monday
        (at(2027, 3, 26, 9), at(2027, 3, 30, 9)),  # Good Friday -> Tuesday after Easter Monday
        (at(2027, 12, 3, 8, 0), at(2027, 12, 3, 9)),  # Friday early morning -> the same day at nine
        (at(2027, 12, 3, 9, 0), at(2027, 12, 3, 9)),  # exactly on time stays
        (at(2027, 12, 3, 14, 0), at(2027, 12, 7, 9)),  # Friday afternoon -> Monday is Independence Day -> Tuesday
        (at(2027, 3, 27, 9), at(2027, 3, 30, 9)),  # Easter Saturday -> Tuesday
    ],
)
def test_next_working_moment_moves_to_the_next_working_day_at_the_hour(moment: datetime, expected: datetime) -> None:
    assert FINLAND.next_working_moment(moment, 9) == expected


def test_the_hour_stays_local_across_a_dst_change() -> None:
    moved = FINLAND.next_working_moment(at(2027, 3, 27, 12), 9)  # clocks go forward on 28 March
    assert moved.hour == 9 and moved.utcoffset() != at(2027, 3, 27, 12).utcoffset()


def test_another_country_and_a_naive_time_are_handled() -> None:
    sweden = WorkingDays("se")
    assert not sweden.is_working_day(date(2027, 6, 6))  # Sweden's national day
    assert FINLAND.is_working_day(date(2027, 6, 7))
    assert FINLAND.holiday_name(date(2027, 12, 6)) == "Independence Day"
    with pytest.raises(ValueError):
        WorkingDays("XX")
    with pytest.raises(ValueError):
        FINLAND.next_working_moment(datetime(2027, 1, 1, 9), 9)
