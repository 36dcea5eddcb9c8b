"""The thank-you after Send: the team's previous result when anonymity allows it, a kind sentence when not."""

from __future__ import annotations

from datetime import date

import pytest

from bot.anonymity import UnitNode
from bot.card_limits import card_problems
from bot.dimensions import Dimension
from bot.flows.pulse_thanks import QUESTION_DIMENSIONS, PreviousResult, thanks_card
from bot.formatting import format_percent
from bot.messages import Facts
from bot.organisation import Team
from bot.questions import dimension_name
from bot.results import round_report
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_pulse_support import PulseWorld, pulse_world


@pytest.fixture
def pulse(demo: Demo, clock: Clock) -> PulseWorld:
    return pulse_world(demo, clock)


def expected_indices(pulse: PulseWorld, team: Team) -> dict[Dimension, float]:
    """The previous demo round's indices for the team, computed straight from the stored counters."""
    latest = max(pulse.repo.rounds(pulse.demo.org.id), key=lambda r: r.closes_at)
    units = [UnitNode(t.id, t.parent_id) for t in pulse.demo.org.teams]
    report = round_report(pulse.repo.tallies(latest.id or 0), units, QUESTION_DIMENSIONS, 5)
    group = report.group(team.id)
    assert group is not None and group.visible
    return {d: v for d, v in group.indices.items() if v is not None}


def test_a_team_above_the_threshold_sees_its_previous_result(pulse: PulseWorld) -> None:
    demo = pulse.demo
    kotihoito = demo.team("kotihoito")
    expected = expected_indices(pulse, kotihoito)  # read before the new round opens
    pulse.open()
    thanks = pulse.answer(demo.person("Anna"), [4, 4, 4, 4, 4])[0]
    assert thanks.card.kind == "pulse_thanks"
    assert "Kiitos vastauksistasi!" in thanks.text
    assert "Kotihoito: edellisen pulssikyselyn tulos (2.11.2026)" in thanks.text  # the round 3 weeks ago
    facts = next(b for b in thanks.card.blocks if isinstance(b, Facts))
    shown = dict(facts.items)
    # The demo asked kotihoito about processes, supervisor work, safety and belonging.
    assert set(expected) == {Dimension.PROCESSES, Dimension.SUPERVISOR_WORK, Dimension.SAFETY, Dimension.BELONGING}
    assert list(shown) == [dimension_name(d, "fi") for d in expected]
    for dimension, index in expected.items():
        assert shown[dimension_name(dimension, "fi")].startswith(format_percent(index, "fi"))


def test_the_previous_result_is_in_the_persons_language(pulse: PulseWorld) -> None:
    demo = pulse.demo
    pulse.open()
    thanks = pulse.answer(demo.person("Ahmed"), [0, 0, 0, 0, 0])[0]
    assert "Thank you for your answers!" in thanks.text
    assert "Kotihoito: results of the previous pulse check (2 Nov 2026)" in thanks.text
    assert "Supervisor work: " in thanks.text and "%" in thanks.text


def test_a_team_under_the_threshold_sees_no_figures(pulse: PulseWorld) -> None:
    demo = pulse.demo
    pulse.open()
    thanks = pulse.answer(demo.person("Petri"), [3, 3, 3])[0]  # ruokapalvelu: 4 answered each demo round
    assert "Kiitos vastauksistasi!" in thanks.text
    assert "vähintään 5 henkeä" in thanks.text and "edellisestä kyselystä ei näytetä lukuja" in thanks.text
    assert "%" not in thanks.text
    assert not any(isinstance(b, Facts) for b in thanks.card.blocks)
    assert all(dimension_name(d, "fi") not in thanks.text for d in Dimension)

    eva = pulse.answer(demo.person("Eva"), [3, 3, 3])[0]  # the same in Swedish
    assert "minst 5 personer" in eva.text and "%" not in eva.text


def test_a_foundation_dimension_under_its_risk_limit_is_marked() -> None:
    team = Team(1, "koti", "Kotihoito")
    previous = PreviousResult(date(2026, 11, 2), {Dimension.SAFETY: 68.4, Dimension.PROCESSES: 60.0})
    card = thanks_card("fi", team, previous, 5, commented=False)
    assert card_problems(card) == []
    facts = dict(next(b for b in card.blocks if isinstance(b, Facts)).items)
    assert facts == {
        "Fyysinen ja emotionaalinen turvallisuus": "68 % – alle riskirajan (80 %)",
        "Prosessit": "60 %",  # a capability dimension has no risk limit
    }


def test_a_team_without_an_earlier_round_is_told_results_come_later() -> None:
    for language, words in (("fi", "ensimmäinen pulssikysely"), ("sv", "första pulsenkät"), ("en", "first pulse")):
        card = thanks_card(language, Team(1, "koti", "Kotihoito"), None, 5, commented=True)
        assert card_problems(card) == []
        text = "\n".join(getattr(b, "text", "") for b in card.blocks)
        assert words in text and "5" in text
