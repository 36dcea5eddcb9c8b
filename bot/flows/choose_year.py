"""Which year's plan a choosing feeds: this year's until the year's plan step, next year's once it has passed."""

from __future__ import annotations

from datetime import date

from bot.calendar import AnnualCalendar
from bot.organisation import Team


def plan_year(calendar: AnnualCalendar, team: Team, today: date) -> int:
    """The year of the plan a choosing held `today` (the team's date) goes into.

    Once the year's plan step is behind (a choosing in December), this year's plan is written and being followed:
    what the team chooses now is for next year's plan, so it starts or fills next year's draft. A calendar without
    a plan step for the team keeps every choosing in its own year.
    """
    plan_day = calendar.plan_day(team.key, today.year)
    return today.year + 1 if plan_day is not None and today > plan_day else today.year
