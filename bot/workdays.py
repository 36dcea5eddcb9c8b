"""Working days: no prompts on weekends or public holidays (Finland's by default), moved to the next working day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

DEFAULT_COUNTRY = "FI"


@lru_cache(maxsize=16)
def _holidays_for(country: str) -> holidays.HolidayBase:
    # One calendar per country, filled year by year on first use (the package expands lazily).
    return holidays.country_holidays(country)


class WorkingDays:
    """A country's working-day calendar; Finland's includes Midsummer Eve and Christmas Eve."""

    def __init__(self, country: str = DEFAULT_COUNTRY) -> None:
        try:
            self._holidays = _holidays_for(country.upper())
        except NotImplementedError:
            raise ValueError(f"no holiday calendar for country {country!r}") from None
        self.country = country.upper()

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, and not a public holiday."""
        return day.weekday() < 5 and day not in self._holidays

    def on_or_after(self, day: date) -> date:
        """The first working day at or after `day`: where a prompt due on a day off goes out."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name in English, if the day is one."""
        name = self._holidays.get(day)
        return None if name is None else str(name)

    def next_working_moment(self, moment: datetime, hour: int) -> datetime:
        """The first time at `hour`:00 on a working day, at or after `moment`, in `moment`'s time zone."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        day = moment.date()
        while True:
            # Built from the wall clock, so a DST change between here and then keeps the hour local.
            candidate = datetime.combine(day, time(hour), tzinfo=moment.tzinfo)
            if candidate >= moment and self.is_working_day(day):
                return candidate
            day += timedelta(days=1)
