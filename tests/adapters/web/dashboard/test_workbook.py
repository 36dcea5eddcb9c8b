"""The export's views read in one pass: the same content as the views read one by one, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from adapters.web.dashboard.data import calendar_view, organisation_view, team_view, undeliverable_view
from adapters.web.dashboard.evaluation_data import EvaluationsView, organisation_evaluations
from adapters.web.dashboard.workbook import workbook_views
from bot.organisation import Organisation
from bot.plan import DevelopmentPlan, PlanAction, Strength, Target
from bot.success import Success
from storage.db import Database
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from tests.adapters.web.conftest import START, Demo, answer_round
from tests.storage_helpers import make_org, statements


def test_the_export_holds_what_each_view_read_on_its_own_holds(demo: Demo) -> None:
    later = START + timedelta(days=10)
    answer_round(demo.db, demo.org, START + timedelta(days=3), {"kotihoito": [4, 4, 3, 5, 4]})
    SuccessRepository(demo.db).add(Success(demo.team("kotihoito").id, "Vuorolista ajallaan", START))
    for team_ids in (None, {demo.team("kotihoito").id}):
        organisation = organisation_view(demo.db, later, "sv", team_ids)
        one_by_one = [
            organisation,
            *(team_view(row.team_id, demo.db, later, "sv", team_ids) for row in organisation.rows),
            calendar_view(demo.db, later, "sv", team_ids),
            EvaluationsView("sv", organisation_evaluations(demo.db, later, "sv", team_ids)),
            undeliverable_view(demo.db, later, "sv"),
        ]

        assert workbook_views(demo.db, later, "sv", team_ids, officer=True) == one_by_one
        assert workbook_views(demo.db, later, "sv", team_ids, officer=False) == one_by_one[:-1]


def _teams_with_plans(db: Database, teams: int) -> Organisation:
    """`teams` teams of six (those already there kept), each with an agreed plan, a follow-up and a success."""
    org = make_org(db, {f"tiimi{n}": 6 for n in range(teams)})
    plans = PlanRepository(db)
    for team in org.teams:
        if plans.current(team.id) is not None:
            continue
        agreed = (START - timedelta(days=30)).date()
        target = Target("Tavoite", actions=(PlanAction("Teko"),))
        plan = plans.save(DevelopmentPlan(team.id, 2026, strengths=(Strength("Huumori"),), targets=(target,)))
        plan = plans.save(plan.agree(agreed))
        assert plan.id is not None
        plans.record_follow_up(plan.id, agreed + timedelta(days=14))
        target_id = plan.targets[0].id
        SuccessRepository(db).add(Success(team.id, "Hyvin meni", START - timedelta(days=2), target_id=target_id))
    return org


def test_the_export_reads_the_database_as_often_for_twelve_teams_as_for_three(db: Database) -> None:
    org = _teams_with_plans(db, 3)
    answer_round(db, org, START - timedelta(days=7), {team.key: [4, 4, 4, 4, 4] for team in org.teams})
    counts = {}
    for teams in (3, 12):
        _teams_with_plans(db, teams)
        with statements(db) as sent:
            views = workbook_views(db, START, "fi", None, officer=True)
        assert len(views) == 1 + teams + 3  # the organisation, each team, calendar, evaluations, undeliverable
        counts[teams] = len(sent)

    assert counts[12] == counts[3]
