"""`tyhy calendar show` dates each step by the day it goes out, as the dashboard's wheel does."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.cli.calendar_commands import show_calendar
from adapters.cli.demo import seed_demo
from storage.db import Database


def test_a_step_due_on_a_weekend_shows_the_monday_it_goes_out_and_keeps_its_rule(db: Database) -> None:
    now = datetime(2027, 12, 6, 9, tzinfo=UTC)
    seed_demo(db, now)

    lines = show_calendar(db, "fi", 2028, now)

    survey = next(line for line in lines if "Työhyvinvointikysely" in line)
    # The survey's rule day, 15 January 2028, is a Saturday: it goes out on Monday the 17th.
    assert "ma 17.1.2028" in survey and "15.1." in survey
    assert not any("la 15.1.2028" in line for line in lines)
