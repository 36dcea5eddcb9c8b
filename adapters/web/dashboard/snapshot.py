"""Everything the dashboard's views read, loaded once: a page of one team and the export of a thousand cost alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from adapters.web.dashboard.pulse import PulseHistory, pulse_history
from bot.calendar import AnnualCalendar
from bot.evaluation import Evaluation
from bot.organisation import Member, Organisation, Team, team_time
from bot.plan import DevelopmentPlan
from bot.success import Success
from bot.survey import SurveyResults
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.evaluation_repository import EvaluationRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from storage.survey_repository import SurveyRepository

SUCCESS_WINDOW = timedelta(days=30)  # the organisation table's "successes in 30 days"
SUCCESS_MONTHS = 12  # a team page's successes per month
SHARED_SUCCESSES = timedelta(days=365)  # the successes a team page prints and the export lists


@dataclass(frozen=True)
class Snapshot:
    """The organisation as the dashboard sees it at one moment; built by `load`, read by every view."""

    now: datetime
    organisation: Organisation
    members: tuple[Member, ...]
    plans: Mapping[int, DevelopmentPlan]  # each team's current plan, by team id
    follow_ups: Mapping[int, list[date]]  # the follow-ups held, by plan id
    history: PulseHistory
    successes: Mapping[int, list[Success]]  # by team, newest first, since the oldest moment any page shows
    successes_by_target: Mapping[int, int]
    surveys: tuple[SurveyResults | None, SurveyResults | None]  # the newest imported survey year and the year before
    calendar: AnnualCalendar
    evaluated_plans: Mapping[int, DevelopmentPlan]  # each team's newest agreed plan, the one its evaluation is of
    evaluations: Mapping[int, Evaluation]  # the answered evaluations, by plan id
    db: Database  # for what stays per team: an answered evaluation's draft and carried items

    @cached_property
    def successes_posted(self) -> dict[int, list[datetime]]:
        return {team_id: [s.posted_at for s in found] for team_id, found in self.successes.items()}

    @cached_property
    def member_counts(self) -> Counter[int]:
        return Counter(team_id for member in self.members for team_id in member.team_ids)

    @cached_property
    def member_names(self) -> dict[int, str]:
        return {member.id: member.name for member in self.members}

    def team(self, team_id: int) -> Team | None:
        return next((t for t in self.organisation.teams if t.id == team_id), None)


def load(db: Database, now: datetime) -> Snapshot | None:
    """Read the organisation, its members, plans, follow-ups, pulse history, successes, surveys, calendar and
    evaluations; None with no organisation.

    A fixed number of queries however many teams there are (the pulse history's grows with the rounds closed).
    """
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return None
    plans = PlanRepository(db)
    successes = SuccessRepository(db)
    since = min(
        [now - SUCCESS_WINDOW, now - SHARED_SUCCESSES, *(first_month_start(now, team) for team in organisation.teams)]
    )
    surveys = SurveyRepository(db)
    years = surveys.years(organisation.id)
    newest = surveys.get(organisation.id, years[-1]) if years else None
    evaluations = EvaluationRepository(db)
    evaluated = evaluations.plans_to_evaluate()
    return Snapshot(
        now=now,
        organisation=organisation,
        members=tuple(OrganisationRepository(db).members()),
        plans={plan.team_id: plan for plan in plans.all_current()},
        follow_ups=plans.all_follow_up_dates(),
        history=pulse_history(db, organisation, now),
        successes=successes.all_since(since),
        successes_by_target=successes.count_by_target_of_all(),
        surveys=(newest, surveys.get(organisation.id, years[-1] - 1) if years else None),
        calendar=CalendarRepository(db).get(organisation.id),
        evaluated_plans=evaluated,
        evaluations=evaluations.for_plans([plan.id for plan in evaluated.values() if plan.id is not None]),
        db=db,
    )


def success_months(now: datetime, team: Team) -> list[tuple[int, int]]:
    """The last SUCCESS_MONTHS months on the team's clock as (year, month), oldest first."""
    local = team_time(now, team)
    months = []
    year, month = local.year, local.month
    for _ in range(SUCCESS_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    return months


def first_month_start(now: datetime, team: Team) -> datetime:
    """The moment the oldest month of a team page's successes begins, on the team's clock."""
    first_year, first_month = success_months(now, team)[0]
    return datetime.combine(date(first_year, first_month, 1), time(), tzinfo=team_time(now, team).tzinfo)
