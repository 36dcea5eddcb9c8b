"""The dashboard's data: organisation, team, calendar and undeliverable views read through the repositories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from adapters.web.dashboard.delivery_reasons import reason_text
from adapters.web.dashboard.evaluation_snapshot import team_evaluation_of
from adapters.web.dashboard.models import (
    ActionRow,
    CalendarView,
    FollowUps,
    MonthCount,
    OrganisationRow,
    OrganisationView,
    PlanView,
    ProgressMark,
    SharedSuccess,
    StepMark,
    TargetRow,
    TeamProgress,
    TeamSurvey,
    TeamView,
    UndeliverableView,
    UndeliveredRow,
)
from adapters.web.dashboard.pulse import closing_days, dimension_series, latest_rate, response_rates, round_indices
from adapters.web.dashboard.risk import team_risk
from adapters.web.dashboard.snapshot import (
    SHARED_SUCCESSES,
    SUCCESS_WINDOW,
    Snapshot,
    first_month_start,
    load,
    success_months,
)
from bot.calendar import AnnualCalendar, StepKind
from bot.calendar_text import sending_day, step_names, step_rule
from bot.dimensions import RISK_LIMITS, Dimension
from bot.evaluation import target_title
from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import DEFAULT_TIMEZONE, Member, Organisation, Team, team_time, zone_or_default
from bot.plan import ActionStatus, DevelopmentPlan
from bot.plan_text import strength_line
from bot.questions import dimension_name
from bot.survey_view import team_survey_view
from bot.workdays import WorkingDays
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository

UNDELIVERABLE_LIMIT = 200
PRINTED_SUCCESSES = 3  # per target: the printed plan stays on one A4 sheet


def organisation_view(db: Database, now: datetime, language: str, team_ids: set[int] | None = None) -> OrganisationView:
    """One row per team the viewer may see (`team_ids` None: every team), riskiest first."""
    return organisation_view_of(load(db, now), now, language, team_ids)


def organisation_view_of(
    snapshot: Snapshot | None, now: datetime, language: str, team_ids: set[int] | None = None
) -> OrganisationView:
    """The organisation view from a snapshot already read (None: there is no organisation yet)."""
    names = {d: dimension_name(d, language) for d in Dimension}
    if snapshot is None:
        return OrganisationView(language, "", now.date(), 5, names, dict(RISK_LIMITS), ())
    organisation, history = snapshot.organisation, snapshot.history
    window_start = now - SUCCESS_WINDOW
    by_id = {t.id: t for t in organisation.teams}
    rows = []
    for team in _visible(organisation, team_ids):
        plan = snapshot.plans.get(team.id)
        today = team_time(now, team).date()
        counts = plan.action_counts() if plan else dict.fromkeys(ActionStatus, 0)
        days_left = _days_left(plan, today)
        rates = response_rates(history, team.id)
        rate = latest_rate(rates)  # the row's round: its date, response rate and every index come from it alone
        indices = round_indices(history, team.id, rate.round_id, language)
        evaluation = team_evaluation_of(snapshot, team, now, language)
        late = [action for _, action in plan.late_actions(today)] if plan else []
        agree_by = draft_agree_by(snapshot.calendar, team, plan, today)
        risk = team_risk(
            has_plan=plan is not None,
            agreed=plan is not None and plan.agreed_on is not None,
            days_left=days_left,
            indices=indices,
            actions=counts,
            rates=rates,
            language=language,
            targets_without_actions=sum(1 for target in plan.targets if not target.actions) if plan else 0,
            evaluation_waiting_since=evaluation.due_on if evaluation is not None and evaluation.waiting else None,
            late_actions=len(late),
            late_and_stuck=sum(a.status is ActionStatus.STUCK for a in late),
            draft_on_time=agree_by is not None,
        )
        parent = by_id.get(team.parent_id) if team.parent_id is not None else None
        rows.append(
            OrganisationRow(
                team_id=team.id,
                name=team.name,
                parent_id=team.parent_id,
                parent_name=parent.name if parent else None,
                members=snapshot.member_counts[team.id],
                has_plan=plan is not None,
                plan_agreed_on=plan.agreed_on if plan else None,
                plan_agree_by=agree_by,
                targets=len(plan.targets) if plan else 0,
                actions=counts,
                last_follow_up=plan.last_follow_up_on if plan else None,
                next_follow_up_due=plan.next_follow_up_due if plan else None,
                days_left=days_left,
                indices=indices,
                response_rate=rate,
                # A unit's successes are its teams' too: the parent's row counts everything shared below it.
                successes_30d=sum(
                    1
                    for unit_id in organisation.unit_and_below(team.id)
                    for at in snapshot.successes_posted.get(unit_id, ())
                    if at >= window_start
                ),
                risk_score=risk.score,
                risk_reasons=risk.reasons,
            )
        )
    rows.sort(key=lambda r: (-r.risk_score, r.days_left if r.days_left is not None else 10**6, r.name, r.team_id))
    return OrganisationView(
        language,
        organisation.name,
        _org_today(organisation, now),
        organisation.anonymity_threshold,
        names,
        dict(RISK_LIMITS),
        tuple(rows),
    )


def team_view(team_id: int, db: Database, now: datetime, language: str, team_ids: set[int] | None = None) -> TeamView:
    """One team's page; LookupError when there is no such team or the viewer may not see it."""
    snapshot = load(db, now)
    if snapshot is None:
        raise LookupError(f"no team {team_id} to show")
    return team_view_of(snapshot, team_id, now, language, team_ids)


