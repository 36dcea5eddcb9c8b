"""The planner: the demo year as job specs, on working days at the configured hour, with stable ids."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from bot.organisation import Team
from bot.plan import DevelopmentPlan, Strength, Target
from bot.workdays import WorkingDays
from scheduler.planner import FOLLOW_UP_LEAD_DAYS, WHOLE_ORGANISATION, JobKind, JobSpec, plan_jobs

HELSINKI = ZoneInfo("Europe/Helsinki")
KOTIHOITO = Team(1, "kotihoito", "Kotihoito")
YEAR_2027 = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def agreed_plan(team_id: int, on: date, last: date | None = None) -> DevelopmentPlan:
    plan = DevelopmentPlan(team_id, on.year).with_strength(Strength("s")).with_target(Target("t")).agree(on)
    return plan.record_follow_up(last) if last else plan


def test_every_job_lands_on_a_working_day_at_nine_local_time() -> None:
    jobs = plan_jobs(default_calendar(), [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    finland = WorkingDays()
    assert jobs
    for job in jobs:
        local = job.run_at.astimezone(HELSINKI)
        assert local.hour == 9 and local.minute == 0, job
        assert finland.is_working_day(local.date()) and local.date() == job.local_date, job


def test_the_year_has_each_step_once_in_order() -> None:
    jobs = plan_jobs(default_calendar(), [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    steps = [j.kind for j in jobs if j.kind not in (JobKind.PULSE_ROUND, JobKind.PULSE_REMINDER)]
    assert steps == [
        JobKind.SURVEY,
        JobKind.RESULTS_REVIEW,
        JobKind.CHOOSE_TARGETS,
        JobKind.WORKSHOP,
        JobKind.PLAN,
        JobKind.EVALUATION,
    ]
    assert jobs[0].local_date == date(2027, 1, 15)
    assert len({j.id for j in jobs}) == len(jobs)


def test_pulse_rounds_come_every_four_weeks_between_plan_and_evaluation_each_with_one_reminder() -> None:
    other = Team(2, "ruoka", "Ruokapalvelu", timezone="Europe/Stockholm")
    jobs = plan_jobs(default_calendar(), [KOTIHOITO, other], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    rounds = [j for j in jobs if j.kind is JobKind.PULSE_ROUND]
    reminders = [j for j in jobs if j.kind is JobKind.PULSE_REMINDER]
    assert len(rounds) == len(reminders) >= 8
    plan_day = next(j.local_date for j in jobs if j.kind is JobKind.PLAN)
    evaluation_day = next(j.local_date for j in jobs if j.kind is JobKind.EVALUATION)
    assert all(plan_day < r.local_date < evaluation_day for r in rounds)
    gaps = {(b.local_date - a.local_date).days for a, b in pairwise(rounds)}
    assert gaps <= {27, 28, 29}  # four weeks, give or take a day moved off a holiday
    assert [r.id.split(":", 1)[1] for r in rounds] == [m.id.split(":", 1)[1] for m in reminders]
    # one round for the whole organisation, in its time zone, so every team answers the same round
    assert {r.team_id for r in rounds} == {WHOLE_ORGANISATION}
    assert all(r.run_at.astimezone(HELSINKI).hour == 9 for r in rounds)


def test_a_holiday_moves_the_prompt_to_the_next_working_day() -> None:
    calendar = AnnualCalendar(steps=(CalendarStep("survey", StepKind.SURVEY, month=12, day=24),))
    jobs = plan_jobs(calendar, [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    assert [j.local_date for j in jobs] == [date(2027, 12, 27)]  # Christmas Eve, Christmas, Boxing Day, Monday


def test_each_team_in_its_own_time_zone_and_summer_time() -> None:
    stockholm = Team(2, "stockholm", "Stockholm office", timezone="Europe/Stockholm")
    calendar = AnnualCalendar(
        steps=(
            CalendarStep("survey", StepKind.SURVEY, month=1, day=15),
            CalendarStep("evaluation", StepKind.EVALUATION, month=6, day=15),
        ),
        pulse_every_weeks=0,
    )
    jobs = plan_jobs(calendar, [KOTIHOITO, stockholm], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    by = {(j.team_id, j.kind): j.run_at for j in jobs}
    assert by[(1, JobKind.SURVEY)] == datetime(2027, 1, 15, 7, tzinfo=UTC)  # 09:00 EET
    assert by[(1, JobKind.EVALUATION)] == datetime(2027, 6, 15, 6, tzinfo=UTC)  # 09:00 EEST
    assert by[(2, JobKind.SURVEY)] == datetime(2027, 1, 15, 8, tzinfo=UTC)  # 09:00 CET


def test_steps_for_some_units_only() -> None:
    calendar = AnnualCalendar(
        steps=(CalendarStep("workshop", StepKind.WORKSHOP, month=3, day=10, units=("kotihoito",)),), pulse_every_weeks=0
    )
    other = Team(2, "ruoka", "Ruokapalvelu")
    jobs = plan_jobs(calendar, [KOTIHOITO, other], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    assert [(j.team_id, j.kind) for j in jobs] == [(1, JobKind.WORKSHOP)]


def test_follow_up_on_the_calendars_day_before_the_three_month_limit() -> None:
    plans = {1: agreed_plan(1, date(2027, 3, 20))}  # due 20 June; the calendar's spring follow-up is 28 May
    jobs = [
        j
        for j in plan_jobs(default_calendar(), [KOTIHOITO], plans, start=YEAR_2027[0], end=YEAR_2027[1])
        if j.kind is JobKind.FOLLOW_UP
    ]
    assert [(j.local_date, j.overdue, j.id) for j in jobs] == [(date(2027, 5, 28), False, "follow_up:1:2027-06-20")]


def test_follow_up_without_a_calendar_day_comes_two_weeks_before_the_limit() -> None:
    plans = {1: agreed_plan(1, date(2027, 9, 1), last=date(2027, 11, 20))}  # due 20 Feb 2028, no step before it
    jobs = plan_jobs(
        default_calendar(),
        [KOTIHOITO],
        plans,
        start=datetime(2027, 12, 1, tzinfo=UTC),
        end=datetime(2028, 3, 1, tzinfo=UTC),
    )
    follow_ups = [j for j in jobs if j.kind is JobKind.FOLLOW_UP]
    assert len(follow_ups) == 1
    assert (date(2028, 2, 20) - follow_ups[0].local_date).days <= FOLLOW_UP_LEAD_DAYS


def test_an_overdue_follow_up_is_due_once_on_the_day_after_its_limit_with_a_stable_id() -> None:
    plans = {1: agreed_plan(1, date(2026, 3, 16), last=date(2026, 7, 20))}  # due 20 Oct 2026
    end = datetime(2027, 1, 1, tzinfo=UTC)

    def follow_ups(start: datetime) -> list[JobSpec]:
        jobs = plan_jobs(default_calendar(), [KOTIHOITO], plans, start=start, end=end)
        return [j for j in jobs if j.kind is JobKind.FOLLOW_UP]

    first = follow_ups(datetime(2026, 11, 23, 8, tzinfo=UTC))
    # the first working day after the limit, at nine; already past, so the runner sends it at once
    the_day_after = datetime(2026, 10, 21, 9, tzinfo=HELSINKI)
    assert [(j.overdue, j.run_at, j.id) for j in first] == [(True, the_day_after, "follow_up:1:2026-10-20:overdue")]
    assert follow_ups(datetime(2026, 12, 24, tzinfo=UTC)) == first  # planned again the same, whatever the window


def test_ids_are_stable_whatever_the_window() -> None:
    whole = plan_jobs(default_calendar(), [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    second_half = plan_jobs(
        default_calendar(), [KOTIHOITO], {}, start=datetime(2027, 7, 1, tzinfo=UTC), end=YEAR_2027[1]
    )
    assert {j.id for j in second_half} <= {j.id for j in whole}
    assert Counter(j.kind for j in second_half)[JobKind.SURVEY] == 0
