"""When an action's owner is reminded of it: on the working day a week before its day, the planner and job alike."""

from __future__ import annotations

from datetime import date, timedelta

from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Target
from bot.workdays import WorkingDays

REMIND_DAYS_BEFORE = 7  # the model's rhythm is weeks: a week is time enough to do it, or to say it will slip


def reminder_day(due_on: date, days: WorkingDays) -> date | None:
    """The working day a week before an action's day (later when that is a holiday); None when none is left."""
    day = due_on - timedelta(days=REMIND_DAYS_BEFORE)
    while not days.is_working_day(day):
        day += timedelta(days=1)
    return day if day < due_on else None


def due_soon(plan: DevelopmentPlan, day: date, days: WorkingDays) -> list[tuple[Target, PlanAction]]:
    """The actions whose owners are reminded on `day`, with their targets."""
    return [(target, action) for target, action, on in _reminders(plan, days) if on == day]


def reminder_days(plan: DevelopmentPlan, days: WorkingDays) -> set[date]:
    """Every day some owner of the plan's actions is reminded on."""
    return {on for _, _, on in _reminders(plan, days)}


def _reminders(plan: DevelopmentPlan, days: WorkingDays) -> list[tuple[Target, PlanAction, date]]:
    """Each action of an agreed plan that someone answers for and has not done, with its reminder day."""
    if plan.agreed_on is None:  # a draft's actions are still being written
        return []
    found = []
    for target in plan.targets:
        for action in target.actions:
            if action.owner_id is None or action.status is ActionStatus.DONE or action.due_on is None:
                continue
            day = reminder_day(action.due_on, days)
            if day is not None:
                found.append((target, action, day))
    return found