def team_view_of(
    snapshot: Snapshot, team_id: int, now: datetime, language: str, team_ids: set[int] | None = None
) -> TeamView:
    """One team's page from a snapshot already read; LookupError as `team_view`."""
    organisation = snapshot.organisation
    team = snapshot.team(team_id)
    if team is None or (team_ids is not None and team_id not in team_ids):
        raise LookupError(f"no team {team_id} to show")
    plan = snapshot.plans.get(team.id)
    today = team_time(now, team).date()
    history = snapshot.history
    parent = snapshot.team(team.parent_id) if team.parent_id is not None else None
    held = _held_follow_ups(plan, snapshot.follow_ups.get(plan.id, []) if plan and plan.id is not None else [])
    follow_ups = FollowUps(
        held,
        plan.last_follow_up_on if plan else None,
        plan.next_follow_up_due if plan else None,
        _days_left(plan, today),
        plan.follow_ups if plan else (),
    )
    return TeamView(
        language=language,
        team_id=team.id,
        name=team.name,
        parent_name=parent.name if parent else None,
        today=today,
        threshold=organisation.anonymity_threshold,
        plan=_plan_view(snapshot, team, plan, language, today) if plan else None,
        follow_ups=follow_ups,
        trend=dimension_series(history, team.id, language),
        risk_limits=dict(RISK_LIMITS),
        response_rates=response_rates(history, team.id),
        successes_by_month=_successes_by_month(snapshot, team, now, language),
        survey=_team_survey(snapshot, team),
        evaluation=team_evaluation_of(snapshot, team, now, language),
        successes=_shared_successes(snapshot, team, plan, now, language),
    )


def _team_survey(snapshot: Snapshot, team: Team) -> TeamSurvey | None:
    """The newest imported survey year as the team may see it, against the year before when that was imported."""
    results, previous = snapshot.surveys
    if results is None:
        return None
    organisation = snapshot.organisation
    view = team_survey_view(results, organisation, team.id, previous)
    names = {t.id: t.name for t in organisation.teams}
    shown_name = organisation.name if view.shown_unit_id is None else names.get(view.shown_unit_id, "")
    return TeamSurvey(view, shown_name, organisation.name)


def calendar_view(
    db: Database, now: datetime, language: str, team_ids: set[int] | None = None, year: int | None = None
) -> CalendarView:
    """A year's steps on the days they go out (default: this year on the organisation's clock), today, the pulse
    rounds closed and each team's progress."""
    return calendar_view_of(db, load(db, now), now, language, team_ids, year)


