"""The planner: the demo year as job specs, on working days at the configured hour, with stable ids."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from bot.follow_up_rhythm import FollowUpRhythm
from bot.organisation import Team
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from bot.workdays import WorkingDays
from scheduler.planner import FOLLOW_UP_LEAD_DAYS, WHOLE_ORGANISATION, JobKind, JobSpec, plan_jobs

HELSINKI = ZoneInfo("Europe/Helsinki")
KOTIHOITO = Team(1, "kotihoito", "Kotihoito")
YEAR_2027 = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def agreed_plan(team_id: int, on: date, last: date | None = None) -> DevelopmentPlan:
    target = Target("t").with_action(PlanAction("a"))
    plan = DevelopmentPlan(team_id, on.year).with_strength(Strength("s")).with_target(target).agree(on)
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
        JobKind.WORKSHOP_AGENDA,
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
    assert [(j.team_id, j.kind) for j in jobs] == [(1, JobKind.WORKSHOP_AGENDA), (1, JobKind.WORKSHOP)]


def test_the_workshop_agenda_comes_a_week_before_the_workshop() -> None:
    calendar = AnnualCalendar(
        steps=(CalendarStep("workshop", StepKind.WORKSHOP, month=3, day=10),), pulse_every_weeks=0
    )
    jobs = plan_jobs(calendar, [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    assert [(j.id, j.local_date) for j in jobs] == [
        ("workshop_agenda:1:2027-03-03", date(2027, 3, 3)),
        ("workshop:1:2027-03-10", date(2027, 3, 10)),
    ]


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


def test_an_overdue_follow_up_comes_weekly_from_the_day_after_its_limit_with_stable_ids() -> None:
    plans = {1: agreed_plan(1, date(2026, 3, 16), last=date(2026, 7, 20))}  # due 20 Oct 2026
    end = datetime(2027, 1, 1, tzinfo=UTC)

    def cards(start: datetime) -> list[JobSpec]:
        jobs = plan_jobs(default_calendar(), [KOTIHOITO], plans, start=start, end=end)
        return [j for j in jobs if j.kind is JobKind.FOLLOW_UP]

    # Planned on the day after the limit (a Wednesday): the card at nine, then every Wednesday until held.
    first = cards(datetime(2026, 10, 21, 5, tzinfo=UTC))
    assert all(j.overdue for j in first)
    # The calendar's winter follow-up day (Thursday 12 Nov) takes the place of 11 Nov.
    weeks = [date(2026, 10, 21), date(2026, 10, 28), date(2026, 11, 4), date(2026, 11, 12)]
    assert [j.local_date for j in first[:4]] == weeks
    assert first[0].run_at == datetime(2026, 10, 21, 9, tzinfo=HELSINKI)
    assert first[0].id == "follow_up:1:2026-10-20:overdue"
    assert first[1].id == "follow_up:1:2026-10-20:overdue:2026-10-28"
    assert first[3].id == "follow_up:1:2026-10-20:calendar:2026-11-12"
    assert len(first) == 11 and first[-1].local_date == date(2026, 12, 30)
    # Each weekly card stands until the next one is due; the calendar's card only on its own day.
    assert first[0].until == first[1].run_at
    assert first[3].until == datetime(2026, 11, 13, tzinfo=HELSINKI)

    # Weeks later (a downtime, say): the card of the last week before the window is still planned, same id.
    later = cards(datetime(2026, 11, 23, 8, tzinfo=UTC))
    assert later[0].id == "follow_up:1:2026-10-20:overdue:2026-11-18"
    assert later[0].until == datetime(2026, 11, 25, 9, tzinfo=HELSINKI)
    assert {j.id for j in later} <= {j.id for j in first}


def test_a_follow_up_not_yet_late_plans_no_overdue_rhythm_until_its_limit_passes() -> None:
    plans = {1: agreed_plan(1, date(2026, 3, 16), last=date(2026, 7, 20))}  # due 20 Oct 2026
    start, end = datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    before = plan_jobs(default_calendar(), [KOTIHOITO], plans, start=start, end=end)
    assert [j.overdue for j in before if j.kind is JobKind.FOLLOW_UP] == [False]  # the prompt before the limit
    # The re-plan just after the limit (the runner's window starts a week back) plans the first card on time.
    after = plan_jobs(
        default_calendar(), [KOTIHOITO], plans, start=start, end=end, now=datetime(2026, 10, 20, 7, 1, tzinfo=UTC)
    )
    first_late = next(j for j in after if j.overdue and j.kind is JobKind.FOLLOW_UP)
    assert first_late.run_at == datetime(2026, 10, 21, 9, tzinfo=HELSINKI)


def test_the_officers_hear_at_two_weeks_and_then_monthly_in_one_digest() -> None:
    other = Team(2, "ruokapalvelu", "Ruokapalvelu")
    plans = {
        1: agreed_plan(1, date(2026, 3, 16), last=date(2026, 7, 20)),  # due 20 Oct 2026
        2: agreed_plan(2, date(2026, 3, 16), last=date(2026, 8, 25)),  # due 25 Nov 2026
    }
    jobs = plan_jobs(
        default_calendar(),
        [KOTIHOITO, other],
        plans,
        start=datetime(2026, 10, 1, tzinfo=UTC),
        end=datetime(2027, 2, 1, tzinfo=UTC),
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    escalations = [(j.team_id, j.local_date, j.id) for j in jobs if j.kind is JobKind.FOLLOW_UP_ESCALATION]
    assert escalations == [
        (1, date(2026, 11, 3), "follow_up_escalation:1:2026-10-20"),
        (2, date(2026, 12, 9), "follow_up_escalation:2:2026-11-25"),
    ]
    digests = [j for j in jobs if j.kind is JobKind.FOLLOW_UP_DIGEST]
    # The first working day of each month once a team is past its escalation day: not 2 Nov, a day before the first.
    assert [(j.team_id, j.local_date, j.id) for j in digests] == [
        (WHOLE_ORGANISATION, date(2026, 12, 1), "follow_up_digest:2026-12"),
        (WHOLE_ORGANISATION, date(2027, 1, 4), "follow_up_digest:2027-01"),
    ]
    assert digests[0].until == datetime(2026, 12, 2, tzinfo=HELSINKI)  # a missed digest goes late on its day only


def test_the_rhythm_follows_its_settings() -> None:
    plans = {1: agreed_plan(1, date(2026, 3, 16), last=date(2026, 7, 20))}  # due 20 Oct 2026
    rhythm = FollowUpRhythm.from_env(
        {"TYHY_FOLLOW_UP_REMINDER_DAYS": "14", "TYHY_FOLLOW_UP_ESCALATION_DAYS": "30", "TYHY_FOLLOW_UP_SNOOZE_DAYS": ""}
    )
    assert rhythm == FollowUpRhythm(reminder_days=14, escalation_days=30, snooze_days=28)
    jobs = plan_jobs(
        default_calendar(),
        [KOTIHOITO],
        plans,
        start=datetime(2026, 10, 21, tzinfo=UTC),
        end=datetime(2026, 11, 30, tzinfo=UTC),
        rhythm=rhythm,
    )
    assert [(j.kind, j.local_date) for j in jobs if j.overdue] == [
        (JobKind.FOLLOW_UP, date(2026, 10, 21)),
        (JobKind.FOLLOW_UP, date(2026, 11, 4)),
        (JobKind.FOLLOW_UP, date(2026, 11, 12)),  # the calendar's day stands for 18 Nov, under a week away
        (JobKind.FOLLOW_UP_ESCALATION, date(2026, 11, 19)),
    ]
    for bad in ("0", "viikko", "-3"):
        with pytest.raises(ValueError, match="TYHY_FOLLOW_UP_REMINDER_DAYS"):
            FollowUpRhythm.from_env({"TYHY_FOLLOW_UP_REMINDER_DAYS": bad})


def test_ids_are_stable_whatever_the_window() -> None:
    whole = plan_jobs(default_calendar(), [KOTIHOITO], {}, start=YEAR_2027[0], end=YEAR_2027[1])
    second_half = plan_jobs(
        default_calendar(), [KOTIHOITO], {}, start=datetime(2027, 7, 1, tzinfo=UTC), end=YEAR_2027[1]
    )
    assert {j.id for j in second_half} <= {j.id for j in whole}
    assert Counter(j.kind for j in second_half)[JobKind.SURVEY] == 0


def test_owners_are_reminded_a_week_before_their_actions_on_a_working_day_once_per_team_and_day() -> None:
    target = (
        Target("Perehdytys")
        .with_action(PlanAction("Perehdytyslista", 7, date(2027, 3, 19)))  # a Friday: reminded Friday 12.3.
        .with_action(PlanAction("Kummit nimetään", 8, date(2027, 3, 19)))  # the same day: the same job
        .with_action(PlanAction("Tehty jo", 7, date(2027, 4, 30), ActionStatus.DONE))  # done: nothing to remind
        .with_action(PlanAction("Ei vastuuhenkilöä", None, date(2027, 5, 7)))  # nobody to remind
        .with_action(PlanAction("Vapun jälkeen", 7, date(2027, 5, 8)))  # 1.5. is a holiday (and a Saturday)
    )
    plan = DevelopmentPlan(1, 2027).with_strength(Strength("s")).with_target(target).agree(date(2027, 3, 1))
    jobs = plan_jobs(default_calendar(), [KOTIHOITO], {1: plan}, start=YEAR_2027[0], end=YEAR_2027[1])
    reminders = [j for j in jobs if j.kind is JobKind.ACTION_DUE]
    assert [(j.id, j.local_date) for j in reminders] == [
        ("action_due:1:2027-03-12", date(2027, 3, 12)),
        ("action_due:1:2027-05-03", date(2027, 5, 3)),  # Saturday 1.5. moves to Monday
    ]
    assert all(j.run_at.astimezone(HELSINKI).hour == 9 for j in reminders)
    # A plan not yet agreed reminds nobody: its actions are still being written.
    draft = DevelopmentPlan(1, 2027).with_strength(Strength("s")).with_target(target)
    drafted = plan_jobs(default_calendar(), [KOTIHOITO], {1: draft}, start=YEAR_2027[0], end=YEAR_2027[1])
    assert not any(j.kind is JobKind.ACTION_DUE for j in drafted)
