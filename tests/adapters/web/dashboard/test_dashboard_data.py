"""The dashboard's views over a real database: what each shows, whom it shows, and that anonymity holds throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.web.dashboard.data import calendar_view, organisation_view, team_view, undeliverable_view
from adapters.web.dashboard.models import (
    CellState,
    IndexCell,
    OrganisationRow,
    OrganisationView,
    RateCell,
    TeamView,
)
from adapters.web.dashboard.risk import Risk, team_risk
from bot.calendar import StepKind
from bot.dimensions import RISK_LIMITS, Dimension
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from scheduler.outbox_rate import SharedRateLimiter
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from tests.adapters.web.conftest import START, Demo, answer_round
from tests.storage_helpers import make_org


def row(view: OrganisationView, name: str) -> OrganisationRow:
    return next(r for r in view.rows if r.name == name)


def shown_indices(view: OrganisationView, name: str) -> dict[str, float]:
    return {c.dimension.value: round(c.value, 1) for c in row(view, name).indices if c.value is not None}


# --- The organisation table ---------------------------------------------------------------------------------


def test_the_organisation_table_shows_each_teams_plan_clock_and_results(demo: Demo) -> None:
    view = organisation_view(demo.db, START, "fi")
    assert [r.name for r in view.rows] == ["Ruokapalvelu", "Perusturva", "Kotihoito"]  # riskiest first
    koti = row(view, "Kotihoito")
    assert (koti.parent_name, koti.members, koti.targets) == ("Perusturva", 14, 2)
    assert dict(koti.actions) == {
        ActionStatus.PLANNED: 0,
        ActionStatus.IN_PROGRESS: 1,
        ActionStatus.DONE: 2,
        ActionStatus.STUCK: 1,
    }
    assert (koti.last_follow_up, koti.next_follow_up_due, koti.days_left) == (
        date(2026, 9, 21),
        date(2026, 12, 21),
        28,
    )
    assert shown_indices(view, "Kotihoito") == {"FE": 67.5, "YI": 67.5, "SW": 63.9, "PR": 60.0}
    states = {c.dimension: c.state for c in koti.indices}
    assert states[Dimension.COMPETENCE] is CellState.NO_DATA  # never asked of kotihoito's group
    assert koti.response_rate.state is CellState.SHOWN and koti.response_rate.value == pytest.approx(10 / 14)
    assert koti.response_rate.closes_on == date(2026, 11, 2)
    assert koti.successes_30d == 2  # 12 and 5 days ago; the one 40 days ago is older
    # Perusturva is Kotihoito's parent unit: its row counts what its teams shared too.
    ruoka = row(view, "Ruokapalvelu")
    assert ruoka.parent_name == "Perusturva"
    assert row(view, "Perusturva").successes_30d == koti.successes_30d + ruoka.successes_30d
    assert koti.risk_reasons == (
        "Fyysinen ja emotionaalinen turvallisuus 67 %, alle riskirajan 80 %",
        "Yhteenkuuluvuus ja identiteetti 67 %, alle riskirajan 75 %",
        "Jumissa olevia toimenpiteitä: 1",
        "Myöhässä olevia toimenpiteitä: 2",
    )
    assert koti.risk_score == 6  # the stuck action is late too, and counted once


def test_an_overdue_follow_up_and_a_missing_plan_rank_a_team_high(demo: Demo) -> None:
    view = organisation_view(demo.db, START, "en")
    ruoka, perus = row(view, "Ruokapalvelu"), row(view, "Perusturva")
    assert ruoka.overdue and ruoka.days_left == -34
    # Too few answer in ruokapalvelu: nothing of its last three rounds can be shown, and that is a risk too.
    assert ruoka.risk_reasons == (
        "Follow-up overdue (days past the limit: 34)",
        "Latest pulse rounds with results hidden: 3",
        "Actions past their due date: 1",
    )
    assert ruoka.risk_score == 5 + 3 + 1  # overdue with a full month past it, each hidden round, its late action
    assert not perus.has_plan and perus.days_left is None
    assert perus.risk_reasons[0] == "No development plan"
    assert view.rows[0].name == "Ruokapalvelu"


def test_a_viewer_limited_to_some_teams_sees_only_their_rows(demo: Demo) -> None:
    kotihoito = demo.team("kotihoito").id
    view = organisation_view(demo.db, START, "fi", team_ids={kotihoito})
    assert [r.name for r in view.rows] == ["Kotihoito"]
    # The parent's name is still shown, and the figures are the same as for a viewer of every team.
    assert view.rows[0].parent_name == "Perusturva"
    assert view.rows[0] == row(organisation_view(demo.db, START, "fi"), "Kotihoito")


def test_an_empty_database_gives_an_empty_table(db: Database) -> None:
    view = organisation_view(db, START, "en")
    assert view.rows == () and view.organisation == ""
    with pytest.raises(LookupError):
        team_view(1, db, START, "en")


def test_a_silent_team_is_never_shown_as_the_healthiest(db: Database) -> None:
    # "Hiljainen": three rounds where too few answered, a plan from last year never followed up, a target
    # without actions, and no year-end evaluation. "Terve": the same size, answering, on track. Hiding hiljainen
    # hides one more team so that it cannot be worked out from the organisation's total: "kolmas", the smaller.
    org = make_org(db, {"hiljainen": 7, "terve": 7, "kolmas": 7})
    teams = {t.key: t for t in org.teams}
    for weeks in (9, 5, 1):
        answers = {"hiljainen": [4, 4], "terve": [5] * 6, "kolmas": [5] * 5}
        answer_round(db, org, START - timedelta(weeks=weeks), answers)
    silent = DevelopmentPlan(teams["hiljainen"].id, 2025).with_strength(Strength("Huumori"))
    silent = silent.with_target(Target("Perehdytys", actions=(PlanAction("Perehdytyskansio"),)))
    # A target added after the plan was agreed, and never given an action.
    PlanRepository(db).save(silent.agree(date(2025, 3, 3)).with_target(Target("Palaverikäytännöt")))
    healthy = DevelopmentPlan(teams["terve"].id, 2026).with_strength(Strength("Yhteishenki"))
    healthy = healthy.with_target(Target("Työrauha", actions=(PlanAction("Hiljainen huone"),)))
    PlanRepository(db).save(healthy.agree(date(2026, 10, 1)))

    view = organisation_view(db, START, "en")

    assert [r.name for r in view.rows] == ["Hiljainen", "Kolmas", "Terve"]  # kolmas: no plan, hidden rounds
    quiet = row(view, "Hiljainen")
    assert quiet.risk_reasons == (
        "Follow-up overdue (days past the limit: 538)",
        "Year-end evaluation not answered (due 3 Dec 2025)",
        "Latest pulse rounds with results hidden: 3",
        "Targets without actions: 1",
    )
    assert quiet.risk_score == 4 + 3 + 2 + 3 + 1
    assert row(view, "Terve").risk_score == 0


def test_a_team_without_a_plan_or_any_pulse_results_is_a_risk(db: Database) -> None:
    make_org(db, {"uusi": 7})
    only = organisation_view(db, START, "fi").rows[0]
    assert only.risk_reasons == ("Ei kehittämissuunnitelmaa", "Pulssikyselyjen tuloksia ei ole vielä")
    assert only.risk_score == 3 + 1


def test_next_years_draft_is_no_risk_until_its_plan_day_and_then_it_is(db: Database) -> None:
    # The year-end evaluation wrote next year's draft in December: the team agrees it at next spring's plan step
    # (11 March 2028 in the default calendar, a Saturday, so Monday 13 March), not before.
    org = make_org(db, {"tiimi": 7})
    team_id = org.teams[0].id
    assert team_id is not None
    PlanRepository(db).save(DevelopmentPlan(team_id, 2028, targets=(Target("Palaverit lyhyemmiksi"),)))

    december = organisation_view(db, datetime(2027, 12, 6, 9, tzinfo=UTC), "fi").rows[0]
    assert "Suunnitelmasta ei ole vielä sovittu yhdessä" not in december.risk_reasons
    assert december.plan_agree_by == date(2028, 3, 13)
    page = team_view(team_id, db, datetime(2027, 12, 6, 9, tzinfo=UTC), "fi")
    assert page.plan is not None and page.plan.agree_by == date(2028, 3, 13)

    late = organisation_view(db, datetime(2028, 3, 14, 9, tzinfo=UTC), "fi").rows[0]
    assert "Suunnitelmasta ei ole vielä sovittu yhdessä" in late.risk_reasons
    assert late.plan_agree_by is None
    assert late.risk_score == december.risk_score + 3


def test_each_row_shows_one_rounds_figures_with_its_date(db: Database) -> None:
    # The older round asked about safety (low), the newer only about belonging: the row shows the newer round
    # alone, so its safety cell is empty, not the older round's figure beside the newer one's.
    org = make_org(db, {"tiimi": 7})
    answer_round(db, org, START - timedelta(weeks=5), {"tiimi": [1] * 6}, questions=("FE1",))
    answer_round(db, org, START - timedelta(weeks=1), {"tiimi": [5] * 6}, questions=("YI1",))
    only = organisation_view(db, START, "en").rows[0]
    cells = {c.dimension: c for c in only.indices}
    assert cells[Dimension.BELONGING].value == pytest.approx(100.0)
    assert cells[Dimension.SAFETY].state is CellState.NO_DATA
    assert {c.closes_on for c in only.indices if c.state is not CellState.NO_DATA} == {only.response_rate.closes_on}
    assert only.response_rate.closes_on == (START - timedelta(weeks=1)).date()
    assert not any("Safety" in reason or "safety" in reason for reason in only.risk_reasons)


# --- One team's page ----------------------------------------------------------------------------------------


def test_the_team_page_shows_the_plan_follow_ups_trend_rates_and_successes(demo: Demo) -> None:
    view = team_view(demo.team("kotihoito").id, demo.db, START, "sv")
    assert view.plan is not None and view.plan.agreed_on == date(2026, 3, 16)
    first, second = view.plan.targets
    assert (first.title, first.goal) == ("Työvuorot ennakoitaviksi", "Vuorolista on valmiina kolme viikkoa etukäteen.")
    assert first.successes == 2
    assert first.dimensions == ("Processer", "Fysisk och emotionell trygghet")
    assert [(a.owner, a.status_label) for a in second.actions] == [
        ("Pirjo Mäkelä", "klar"),
        ("Pirjo Mäkelä", "har kört fast"),
    ]
    assert view.follow_ups.held == (date(2026, 6, 1), date(2026, 8, 3), date(2026, 9, 21))
    assert view.follow_ups.notes_of(date(2026, 8, 3)) == ()  # held without a note
    assert view.follow_ups.notes_of(date(2026, 9, 21))[0].startswith("Varahenkilölista on puolivälissä.")
    assert view.follow_ups.due == date(2026, 12, 21)
    assert not view.follow_ups.overdue
    assert [s.dimension.value for s in view.trend] == ["FE", "YI", "SW", "PR"]
    safety = view.trend[0]
    assert safety.risk_limit == 80.0
    assert [(p.closes_on, round(p.value or 0, 1)) for p in safety.points] == [
        (date(2026, 5, 25), 55.0),
        (date(2026, 8, 17), 55.0),
        (date(2026, 11, 2), 67.5),
    ]
    assert [round(r.value or 0, 3) for r in view.response_rates] == [0.714, 0.714, 0.714]
    months = view.successes_by_month
    assert len(months) == 12 and (months[0].year, months[0].month) == (2025, 12) and months[-1].label == "nov 2026"
    assert [m.count for m in months] == [0] * 10 + [1, 2]


def test_a_team_page_the_viewer_may_not_see_is_not_found(demo: Demo) -> None:
    with pytest.raises(LookupError):
        team_view(demo.team("ruokapalvelu").id, demo.db, START, "fi", team_ids={demo.team("kotihoito").id})
    with pytest.raises(LookupError):
        team_view(9999, demo.db, START, "fi")


def test_an_open_round_is_not_shown_until_it_closes(demo: Demo) -> None:
    koti = demo.team("kotihoito")
    before = team_view(koti.id, demo.db, START, "fi")
    # As many answer as in the demo's rounds: with nobody answering beside kotihoito, the unit above would show the
    # same 10 respondents, and its own people's silence would be derivable, so kotihoito's figures would be hidden.
    answers = {"kotihoito": [5] * 10, "perusturva": [5] * 3, "ruokapalvelu": [5] * 4}
    answer_round(demo.db, demo.org, START + timedelta(days=3), answers)
    still_open = team_view(koti.id, demo.db, START, "fi")
    assert still_open.trend == before.trend and still_open.response_rates == before.response_rates
    closed = team_view(koti.id, demo.db, START + timedelta(days=4), "fi")
    assert closed.trend[0].points[-1].value == 100.0


# --- Anonymity: nothing under the threshold, nothing by subtraction -------------------------------------------


def every_index_value(organisation: OrganisationView, teams: list[TeamView]) -> list[float]:
    values = [c.value for r in organisation.rows for c in r.indices if c.value is not None]
    values += [p.value for t in teams for s in t.trend for p in s.points if p.value is not None]
    return values


def test_a_team_under_the_threshold_shows_no_index_or_rate_in_any_view(demo: Demo) -> None:
    ruoka = demo.team("ruokapalvelu")  # 4 of 7 answer every round; the threshold is 5
    organisation = organisation_view(demo.db, START, "fi")
    ruoka_row = row(organisation, "Ruokapalvelu")
    assert all(c.value is None for c in ruoka_row.indices)
    assert {c.state for c in ruoka_row.indices} == {CellState.HIDDEN, CellState.NO_DATA}
    assert ruoka_row.response_rate.state is CellState.HIDDEN and ruoka_row.response_rate.value is None
    assert ruoka_row.response_rate.invited == 7  # only how many were asked, never how many answered
    page = team_view(ruoka.id, demo.db, START, "fi")
    assert page.trend and all(p.value is None for s in page.trend for p in s.points)
    assert page.response_rates and all(r.value is None for r in page.response_rates)
    # The dimensions only ruokapalvelu was asked about stay hidden in its parent's group as well.
    perus = {c.dimension: c for c in row(organisation, "Perusturva").indices}
    assert perus[Dimension.CULTURE].state is CellState.HIDDEN and perus[Dimension.COMPETENCE].value is None
    # Its supervisor, seeing only their own team, gets no more.
    own = organisation_view(demo.db, START, "fi", team_ids={ruoka.id})
    assert own.rows[0] == ruoka_row


def test_no_hidden_group_can_be_recovered_by_subtracting_a_shown_one(db: Database) -> None:
    # Parent P (its supervisor does not answer) with A: 6 answer "1" and B: 3 answer "5". P's group (9) may be
    # shown; A alone (6) is over the threshold, but P minus A would expose B's 3 people, so A is hidden too.
    org = make_org(db, {"p": 1, "a": 7, "b": 4}, parents={"a": "p", "b": "p"})
    answer_round(db, org, START - timedelta(days=1), {"a": [1] * 6, "b": [5] * 3})
    teams = {t.key: t for t in org.teams}
    organisation = organisation_view(db, START, "en")
    cells = {r.name: {c.dimension: c for c in r.indices}[Dimension.SAFETY] for r in organisation.rows}
    assert cells["P"].state is CellState.SHOWN and cells["P"].value == pytest.approx(100 * 3 / 9)
    assert cells["A"].state is CellState.HIDDEN and cells["B"].state is CellState.HIDDEN
    rates = {r.name: r.response_rate for r in organisation.rows}
    assert rates["P"].value == pytest.approx(9 / 12)
    assert rates["A"].value is None and rates["B"].value is None
    pages = [team_view(t.id, db, START, "en") for t in org.teams]
    assert sorted(every_index_value(organisation, pages)) == [pytest.approx(100 * 3 / 9)] * 2  # P's row and page
    # A's own 0 % is below FE's risk limit, but a hidden figure never shows up as a risk reason or score.
    a_row = next(r for r in organisation.rows if r.name == "A")
    assert not any("Physical" in reason for reason in a_row.risk_reasons)
    assert any("Physical" in reason for reason in next(r for r in organisation.rows if r.name == "P").risk_reasons)
    # Nor does limiting the view to A (its supervisor's view) compute anything smaller.
    mine = organisation_view(db, START, "en", team_ids={teams["a"].id})
    assert {c.dimension: c for c in mine.rows[0].indices}[Dimension.SAFETY].value is None


# --- The annual calendar ------------------------------------------------------------------------------------


def test_the_calendar_shows_the_years_steps_today_and_each_teams_progress(demo: Demo) -> None:
    view = calendar_view(demo.db, START, "en")
    assert view.year == 2026 and view.today == date(2026, 11, 23)
    assert [(s.number, s.key, s.on) for s in view.steps][:2] == [
        (1, "survey", date(2026, 1, 15)),
        (2, "results_review", date(2026, 2, 12)),
    ]
    assert "unit_survey" not in [s.key for s in view.steps]  # disabled in the default calendar
    assert [s.on for s in view.steps] == sorted(s.on for s in view.steps)
    assert view.steps[0].title == "Wellbeing survey"
    assert view.pulse_rounds == (date(2026, 5, 25), date(2026, 8, 17), date(2026, 11, 2))
    progress = {t.name: t for t in view.teams}
    koti = progress["Kotihoito"]
    assert [(m.kind, m.on, m.label) for m in koti.marks] == [
        (StepKind.PLAN, date(2026, 3, 16), "Plan agreed 16 Mar 2026"),
        (StepKind.FOLLOW_UP, date(2026, 6, 1), "Follow-up held 1 Jun 2026"),
        (StepKind.FOLLOW_UP, date(2026, 8, 3), "Follow-up held 3 Aug 2026"),
        (StepKind.FOLLOW_UP, date(2026, 9, 21), "Follow-up held 21 Sep 2026"),
    ]
    assert koti.done == {StepKind.PLAN, StepKind.FOLLOW_UP} and not koti.overdue
    assert progress["Ruokapalvelu"].overdue and progress["Ruokapalvelu"].next_follow_up_due == date(2026, 10, 20)
    assert progress["Perusturva"].marks == () and progress["Perusturva"].last_done is None


def test_the_calendar_follows_the_organisations_clock_at_new_year(demo: Demo) -> None:
    new_year_in_helsinki = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 00.30 on 1 January 2027 in Helsinki
    view = calendar_view(demo.db, new_year_in_helsinki, "fi", team_ids={demo.team("kotihoito").id})
    assert (view.year, view.today) == (2027, date(2027, 1, 1))
    assert view.steps[0].on == date(2027, 1, 15) and view.pulse_rounds == ()
    assert [t.name for t in view.teams] == ["Kotihoito"] and view.teams[0].marks == ()


# --- People the bot could not reach -------------------------------------------------------------------------


def give_up(db: Database, now: datetime, messages: list[tuple[str, OutboundMessage]], reason: str) -> None:
    outbox = OutboxRepository(db, clock=lambda: now)
    outbox.enqueue(messages)
    claimed = outbox.claim(
        now,
        platforms=["slack"],
        batch=10,
        lease=timedelta(minutes=1),
        limiter=SharedRateLimiter({}),
        max_attempts=8,
    )
    for entry in claimed:
        outbox.mark_undeliverable(entry, reason, now)


def test_undeliverable_members_name_the_person_their_teams_the_reason_and_the_time(demo: Demo) -> None:
    anna, eva = demo.person("Anna"), demo.person("Eva")
    dm = Address(Platform.SLACK, user_id="U1", workspace="T1")
    not_installed = "the app is not installed in this Slack workspace"
    give_up(demo.db, START, [("k1", OutboundMessage(dm, text="Hei", member_id=anna.id))], not_installed)
    later = START + timedelta(hours=2)
    give_up(demo.db, later, [("k2", OutboundMessage(dm, text="Hej", member_id=eva.id))], "person not found in Slack")
    channel = Address(Platform.SLACK, channel_id="C1", workspace="T1")
    give_up(demo.db, later, [("k3", OutboundMessage(channel, text="Onnistuminen!"))], "the channel is archived")

    view = undeliverable_view(demo.db, later, "en")
    assert [(r.name, r.teams, r.reason, r.failed) for r in view.rows] == [
        ("(team channel)", (), "The channel is gone or archived, or the app is not in it", 1),
        ("Eva Sjöberg", ("Ruokapalvelu",), "The person was not found on the platform", 1),
        ("Anna Korhonen", ("Kotihoito",), "The app is not installed or was removed", 1),
    ]
    assert view.rows[-1].when == START and view.rows[-1].when.utcoffset() == timedelta(hours=2)  # Helsinki time
    supervisor = undeliverable_view(demo.db, later, "en", team_ids={demo.team("kotihoito").id})
    assert [r.name for r in supervisor.rows] == ["Anna Korhonen"]  # no channel posts, no other teams' people


def test_a_member_is_one_row_with_the_latest_reason_and_how_many_failed(demo: Demo) -> None:
    anna = demo.person("Anna")
    dm = Address(Platform.SLACK, user_id="U1", workspace="T1")
    first = [(f"a{n}", OutboundMessage(dm, text="Hei", member_id=anna.id)) for n in range(2)]
    give_up(demo.db, START, first, "the person's Slack account is deactivated")
    later = START + timedelta(hours=3)
    give_up(demo.db, later, [("a9", OutboundMessage(dm, text="Hei", member_id=anna.id))], "gave up after 8 attempts")
    channel = Address(Platform.SLACK, channel_id="C1", workspace="T1")
    posts = [(f"c{n}", OutboundMessage(channel, text="Onnistuminen!")) for n in range(2)]
    give_up(demo.db, START, posts, "channel not found")

    rows = undeliverable_view(demo.db, later, "fi").rows
    assert [(r.name, r.reason, r.failed, r.when) for r in rows] == [
        ("Anna Korhonen", "Ei onnistunut 8 yrityksellä", 3, later),
        ("(tiimin kanava)", "Kanavaa ei löydy, se on arkistoitu tai sovellus ei ole kanavalla", 2, START),
    ]


@pytest.mark.parametrize(
    ("raw", "language", "shown"),
    [
        ("the person's Slack account is deactivated", "sv", "Personens konto är inaktiverat"),
        ("gave up after 5 attempts: network: TimeoutError", "en", "Gave up after 5 attempts"),
        ("Teams said Forbidden <token=abc>", "en", "Unknown reason"),  # never the raw text
        ("", "fi", "Tuntematon syy"),
    ],
)
def test_an_undeliverable_reason_is_told_in_the_viewers_language(
    demo: Demo, raw: str, language: str, shown: str
) -> None:
    dm = Address(Platform.SLACK, user_id="U1", workspace="T1")
    give_up(demo.db, START, [("k1", OutboundMessage(dm, text="Hei", member_id=demo.person("Anna").id))], raw)
    assert [r.reason for r in undeliverable_view(demo.db, START, language).rows] == [shown]


# --- The "riskiest first" rule ------------------------------------------------------------------------------


def cell(dimension: Dimension, state: CellState, value: float | None = None) -> IndexCell:
    return IndexCell(dimension, dimension.name.title(), state, value, date(2026, 11, 2), RISK_LIMITS.get(dimension))


def risk(**overrides: object) -> Risk:
    arguments: dict[str, object] = {
        "has_plan": True,
        "agreed": True,
        "days_left": 40,
        "indices": (),
        "actions": dict.fromkeys(ActionStatus, 0),
        "rates": (RateCell(CellState.SHOWN, 0.8),),
        "language": "en",
    }
    return team_risk(**{**arguments, **overrides})  # type: ignore[arg-type]


def test_a_team_on_track_scores_zero() -> None:
    assert risk() == Risk(0, ())


@pytest.mark.parametrize(
    ("overrides", "score", "reason"),
    [
        ({"days_left": -1}, 4, "Follow-up overdue (days past the limit: 1)"),
        ({"days_left": -65}, 6, "Follow-up overdue (days past the limit: 65)"),
        ({"days_left": -400}, 7, "Follow-up overdue (days past the limit: 400)"),  # at most 3 more for the months
        ({"has_plan": False, "agreed": False, "days_left": None}, 3, "No development plan"),
        ({"agreed": False, "days_left": None}, 3, "The plan has not been agreed yet"),
        ({"indices": (cell(Dimension.SAFETY, CellState.SHOWN, 79.9),)}, 2, "Safety 79%, below the risk limit 80%"),
        ({"actions": {**dict.fromkeys(ActionStatus, 0), ActionStatus.STUCK: 3}}, 3, "Stuck actions: 3"),
        ({"rates": (RateCell(CellState.SHOWN, 0.49),)}, 1, "Response rate only 49%"),
        (
            {"rates": (RateCell(CellState.SHOWN, 0.8), RateCell(CellState.HIDDEN, None, 7))},
            1,
            "Latest pulse rounds with results hidden: 1",
        ),
        (
            {"rates": (RateCell(CellState.HIDDEN, None, 7),) * 5},
            3,
            "Latest pulse rounds with results hidden: 5",
        ),  # at most 3
        ({"rates": ()}, 1, "No pulse results yet"),
        ({"targets_without_actions": 2}, 2, "Targets without actions: 2"),
        ({"evaluation_waiting_since": date(2026, 12, 3)}, 2, "Year-end evaluation not answered (due 3 Dec 2026)"),
        ({"days_left": 14}, 1, "Follow-up deadline soon (days left: 14)"),
        ({"days_left": 0}, 1, "Follow-up deadline soon (days left: 0)"),
    ],
)
def test_each_part_of_the_rule_adds_its_points_and_says_why(
    overrides: dict[str, object], score: int, reason: str
) -> None:
    assert risk(**overrides) == Risk(score, (reason,))


@pytest.mark.parametrize(
    "overrides",
    [
        {"days_left": 15},
        {"indices": (cell(Dimension.SAFETY, CellState.SHOWN, 80.0),)},  # at the limit is not under it
        {"indices": (cell(Dimension.SUPERVISOR_WORK, CellState.SHOWN, 10.0),)},  # no risk limit
        {"indices": (cell(Dimension.SAFETY, CellState.HIDDEN), cell(Dimension.GOALS, CellState.NO_DATA))},
        {"rates": (RateCell(CellState.HIDDEN, None, 7), RateCell(CellState.SHOWN, 0.8))},  # an older hidden round
        {"rates": (RateCell(CellState.SHOWN, 0.5),)},
    ],
)
def test_what_is_not_a_risk_adds_nothing(overrides: dict[str, object]) -> None:
    assert risk(**overrides) == Risk(0, ())


def test_actions_past_their_day_raise_the_risk_once_each_with_their_count_as_a_reason() -> None:
    actions = {**dict.fromkeys(ActionStatus, 0), ActionStatus.STUCK: 1}
    # Three late, one of them the stuck one: it has its point already.
    assert risk(actions=actions, late_actions=3, late_and_stuck=1) == Risk(
        3, ("Stuck actions: 1", "Actions past their due date: 3")
    )
    assert risk(late_actions=0) == Risk(0, ())


def test_the_team_page_and_workbook_keep_the_planners_words_beside_the_day(demo: Demo) -> None:
    from dataclasses import replace

    from adapters.web.dashboard.page_team import team_body
    from storage.plan_repository import PlanRepository

    plans = PlanRepository(demo.db)
    plan = plans.current(demo.team("kotihoito").id)
    assert plan is not None
    first = plan.targets[0]
    worded = replace(first.actions[0], due_on=date(2027, 5, 31), due_words="kevään aikana")
    plans.save(plan.replace_target(first.id, replace(first, actions=(worded, *first.actions[1:]))))
    view = team_view(demo.team("kotihoito").id, demo.db, START, "fi")
    assert "31.5.2027 (kevään aikana)" in team_body(view)