def calendar_view_of(
    db: Database,
    snapshot: Snapshot | None,
    now: datetime,
    language: str,
    team_ids: set[int] | None = None,
    year: int | None = None,
) -> CalendarView:
    """The calendar view from a snapshot already read."""
    if snapshot is None:
        return CalendarView(language, year or now.year, now.date(), (), (), ())
    organisation = snapshot.organisation
    zone = zone_or_default(organisation.timezone)
    today = now.astimezone(zone).date()
    year = year or today.year
    calendar = snapshot.calendar
    names = step_names(calendar, language)
    workdays = WorkingDays()
    steps = tuple(
        StepMark(
            number, step.key, step.kind, names[step.key], sending_day(day, workdays), step_rule(step, language, names)
        )
        for number, (day, step) in enumerate(calendar.occurrences(year), start=1)
    )
    teams = []
    for team in _visible(organisation, team_ids):
        plan = snapshot.plans.get(team.id)
        held = _held_follow_ups(plan, snapshot.follow_ups.get(plan.id, []) if plan and plan.id is not None else [])
        marks = _progress_marks(plan, held, year, language)
        teams.append(
            TeamProgress(
                team_id=team.id,
                name=team.name,
                marks=marks,
                done=frozenset(mark.kind for mark in marks),
                next_follow_up_due=plan.next_follow_up_due if plan else None,
                overdue=plan is not None and plan.is_follow_up_overdue(team_time(now, team).date()),
            )
        )
    return CalendarView(language, year, today, steps, closing_days(snapshot.history, year, zone), tuple(teams))


def undeliverable_view(
    db: Database, now: datetime, language: str, team_ids: set[int] | None = None, snapshot: Snapshot | None = None
) -> UndeliverableView:
    """Members the outbox could not reach, one row each with the latest reason (localised) and how many failed.

    A viewer limited to some teams sees only their members; team channel posts (no person) only with every team.
    A snapshot already read (the export's) spares reading the organisation and its members again.
    """
    organisation = snapshot.organisation if snapshot else OrganisationRepository(db).get()
    zone = zone_or_default(organisation.timezone if organisation else DEFAULT_TIMEZONE)
    members = snapshot.members if snapshot else OrganisationRepository(db).members()
    people = {m.id: m for m in members}
    team_names = {t.id: t.name for t in organisation.teams} if organisation else {}
    rows = []
    for entry in OutboxRepository(db, clock=lambda: now).undeliverable_by_recipient(UNDELIVERABLE_LIMIT):
        member: Member | None = people.get(entry.member_id) if entry.member_id is not None else None
        if team_ids is not None and (member is None or not set(member.team_ids) & team_ids):
            continue
        name = member.name if member else translate(language, "dashboard.undeliverable.channel")
        teams = tuple(team_names[t] for t in member.team_ids if t in team_names) if member else ()
        reason = reason_text(entry.reason, language)
        when = entry.when.astimezone(zone)
        rows.append(UndeliveredRow(entry.member_id, name, teams, entry.platform, reason, when, entry.failed))
    return UndeliverableView(language, tuple(rows))


# --- helpers ------------------------------------------------------------------------------------------------


def _org_today(organisation: Organisation, now: datetime) -> date:
    return now.astimezone(zone_or_default(organisation.timezone)).date()


def _visible(organisation: Organisation, team_ids: set[int] | None) -> list[Team]:
    return [t for t in organisation.teams if team_ids is None or t.id in team_ids]


def _days_left(plan: DevelopmentPlan | None, today: date) -> int | None:
    due = plan.next_follow_up_due if plan else None
    return None if due is None else (due - today).days


def _held_follow_ups(plan: DevelopmentPlan | None, recorded: Iterable[date]) -> tuple[date, ...]:
    """Follow-ups recorded one by one, and the plan's last one (a plan may carry it without a record)."""
    days = set(recorded)
    if plan is not None and plan.last_follow_up_on is not None:
        days.add(plan.last_follow_up_on)
    return tuple(sorted(days))


