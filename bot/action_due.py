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
    """The actions of an agreed plan whose owners are reminded on `day`: someone answers for them, not yet done."""
    if plan.agreed_on is None:
        return []
    return [
        (target, action)
        for target in plan.targets
        for action in target.actions
        if action.owner_id is not None
        and action.status is not ActionStatus.DONE
        and action.due_on is not None
        and reminder_day(action.due_on, days) == day
    ]


def reminder_days(plan: DevelopmentPlan, days: WorkingDays) -> set[date]:
    """Every day some owner of the plan's actions is reminded on."""
    if plan.agreed_on is None:
        return set()
    found = set()
    for target in plan.targets:
        for action in target.actions:
            if action.owner_id is None or action.status is ActionStatus.DONE or action.due_on is None:
                continue
            day = reminder_day(action.due_on, days)
            if day is not None:
                found.add(day)
    return found
