"""The annual calendar and the plans turned into job specs with stable ids: pure, no clock and no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from bot.action_due import reminder_days
from bot.calendar import AnnualCalendar, CalendarStep, StepKind
from bot.follow_up_rhythm import FollowUpRhythm
from bot.months import add_months
from bot.organisation import Team, zone_or_default
from bot.plan import DevelopmentPlan
from bot.workdays import WorkingDays
from bot.workshop import AGENDA_LEAD_DAYS

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
    FOLLOW_UP_ESCALATION = "follow_up_escalation"  # the wellbeing officers told of one team's missed follow-up
    FOLLOW_UP_DIGEST = "follow_up_digest"  # the officers' monthly list of every team still overdue
    ACTION_DUE = "action_due"  # owners reminded of their actions a week before their day (bot/action_due.py)
    WORKSHOP_AGENDA = "workshop_agenda"  # the supervisor's agenda, a week before the workshop


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
    until: datetime | None = None  # a follow-up job: past this a later one has taken its place (None: never)


def plan_jobs(
    calendar: AnnualCalendar,
    teams: Iterable[Team],
    plans: Mapping[int, DevelopmentPlan],
    *,
    start: datetime,
    end: datetime,
    timezone: str = "Europe/Helsinki",
    workdays: WorkingDays | None = None,
    rhythm: FollowUpRhythm | None = None,
    now: datetime | None = None,
) -> list[JobSpec]:
    """Every job whose time falls in [start, end), in time order; a follow-up already overdue at `start` is due now.

    Pulse rounds are one per organisation (team id WHOLE_ORGANISATION) in its time zone: every team answers
    the same round, so a small unit's answers can roll up into its parent's. So is the wellbeing officers'
    monthly digest of overdue follow-ups.

    A follow-up's overdue rhythm is planned once it is late at `now` or at `start`, whichever is later: a limit
    further ahead may well be met, and the re-plan that sees it pass plans the first overdue card on time.
    """
    days = workdays or WorkingDays()
    rhythm = rhythm or FollowUpRhythm()
    teams = list(teams)
    organisation = Team(WHOLE_ORGANISATION, "", "", timezone=timezone)
    jobs: list[JobSpec] = _pulse_jobs(calendar, organisation, start, end, days)
    # Every team shares the calendar's days and, per time zone, their send moments: worked out once, not once
    # per team (a city's thousand teams took the leader 0.8 s of CPU at each re-plan).
    occurrences = {year: calendar.occurrences(year) for year in _cycle_years(start, end)}
    moments = _Moments(days, calendar.send_hour)
    late: list[date] = []  # the due dates already missed at `now`
    for team in teams:
        jobs += _calendar_jobs(occurrences, team, start, end, moments)
        plan = plans.get(team.id)
        if plan is not None:
            jobs += _action_jobs(plan, team, start, end, moments)
        due = plan.next_follow_up_due if plan is not None else None
        if plan is None or due is None:
            continue
        jobs += _follow_up_jobs(calendar, team, plan, start, end, days)
        if moments.of(due, team)[0] <= max(now or start, start):
            late.append(due)
            jobs += _overdue_jobs(calendar, team, due, start, end, days, rhythm)
    jobs += _digest_jobs(calendar, organisation, late, start, end, days, rhythm)
    unique = {job.id: job for job in jobs}  # a calendar follow-up and the plan's own can land on one day
    return sorted(unique.values(), key=lambda job: (job.run_at, job.id))


def _moment(day: date, team: Team, hour: int, days: WorkingDays) -> tuple[datetime, date]:
    local = days.next_working_moment(datetime.combine(day, time(hour), tzinfo=zone_or_default(team.timezone)), hour)
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
            prompts = [(day, JobKind(step.kind.value))]
            if step.kind is StepKind.WORKSHOP:  # its agenda comes a week ahead, time to prepare
                prompts.append((day - timedelta(days=AGENDA_LEAD_DAYS), JobKind.WORKSHOP_AGENDA))
            for prompt_day, kind in prompts:
                run_at, local_day = moments.of(prompt_day, team)
                if start <= run_at < end:
                    job_id = f"{kind.value}:{team.id}:{local_day.isoformat()}"
                    jobs.append(JobSpec(job_id, kind, team.id, run_at, local_day, team.timezone))
    return jobs


def _action_jobs(plan: DevelopmentPlan, team: Team, start: datetime, end: datetime, moments: _Moments) -> list[JobSpec]:
    """One job per team and day on which owners of its plan's actions are reminded: a changed due date or owner
    re-plans it, and the job looks up that day's actions when it runs."""
    jobs = []
    for day in sorted(reminder_days(plan, moments.days)):
        run_at, local_day = moments.of(day, team)
        if start <= run_at < end:
            job_id = f"{JobKind.ACTION_DUE.value}:{team.id}:{local_day.isoformat()}"
            jobs.append(JobSpec(job_id, JobKind.ACTION_DUE, team.id, run_at, local_day, team.timezone))
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
    """The plan's next follow-up before its 3-month limit, on the calendar's follow-up day if one comes before it."""
    due = plan.next_follow_up_due
    last = plan.last_follow_up_on or plan.agreed_on
    assert due is not None and last is not None  # a due date exists only for an agreed plan
    due_at, _ = _moment(due, team, calendar.send_hour, days)
    if due_at <= start:
        return []
    return _on_time_follow_up(calendar, team, due, last, due_at, start, end, days)


