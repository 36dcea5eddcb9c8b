"""The annual calendar and the plans turned into job specs with stable ids: pure, no clock and no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.calendar import AnnualCalendar, CalendarStep, StepKind
from bot.organisation import Team
from bot.plan import DevelopmentPlan
from bot.workdays import WorkingDays

PULSE_OPEN_DAYS = 7  # a pulse round stays open a week
PULSE_REMINDER_AFTER_DAYS = 3  # the one reminder, to those who have not answered
FOLLOW_UP_LEAD_DAYS = 14  # with no calendar follow-up before the 3-month limit, prompt this long before it
WHOLE_ORGANISATION = 0  # the team id of jobs for every team at once: one pulse round, so small units roll up


class JobKind(StrEnum):
    """What a job does when it fires; calendar steps keep their own names."""

    SURVEY = StepKind.SURVEY.value
    RESULTS_REVIEW = StepKind.RESULTS_REVIEW.value
    CHOOSE_TARGETS = StepKind.CHOOSE_TARGETS.value
    WORKSHOP = StepKind.WORKSHOP.value
    PLAN = StepKind.PLAN.value
    UNIT_SURVEY = StepKind.UNIT_SURVEY.value
    EVALUATION = StepKind.EVALUATION.value
    FOLLOW_UP = StepKind.FOLLOW_UP.value
    PULSE_ROUND = "pulse_round"
    PULSE_REMINDER = "pulse_reminder"


@dataclass(frozen=True)
class JobSpec:
    """One prompt to send: a stable id (the same occurrence always gets the same id), when, for which team."""

    id: str
    kind: JobKind
    team_id: int
    run_at: datetime  # aware, UTC
    local_date: date  # the day in the team's time zone, after moving off weekends and holidays
    timezone: str  # the team's (the organisation's for pulse rounds): where local_date is a day
    overdue: bool = False


def plan_jobs(
    calendar: AnnualCalendar,
    teams: Iterable[Team],
    plans: Mapping[int, DevelopmentPlan],
    *,
    start: datetime,
    end: datetime,
    timezone: str = "Europe/Helsinki",
    workdays: WorkingDays | None = None,
) -> list[JobSpec]:
    """Every job whose time falls in [start, end), in time order; a follow-up already overdue at `start` is due now.

    Pulse rounds are one per organisation (team id WHOLE_ORGANISATION) in its time zone: every team answers
    the same round, so a small unit's answers can roll up into its parent's.
    """
    days = workdays or WorkingDays()
    organisation = Team(WHOLE_ORGANISATION, "", "", timezone=timezone)
    jobs: list[JobSpec] = _pulse_jobs(calendar, organisation, start, end, days)
    # Every team shares the calendar's days and, per time zone, their send moments: worked out once, not once
    # per team (a city's thousand teams took the leader 0.8 s of CPU at each re-plan).
    occurrences = {year: calendar.occurrences(year) for year in _cycle_years(start, end)}
    moments = _Moments(days, calendar.send_hour)
    for team in teams:
        jobs += _calendar_jobs(occurrences, team, start, end, moments)
        plan = plans.get(team.id)
        if plan is not None:
            jobs += _follow_up_jobs(calendar, team, plan, start, end, days)
    unique = {job.id: job for job in jobs}  # a calendar follow-up and the plan's own can land on one day
    return sorted(unique.values(), key=lambda job: (job.run_at, job.id))


def _moment(day: date, team: Team, hour: int, days: WorkingDays) -> tuple[datetime, date]:
    local = days.next_working_moment(datetime.combine(day, time(hour), tzinfo=ZoneInfo(team.timezone)), hour)
    return local.astimezone(UTC), local.date()


class _Moments:
    """The send moment of a day in a time zone, remembered for one planning."""

    def __init__(self, days: WorkingDays, hour: int) -> None:
        self.days = days
        self.hour = hour
        self._known: dict[tuple[date, str], tuple[datetime, date]] = {}

    def of(self, day: date, team: Team) -> tuple[datetime, date]:
        key = (day, team.timezone)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = _moment(day, team, self.hour, self.days)
        return known


def _cycle_years(start: datetime, end: datetime) -> range:
    # A cycle that began last year can still have steps (evaluation in December) inside the window.
    return range(start.year - 1, end.year + 1)


def _calendar_jobs(
    occurrences: Mapping[int, list[tuple[date, CalendarStep]]],
    team: Team,
    start: datetime,
    end: datetime,
    moments: _Moments,
) -> list[JobSpec]:
    jobs = []
    for dated in occurrences.values():
        for day, step in dated:
            # Follow-ups follow each team's own plan (_follow_up_jobs); the calendar's days only guide them.
            if step.kind is StepKind.FOLLOW_UP or not step.applies_to(team.key):
                continue
            run_at, local_day = moments.of(day, team)
            if start <= run_at < end:
                kind = JobKind(step.kind.value)
                jobs.append(
                    JobSpec(
                        f"{kind.value}:{team.id}:{local_day.isoformat()}",
                        kind,
                        team.id,
                        run_at,
                        local_day,
                        team.timezone,
                    )
                )
    return jobs


def _pulse_jobs(
    calendar: AnnualCalendar, team: Team, start: datetime, end: datetime, days: WorkingDays
) -> list[JobSpec]:
    """Pulse rounds every N weeks from the week after the plan is written until the evaluation."""
    if calendar.pulse_every_weeks == 0:
        return []
    plan_steps = [s for s in calendar.steps if s.kind is StepKind.PLAN and s.enabled]
    evaluation_steps = [s for s in calendar.steps if s.kind is StepKind.EVALUATION and s.enabled]
    if not plan_steps or not evaluation_steps:
        return []
    jobs = []
    for year in _cycle_years(start, end):
        first = calendar.date_of(plan_steps[0].key, year) + timedelta(days=7)
        first += timedelta(days=(7 - first.weekday()) % 7)  # rounds open on Mondays
        last = calendar.date_of(evaluation_steps[0].key, year)
        day = first
        while day < last:
            run_at, local_day = _moment(day, team, calendar.send_hour, days)
            reminder_at, reminder_day = _moment(
                local_day + timedelta(days=PULSE_REMINDER_AFTER_DAYS), team, calendar.send_hour, days
            )
            round_id = day.isoformat()  # the Monday names the round, wherever holidays move it
            if start <= run_at < end:
                jobs.append(
                    JobSpec(f"pulse_round:{round_id}", JobKind.PULSE_ROUND, team.id, run_at, local_day, team.timezone)
                )
            if start <= reminder_at < end:
                jobs.append(
                    JobSpec(
                        f"pulse_reminder:{round_id}",
                        JobKind.PULSE_REMINDER,
                        team.id,
                        reminder_at,
                        reminder_day,
                        team.timezone,
                    )
                )
            day += timedelta(weeks=calendar.pulse_every_weeks)
    return jobs


def _follow_up_jobs(
    calendar: AnnualCalendar, team: Team, plan: DevelopmentPlan, start: datetime, end: datetime, days: WorkingDays
) -> list[JobSpec]:
    """The plan's next follow-up: on the calendar's follow-up day if one comes before the 3-month limit."""
    due = plan.next_follow_up_due
    if due is None:
        return []
    last = plan.last_follow_up_on or plan.agreed_on
    assert last is not None  # a due date exists only for an agreed plan
    due_at, _ = _moment(due, team, calendar.send_hour, days)
    if due_at <= start:
        # Past its time: sent once, marked overdue, on the first working day after the limit. Planned whatever
        # the window's start, so a long downtime cannot lose it; the id names the missed due date: never twice.
        run_at, local_day = _moment(due + timedelta(days=1), team, calendar.send_hour, days)
        overdue_id = f"follow_up:{team.id}:{due.isoformat()}:overdue"
        overdue = JobSpec(overdue_id, JobKind.FOLLOW_UP, team.id, run_at, local_day, team.timezone, overdue=True)
        return [overdue] if run_at < end else []
    candidates = [
        day
        for year in (last.year, last.year + 1)
        for day, step in calendar.occurrences(year)
        if step.kind is StepKind.FOLLOW_UP and step.applies_to(team.key) and last < day <= due
    ]
    prompt_day = (
        min(candidates) if candidates else max(last + timedelta(days=1), due - timedelta(days=FOLLOW_UP_LEAD_DAYS))
    )
    run_at, local_day = _moment(prompt_day, team, calendar.send_hour, days)
    if run_at > due_at:  # moving off a holiday must not push the prompt past the limit
        run_at, local_day = due_at, due
    if not start <= run_at < end:
        return []
    return [
        JobSpec(f"follow_up:{team.id}:{due.isoformat()}", JobKind.FOLLOW_UP, team.id, run_at, local_day, team.timezone)
    ]