def draft_agree_by(calendar: AnnualCalendar, team: Team, plan: DevelopmentPlan | None, today: date) -> date | None:
    """The day a draft is to be agreed by, on a working day, while it is still to come (None: agreed, no plan, no
    plan step in the calendar, or the day has passed and the draft is late)."""
    if plan is None or plan.agreed_on is not None:
        return None
    day = calendar.plan_day(team.key, plan.year)
    if day is None:
        return None
    due = sending_day(day, WorkingDays())
    return due if today <= due else None


def _progress_marks(
    plan: DevelopmentPlan | None, held: Sequence[date], year: int, language: str
) -> tuple[ProgressMark, ...]:
    if plan is None:
        return ()
    marks = []
    if plan.agreed_on is not None and plan.agreed_on.year == year:
        label = translate(language, "dashboard.progress.plan_agreed", date=format_date(plan.agreed_on, language))
        marks.append(ProgressMark(StepKind.PLAN, plan.agreed_on, label))
    for day in held:
        if day.year == year:
            label = translate(language, "dashboard.progress.follow_up", date=format_date(day, language))
            marks.append(ProgressMark(StepKind.FOLLOW_UP, day, label))
    return tuple(sorted(marks, key=lambda mark: (mark.on, mark.kind.value)))


def _plan_view(snapshot: Snapshot, team: Team, plan: DevelopmentPlan, language: str, today: date) -> PlanView:
    names = snapshot.member_names  # an owner may be in another team
    successes = snapshot.successes_by_target
    texts: dict[int, list[str]] = {}
    for success in snapshot.successes.get(plan.team_id, ()):  # newest first
        if success.target_id is not None:
            texts.setdefault(success.target_id, []).append(success.text)
    targets = []
    for number, target in enumerate(plan.targets, start=1):
        actions = [
            ActionRow(
                action.text,
                names.get(action.owner_id) if action.owner_id is not None else None,
                action.due_on,
                action.status,
                translate(language, f"action.status.{action.status.value}"),
                action.is_late(today),
                action.due_words,
            )
            for action in target.actions
        ]
        targets.append(
            TargetRow(
                number,
                target.named(language),
                target.goal,
                tuple(dimension_name(d, language) for d in target.dimensions),
                target.practice,
                target.follow_up,
                successes.get(target.id, 0) if target.id is not None else 0,
                tuple(actions),
                tuple(texts.get(target.id, [])[:PRINTED_SUCCESSES]) if target.id is not None else (),
            )
        )
    # A strength's dimension is kept as its code and named in the reader's language.
    strengths = tuple(strength_line(s, language) for s in plan.strengths)
    agree_by = draft_agree_by(snapshot.calendar, team, plan, today)
    return PlanView(plan.year, plan.agreed_on, agree_by, strengths, tuple(targets), plan.action_counts())


def _shared_successes(
    snapshot: Snapshot, team: Team, plan: DevelopmentPlan | None, now: datetime, language: str
) -> tuple[SharedSuccess, ...]:
    """The last 12 months' successes with the target or strength of the current plan each is tied to."""
    since = now - SHARED_SUCCESSES
    words = {("target", t.id): target_title(t, language) for t in plan.targets} if plan else {}
    words |= {("strength", s.id): s.named(language) for s in plan.strengths} if plan else {}
    return tuple(
        SharedSuccess(
            team_time(success.posted_at, team).date(),
            success.text,
            words.get(("target", success.target_id)) or words.get(("strength", success.strength_id)),
        )
        for success in snapshot.successes.get(team.id, ())
        if success.posted_at >= since
    )


def _successes_by_month(snapshot: Snapshot, team: Team, now: datetime, language: str) -> tuple[MonthCount, ...]:
    months = success_months(now, team)
    since = first_month_start(now, team)
    counted = Counter(
        (moment.year, moment.month)
        for moment in (team_time(at, team) for at in snapshot.successes_posted.get(team.id, ()) if at >= since)
    )
    return tuple(
        MonthCount(y, m, translate(language, f"dashboard.month_short.{m}", year=y), counted[(y, m)]) for y, m in months
    )
