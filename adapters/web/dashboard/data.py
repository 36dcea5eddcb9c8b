"""The dashboard's data: organisation, team, calendar and undeliverable views read through the repositories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.web.dashboard.comments_data import team_comment_rounds
from adapters.web.dashboard.delivery_reasons import reason_text
from adapters.web.dashboard.evaluation_data import team_evaluation
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
from adapters.web.dashboard.pulse import (
    closing_days,
    dimension_series,
    latest_indices,
    latest_rate,
    pulse_history,
    response_rates,
)
from adapters.web.dashboard.risk import team_risk
from bot.calendar import StepKind
from bot.dimensions import RISK_LIMITS, Dimension
from bot.evaluation import target_title
from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import DEFAULT_TIMEZONE, Member, Organisation, Team, team_time
from bot.plan import ActionStatus, DevelopmentPlan
from bot.questions import dimension_name
from bot.survey_view import team_survey_view
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from storage.survey_repository import SurveyRepository

SUCCESS_WINDOW = timedelta(days=30)
SUCCESS_MONTHS = 12
UNDELIVERABLE_LIMIT = 200
PRINTED_SUCCESSES = 3  # per target: the printed plan stays on one A4 sheet


def organisation_view(db: Database, now: datetime, language: str, team_ids: set[int] | None = None) -> OrganisationView:
    """One row per team the viewer may see (`team_ids` None: every team), riskiest first."""
    organisation = OrganisationRepository(db).get()
    names = {d: dimension_name(d, language) for d in Dimension}
    if organisation is None:
        return OrganisationView(language, "", now.date(), 5, names, dict(RISK_LIMITS), ())
    members = OrganisationRepository(db).members()
    plans = {plan.team_id: plan for plan in PlanRepository(db).all_current()}
    history = pulse_history(db, organisation, now)
    successes = SuccessRepository(db)
    by_id = {t.id: t for t in organisation.teams}
    rows = []
    for team in _visible(organisation, team_ids):
        plan = plans.get(team.id)
        today = team_time(now, team).date()
        counts = plan.action_counts() if plan else dict.fromkeys(ActionStatus, 0)
        days_left = _days_left(plan, today)
        indices = latest_indices(history, team.id, language)
        rate = latest_rate(history, team.id)
        risk = team_risk(
            has_plan=plan is not None,
            agreed=plan is not None and plan.agreed_on is not None,
            days_left=days_left,
            indices=indices,
            actions=counts,
            response_rate=rate,
            language=language,
        )
        parent = by_id.get(team.parent_id) if team.parent_id is not None else None
        rows.append(
            OrganisationRow(
                team_id=team.id,
                name=team.name,
                parent_id=team.parent_id,
                parent_name=parent.name if parent else None,
                members=sum(1 for m in members if team.id in m.team_ids),
                has_plan=plan is not None,
                plan_agreed_on=plan.agreed_on if plan else None,
                targets=len(plan.targets) if plan else 0,
                actions=counts,
                last_follow_up=plan.last_follow_up_on if plan else None,
                next_follow_up_due=plan.next_follow_up_due if plan else None,
                days_left=days_left,
                indices=indices,
                response_rate=rate,
                successes_30d=len(successes.for_team(team.id, now - SUCCESS_WINDOW)),
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
    organisation = OrganisationRepository(db).get()
    team = next((t for t in organisation.teams if t.id == team_id), None) if organisation else None
    if organisation is None or team is None or (team_ids is not None and team_id not in team_ids):
        raise LookupError(f"no team {team_id} to show")
    plans = PlanRepository(db)
    plan = plans.current(team.id)
    today = team_time(now, team).date()
    history = pulse_history(db, organisation, now)
    parent = next((t for t in organisation.teams if t.id == team.parent_id), None)
    held = _held_follow_ups(plan, plans.follow_up_dates(plan.id) if plan and plan.id is not None else [])
    follow_ups = FollowUps(
        held,
        plan.last_follow_up_on if plan else None,
        plan.next_follow_up_due if plan else None,
        _days_left(plan, today),
    )
    return TeamView(
        language=language,
        team_id=team.id,
        name=team.name,
        parent_name=parent.name if parent else None,
        today=today,
        threshold=organisation.anonymity_threshold,
        plan=_plan_view(db, plan, language) if plan else None,
        follow_ups=follow_ups,
        trend=dimension_series(history, team.id, language),
        risk_limits=dict(RISK_LIMITS),
        response_rates=response_rates(history, team.id),
        successes_by_month=_successes_by_month(db, team, now, language),
        survey=_team_survey(db, organisation, team),
        evaluation=team_evaluation(db, team, now, language),
        successes=_shared_successes(db, team, plan, now),
        comments=team_comment_rounds(db, history.rounds, history.reports, team),
    )


def _team_survey(db: Database, organisation: Organisation, team: Team) -> TeamSurvey | None:
    """The newest imported survey year as the team may see it, against the year before when that was imported."""
    surveys = SurveyRepository(db)
    years = surveys.years(organisation.id)
    if not years:
        return None
    results = surveys.get(organisation.id, years[-1])
    if results is None:
        return None
    view = team_survey_view(results, organisation, team.id, surveys.get(organisation.id, years[-1] - 1))
    names = {t.id: t.name for t in organisation.teams}
    shown_name = organisation.name if view.shown_unit_id is None else names.get(view.shown_unit_id, "")
    return TeamSurvey(view, shown_name, organisation.name)


def calendar_view(db: Database, now: datetime, language: str, team_ids: set[int] | None = None) -> CalendarView:
    """This year's steps (on the organisation's clock), today, the pulse rounds closed and each team's progress."""
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return CalendarView(language, now.year, now.date(), (), (), ())
    zone = _zone(organisation.timezone)
    today = now.astimezone(zone).date()
    year = today.year
    calendar = CalendarRepository(db).get(organisation.id)
    steps = tuple(
        StepMark(number, step.key, step.kind, translate(language, f"calendar_kind.{step.kind.value}"), day)
        for number, (day, step) in enumerate(calendar.occurrences(year), start=1)
    )
    plans_repository = PlanRepository(db)
    plans = {plan.team_id: plan for plan in plans_repository.all_current()}
    teams = []
    for team in _visible(organisation, team_ids):
        plan = plans.get(team.id)
        held = _held_follow_ups(plan, plans_repository.follow_up_dates(plan.id) if plan and plan.id is not None else [])
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
    history = pulse_history(db, organisation, now)
    return CalendarView(language, year, today, steps, closing_days(history, year, zone), tuple(teams))


