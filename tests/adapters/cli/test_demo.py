"""The demo organisation, seeded into a real database, tells the story it is meant to tell."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.cli.demo import seed_demo
from bot.anonymity import UnitNode
from bot.questions import QUESTION_BANK
from bot.results import round_report, trend
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_demo_is_a_small_municipality_with_three_units_and_25_people(db: Database) -> None:
    org = seed_demo(db, NOW)
    assert {t.key for t in org.teams} == {"perusturva", "kotihoito", "ruokapalvelu"}
    assert len(OrganisationRepository(db).members()) == 25


def test_demo_plans_show_one_team_on_time_and_one_overdue(db: Database) -> None:
    org = seed_demo(db, NOW)
    plans = {p.team_id: p for p in PlanRepository(db).all_current()}
    kotihoito, ruokapalvelu = org.team_by_key("kotihoito"), org.team_by_key("ruokapalvelu")
    assert kotihoito and ruokapalvelu
    assert not plans[kotihoito.id].is_follow_up_overdue(NOW.date())
    assert plans[ruokapalvelu.id].is_follow_up_overdue(NOW.date())


def test_demo_results_hide_the_small_team_and_show_an_improving_trend(db: Database) -> None:
    org = seed_demo(db, NOW)
    pulses = PulseRepository(db)
    units = [UnitNode(t.id, t.parent_id) for t in org.teams]
    dimensions = {q.id: q.dimension for q in QUESTION_BANK}
    reports = [
        round_report(pulses.tallies(r.id), units, dimensions, org.anonymity_threshold)
        for r in pulses.rounds(org.id)
        if r.id is not None
    ]
    assert len(reports) == 3
    ruoka, koti, perus = (org.team_by_key(k) for k in ("ruokapalvelu", "kotihoito", "perusturva"))
    assert ruoka and koti and perus
    for report in reports:
        hidden = report.group(ruoka.id)
        assert hidden is not None and not hidden.visible and hidden.respondents is None and not hidden.indices
        shown = report.group(koti.id)
        assert shown is not None and shown.visible and shown.respondents == 10
        whole = report.group(perus.id)
        assert whole is not None and whole.visible and whole.respondents == 17
    processes = [p.index for p in trend(reports, koti.id, dimensions["PR1"])]
    assert all(index is not None for index in processes)
    assert processes[0] < processes[-1]  # type: ignore[operator]


def test_demo_ships_the_coming_reviews_survey_and_the_year_before(db: Database) -> None:
    from bot.dimensions import Dimension
    from bot.survey_groups import Hidden
    from bot.survey_view import team_survey_view
    from storage.survey_repository import SurveyRepository

    org = seed_demo(db, NOW)  # November 2026: the next results review, in February, looks at the survey of 2027
    surveys = SurveyRepository(db)
    assert surveys.years(org.id) == [2026, 2027]
    this_year, last_year = surveys.get(org.id, 2027), surveys.get(org.id, 2026)
    assert this_year is not None and last_year is not None
    koti, ruoka = org.team_by_key("kotihoito"), org.team_by_key("ruokapalvelu")
    assert koti and ruoka
    shown = team_survey_view(this_year, org, koti.id, last_year)
    assert shown.hidden is None and shown.below_risk_limit() == (Dimension.GOALS,)
    assert shown.change(Dimension.SAFETY) == 3.5
    hidden = team_survey_view(this_year, org, ruoka.id)
    assert hidden.hidden is Hidden.FEW_RESPONDENTS and hidden.shown_unit_id == ruoka.parent_id
    assert team_survey_view(last_year, org, ruoka.id).hidden is Hidden.PROTECTED  # 5 answered; its parent gave 3 away
