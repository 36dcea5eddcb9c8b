"""The evaluations' views from the dashboard's snapshot: every team's in the same few queries, for pages and export."""

from __future__ import annotations

from datetime import datetime

from adapters.web.dashboard.evaluation_data import EvaluationView, TeamEvaluation, evaluation_view, visible_teams
from adapters.web.dashboard.snapshot import Snapshot
from bot.organisation import Team, team_time


def team_evaluation_of(snapshot: Snapshot, team: Team, now: datetime, language: str) -> EvaluationView | None:
    """As `team_evaluation`, from a snapshot already read (the export's one pass)."""
    plan = snapshot.evaluated_plans.get(team.id)
    if plan is None or plan.id is None:
        return None
    evaluation = snapshot.evaluations.get(plan.id)
    return evaluation_view(snapshot.db, plan, evaluation, snapshot.calendar, team_time(now, team).date(), language)


def organisation_evaluations_of(
    snapshot: Snapshot | None, now: datetime, language: str, team_ids: set[int] | None = None
) -> tuple[TeamEvaluation, ...]:
    """As `organisation_evaluations`, from a snapshot already read."""
    if snapshot is None:
        return ()
    rows = [
        TeamEvaluation(team.id, team.name, view)
        for team in visible_teams(snapshot.organisation, team_ids)
        if (view := team_evaluation_of(snapshot, team, now, language)) is not None
    ]
    return tuple(sorted(rows, key=lambda row: (not row.view.waiting, row.name.casefold())))
