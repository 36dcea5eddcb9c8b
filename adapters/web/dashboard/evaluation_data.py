"""The dashboard's view of the year-end evaluation: a team's answers and carried items, and every team's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.calendar import AnnualCalendar, StepKind
from bot.evaluation import Evaluation, target_title
from bot.i18n import translate
from bot.organisation import Organisation, Team, team_time
from bot.plan import DevelopmentPlan
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.evaluation_repository import EvaluationRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository


class EvaluationState(StrEnum):
    """Where a plan's evaluation stands against the calendar's evaluation day."""

    DONE = "done"
    WAITING = "waiting"  # the day has passed and nobody has answered it: the wellbeing officer's to chase
    NOT_DUE = "not_due"
    NOT_SCHEDULED = "not_scheduled"  # the calendar has no evaluation step


@dataclass(frozen=True)
class TargetResult:
    """One target's answer, in the reader's language."""

    number: int
    title: str
    outcome: str
    helped: str
    next_step: str


@dataclass(frozen=True)
class StrengthResult:
    """One strength, kept or not, in words."""

    text: str
    kept: str


@dataclass(frozen=True)
class CarriedRow:
    """An item carried into next year's draft, what it was and what the team decided."""

    text: str
    kind: str
    decision: str


@dataclass(frozen=True)
class EvaluationView:
    """A team's evaluation of its newest agreed plan; answers only once it is DONE."""

    year: int
    state: EvaluationState
    due_on: date | None
    evaluated_on: date | None = None
    targets: tuple[TargetResult, ...] = ()
    strengths: tuple[StrengthResult, ...] = ()
    draft_year: int | None = None
    carried: tuple[CarriedRow, ...] = ()

    @property
    def waiting(self) -> bool:
        """True when the calendar's day has passed without an answer."""
        return self.state is EvaluationState.WAITING


@dataclass(frozen=True)
class TeamEvaluation:
    """One row of the organisation's list of evaluations."""

    team_id: int
    name: str
    view: EvaluationView


@dataclass(frozen=True)
class EvaluationsView:
    """Every visible team's evaluation, for the workbook's sheet of its own."""

    language: str
    rows: tuple[TeamEvaluation, ...]


def evaluation_due(calendar: AnnualCalendar, year: int) -> date | None:
    """The calendar's evaluation day for a plan of `year`: the first enabled evaluation step of that cycle."""
    steps = [s for s in calendar.steps if s.kind is StepKind.EVALUATION and s.enabled]
    return min((calendar.date_of(s.key, year) for s in steps), default=None)


def team_evaluation(db: Database, team: Team, now: datetime, language: str) -> EvaluationView | None:
    """The team's evaluation of its newest agreed plan; None when it has none to evaluate."""
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return None
    repository = EvaluationRepository(db)
    plan = repository.plan_to_evaluate(team.id)
    if plan is None or plan.id is None:
        return None
    calendar = CalendarRepository(db).get(organisation.id)
    return evaluation_view(db, plan, repository.for_plan(plan.id), calendar, team_time(now, team).date(), language)


def organisation_evaluations(
    db: Database, now: datetime, language: str, team_ids: set[int] | None = None
) -> tuple[TeamEvaluation, ...]:
    """Every visible team with an agreed plan and its evaluation's state, those waiting first."""
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return ()
    rows = [
        TeamEvaluation(team.id, team.name, view)
        for team in visible_teams(organisation, team_ids)
        if (view := team_evaluation(db, team, now, language)) is not None
    ]
    return tuple(sorted(rows, key=lambda row: (not row.view.waiting, row.name.casefold())))


def evaluation_view(
    db: Database,
    plan: DevelopmentPlan,
    evaluation: Evaluation | None,
    calendar: AnnualCalendar,
    today: date,
    language: str,
) -> EvaluationView:
    due = evaluation_due(calendar, plan.year)
    if evaluation is None:
        if due is None:
            return EvaluationView(plan.year, EvaluationState.NOT_SCHEDULED, None)
        state = EvaluationState.WAITING if today > due else EvaluationState.NOT_DUE
        return EvaluationView(plan.year, state, due)
    targets = []
    for number, target in enumerate(plan.targets, start=1):
        answer = evaluation.of_target(target.id)
        if answer is not None:
            outcome = translate(language, f"evaluation.outcome.{answer.outcome.value}")
            targets.append(
                TargetResult(number, target_title(target, language), outcome, answer.helped, answer.next_step)
            )
    strengths = []
    for strength in plan.strengths:
        kept = evaluation.of_strength(strength.id)
        if kept is not None:
            word = translate(language, "evaluation.kept.yes" if kept.kept else "evaluation.kept.no")
            strengths.append(StrengthResult(strength.text, word))
    repository = EvaluationRepository(db)
    draft_id = repository.draft_of(plan.id) if plan.id is not None else None
    draft = PlanRepository(db).get(draft_id) if draft_id is not None else None
    carried = tuple(
        CarriedRow(
            item.text,
            translate(language, f"evaluation.kind.{item.kind.value}"),
            translate(language, f"evaluation.decision.{item.decision.value}"),
        )
        for item in (repository.carried(draft_id) if draft_id is not None else [])
    )
    return EvaluationView(
        plan.year,
        EvaluationState.DONE,
        due,
        evaluation.evaluated_on,
        tuple(targets),
        tuple(strengths),
        draft.year if draft else None,
        carried,
    )


def visible_teams(organisation: Organisation, team_ids: set[int] | None) -> list[Team]:
    return [t for t in organisation.teams if team_ids is None or t.id in team_ids]
