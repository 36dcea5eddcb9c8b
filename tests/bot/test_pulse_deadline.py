"""A round's deadline: a week later on the organisation's wall clock, at a full hour, across summer time too."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import format_clock
from bot.pulse import round_closes_at

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("opened", "closes"),
    [
        # Summer time ends on Sunday 25.10.2026 at 4.00: a week from 18.10. at 9.00 still ends at 9.00, not 8.00.
        (datetime(2026, 10, 18, 9, 0, tzinfo=HELSINKI), datetime(2026, 10, 25, 9, 0, tzinfo=HELSINKI)),
        # Summer time begins on Sunday 28.3.2027 at 3.00: not 10.00 either.
        (datetime(2027, 3, 21, 9, 0, tzinfo=HELSINKI), datetime(2027, 3, 28, 9, 0, tzinfo=HELSINKI)),
        # Opened by hand at 8.42 (the console, the demo): the deadline people read is 9.00.
        (datetime(2026, 12, 7, 8, 42, 17, tzinfo=HELSINKI), datetime(2026, 12, 14, 9, 0, tzinfo=HELSINKI)),
        # The server works in UTC: the rule still reads the organisation's clock.
        (datetime(2026, 10, 18, 6, 0, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_a_week_later_at_the_same_full_hour_on_the_local_clock(opened: datetime, closes: datetime) -> None:
    deadline = round_closes_at(opened, 7, "Europe/Helsinki")
    assert deadline == closes
    assert format_clock(deadline.astimezone(HELSINKI), "fi") == "9.00"


def test_an_unknown_zone_reads_helsinkis_clock() -> None:
    opened = datetime(2026, 10, 18, 9, 0, tzinfo=HELSINKI)
    assert round_closes_at(opened, 7, "Mars/Olympus") == datetime(2026, 10, 25, 9, 0, tzinfo=HELSINKI)