def undeliverable_view(
    db: Database, now: datetime, language: str, team_ids: set[int] | None = None
) -> UndeliverableView:
    """Members the outbox could not reach, one row each with the latest reason (localised) and how many failed.

    A viewer limited to some teams sees only their members; team channel posts (no person) only with every team.
    """
    organisation = OrganisationRepository(db).get()
    zone = _zone(organisation.timezone if organisation else DEFAULT_TIMEZONE)
    people = {m.id: m for m in OrganisationRepository(db).members()}
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


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _org_today(organisation: Organisation, now: datetime) -> date:
    return now.astimezone(_zone(organisation.timezone)).date()


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


def _plan_view(db: Database, plan: DevelopmentPlan, language: str) -> PlanView:
    names = {m.id: m.name for m in OrganisationRepository(db).members()}  # an owner may be in another team
    successes = SuccessRepository(db).count_by_target(plan.team_id)
    texts: dict[int, list[str]] = {}
    for success in SuccessRepository(db).for_team(plan.team_id):  # newest first
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
            )
            for action in target.actions
        ]
        targets.append(
            TargetRow(
                number,
                target.goal,
                tuple(dimension_name(d, language) for d in target.dimensions),
                target.practice,
                target.follow_up,
                successes.get(target.id, 0) if target.id is not None else 0,
                tuple(actions),
                tuple(texts.get(target.id, [])[:PRINTED_SUCCESSES]) if target.id is not None else (),
            )
        )
    strengths = tuple(s.text for s in plan.strengths)
    return PlanView(plan.year, plan.agreed_on, strengths, tuple(targets), plan.action_counts())


def _shared_successes(
    db: Database, team: Team, plan: DevelopmentPlan | None, now: datetime
) -> tuple[SharedSuccess, ...]:
    """The last 12 months' successes with the target or strength of the current plan each is tied to."""
    since = now - timedelta(days=365)
    words = {("target", t.id): target_title(t) for t in plan.targets} if plan else {}
    words |= {("strength", s.id): s.text for s in plan.strengths} if plan else {}
    return tuple(
        SharedSuccess(
            team_time(success.posted_at, team).date(),
            success.text,
            words.get(("target", success.target_id)) or words.get(("strength", success.strength_id)),
        )
        for success in SuccessRepository(db).for_team(team.id, since)
    )


def _successes_by_month(db: Database, team: Team, now: datetime, language: str) -> tuple[MonthCount, ...]:
    local = team_time(now, team)
    months = []
    year, month = local.year, local.month
    for _ in range(SUCCESS_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    first_year, first_month = months[0]
    since = datetime.combine(date(first_year, first_month, 1), time(), tzinfo=local.tzinfo)
    counted = Counter(
        (moment.year, moment.month)
        for moment in (team_time(s.posted_at, team) for s in SuccessRepository(db).for_team(team.id, since))
    )
    return tuple(
        MonthCount(y, m, translate(language, f"dashboard.month_short.{m}", year=y), counted[(y, m)]) for y, m in months
    )