def _overdue_jobs(
    calendar: AnnualCalendar,
    team: Team,
    due: date,
    start: datetime,
    end: datetime,
    days: WorkingDays,
    rhythm: FollowUpRhythm,
) -> list[JobSpec]:
    """After a missed limit, until the follow-up is recorded (which re-plans): the overdue card every
    `reminder_days` and on the calendar's follow-up days, and the wellbeing officers told once at `escalation_days`.
    """
    # A calendar follow-up day takes the place of the regular card nearest it: never two cards a few days apart.
    # Looked for beyond the window too, so a regular card just before it is never planned again as a stand-in.
    near = timedelta(days=rhythm.reminder_days / 2)
    reach = timedelta(days=rhythm.reminder_days) + near  # the card before the window stands in for it
    around = _overdue_calendar_cards(calendar, team, due, start - reach, end + near, days)
    weekly = [
        job
        for job in _overdue_cards(calendar, team, due, start, end, days, rhythm)
        if all(abs(job.run_at - card.run_at) >= near for card in around)
    ]
    jobs = weekly + [card for card in around if start <= card.run_at < end]
    # Planned whatever the window's start, like the first overdue card: a long downtime cannot lose it.
    escalation_at, escalation_day = _moment(rhythm.escalation_day(due), team, calendar.send_hour, days)
    if escalation_at < end:
        escalation_id = f"follow_up_escalation:{team.id}:{due.isoformat()}"
        jobs.append(
            JobSpec(
                escalation_id,
                JobKind.FOLLOW_UP_ESCALATION,
                team.id,
                escalation_at,
                escalation_day,
                team.timezone,
                overdue=True,
            )
        )
    return jobs


def _on_time_follow_up(
    calendar: AnnualCalendar,
    team: Team,
    due: date,
    last: date,
    due_at: datetime,
    start: datetime,
    end: datetime,
    days: WorkingDays,
) -> list[JobSpec]:
    """The prompt before the limit: on the calendar's follow-up day if one comes before it, else two weeks ahead."""
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


def _overdue_cards(
    calendar: AnnualCalendar,
    team: Team,
    due: date,
    start: datetime,
    end: datetime,
    days: WorkingDays,
    rhythm: FollowUpRhythm,
) -> list[JobSpec]:
    """The overdue card from the day after the limit, every `reminder_days`, each until the next takes its place.

    The last one before `start` is planned too: missed while the bot was down, it goes out at once (only it: the
    ones before it were overtaken). Ids name the missed due date and the card's day: never twice.
    """
    every = timedelta(days=rhythm.reminder_days)
    first = due + timedelta(days=1)
    # Start a step before the window instead of walking from the due date: a team 441 days late plans few jobs.
    skip = max(0, (start.date() - first).days // rhythm.reminder_days - 1)
    nominal = first + skip * every
    moments: list[tuple[date, datetime, date]] = []
    while True:
        run_at, local_day = _moment(nominal, team, calendar.send_hour, days)
        moments.append((nominal, run_at, local_day))
        if run_at >= end:
            break
        nominal += every
    jobs = []
    for (nominal, run_at, local_day), (_, next_at, _) in pairwise(moments):
        if run_at < start and next_at < start:
            continue  # overtaken before the window: the next one stands for it
        suffix = "" if nominal == first else f":{nominal.isoformat()}"
        job_id = f"follow_up:{team.id}:{due.isoformat()}:overdue{suffix}"
        jobs.append(
            JobSpec(job_id, JobKind.FOLLOW_UP, team.id, run_at, local_day, team.timezone, overdue=True, until=next_at)
        )
    return jobs


def _overdue_calendar_cards(
    calendar: AnnualCalendar, team: Team, due: date, start: datetime, end: datetime, days: WorkingDays
) -> list[JobSpec]:
    """The calendar's follow-up days after a missed limit still bring the overdue card, each on its own day only."""
    jobs = []
    for year in range(max(due.year, start.year - 1), end.year + 1):
        for day, step in calendar.occurrences(year):
            if step.kind is not StepKind.FOLLOW_UP or not step.applies_to(team.key) or day <= due:
                continue
            run_at, local_day = _moment(day, team, calendar.send_hour, days)
            if start <= run_at < end:
                job_id = f"follow_up:{team.id}:{due.isoformat()}:calendar:{local_day.isoformat()}"
                until = datetime.combine(local_day + timedelta(days=1), time(), tzinfo=zone_or_default(team.timezone))
                jobs.append(JobSpec(job_id, JobKind.FOLLOW_UP, team.id, run_at, local_day, team.timezone, True, until))
    return jobs


def _digest_jobs(
    calendar: AnnualCalendar,
    organisation: Team,
    missed: list[date],
    start: datetime,
    end: datetime,
    days: WorkingDays,
    rhythm: FollowUpRhythm,
) -> list[JobSpec]:
    """The officers' digest on each month's first working day that finds a team past its escalation day.

    A team escalated on the digest's own day waits for the next one. Like a calendar prompt, a digest missed while
    the bot was down goes out later on its own day only: the next month's lists every team still late.
    """
    escalations = [rhythm.escalation_day(due) for due in missed]
    if not escalations:
        return []
    jobs: list[JobSpec] = []
    month = date(start.year, start.month, 1)
    while True:
        run_at, local_day = _moment(month, organisation, calendar.send_hour, days)
        if run_at >= end:
            return jobs
        if start <= run_at and any(day < local_day for day in escalations):
            until = datetime.combine(
                local_day + timedelta(days=1), time(), tzinfo=zone_or_default(organisation.timezone)
            )
            job_id = f"follow_up_digest:{month.isoformat()[:7]}"
            jobs.append(
                JobSpec(
                    job_id,
                    JobKind.FOLLOW_UP_DIGEST,
                    WHOLE_ORGANISATION,
                    run_at,
                    local_day,
                    organisation.timezone,
                    overdue=True,
                    until=until,
                )
            )
        month = add_months(month, 1)
