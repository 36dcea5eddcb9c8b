"""The "me" cards offer the team's weakest dimensions first, with figures: the annual survey's, else the pulse's."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.dimensions import Dimension
from bot.i18n import translate
from bot.messages import Buttons, Select
from bot.organisation import Member
from bot.questions import dimension_name
from bot.survey import SurveyFigures, SurveyResults
from storage.survey_repository import SurveyRepository
from tests.bot.flows.conftest import START, Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted

FE, YI, PL, SW, CO, LE, PR, OC = Dimension


def row(respondents: int, invited: int, values: tuple[float, ...]) -> SurveyFigures:
    return SurveyFigures(respondents, invited, sum(values) / len(values), dict(zip(Dimension, values, strict=True)))


@pytest.fixture(autouse=True)
def no_demo_surveys(demo: Demo) -> None:
    """The demo ships survey years; these tests import their own (or none) to see where the figures come from."""
    with demo.db.transaction() as session:
        session.execute(text("DELETE FROM survey_imports"))


def import_survey(demo: Demo, year: int = 2026) -> None:
    """The sample file's figures: Kotihoito 12 answers, Ruokapalvelu 6, Perusturva's own 3, 21 in all."""
    units = {
        demo.team("kotihoito").id: row(12, 14, (78, 77, 66, 74, 82, 67, 63, 72)),
        demo.team("ruokapalvelu").id: row(6, 7, (76, 72, 68, 71, 79, 66, 60, 68)),
        demo.team("perusturva").id: row(3, 4, (75, 70, 66, 70, 78, 60, 58, 69)),
    }
    results = SurveyResults(year, row(21, 25, (78, 74, 69, 72, 80, 65, 61, 70)), units)
    SurveyRepository(demo.db).save(demo.org.id, results, START, replace=False)


def me_card(chat: FakeChat, member: Member) -> Posted:
    return next(p for p in chat.inbox(member) if p.message.card is not None and p.card.kind == "choose.me")


def options(posted: Posted, field: str) -> list[tuple[str, str]]:
    select = next(b for b in posted.card.blocks if isinstance(b, Select) and b.id == field)
    return [(choice.value, choice.label) for choice in select.choices]


@pytest.mark.parametrize(
    ("name", "language", "heading", "below", "weakest"),
    [
        (
            "Anna",
            "fi",
            "Tiimin tulokset, työhyvinvointikysely 2026",
            "Riskirajan alla: Päämäärät ja luovuus 66 % (riskiraja 70 %), "
            "Fyysinen ja emotionaalinen turvallisuus 78 % (riskiraja 80 %).",
            "Heikoimmat: Prosessit 63 %, Johtaminen 67 %, Toimintakulttuuri 72 %.",
        ),
        (
            "Maria",
            "sv",
            "Teamets resultat, arbetshälsoenkäten 2026",
            "Under riskgränsen: {PL} 66 % (riskgräns 70 %), {FE} 78 % (riskgräns 80 %).",
            "Svagast: {PR} 63 %, {LE} 67 %, {OC} 72 %.",
        ),
        (
            "Ahmed",
            "en",
            "The team's results, wellbeing survey 2026",
            "Below the risk limit: {PL} 66% (risk limit 70%), {FE} 78% (risk limit 80%).",
            "Weakest: {PR} 63%, {LE} 67%, {OC} 72%.",
        ),
    ],
)
def test_the_cards_offer_what_is_under_a_risk_limit_and_weakest_first_with_the_surveys_figures(
    chat: FakeChat, demo: Demo, name: str, language: str, heading: str, below: str, weakest: str
) -> None:
    import_survey(demo)
    chat.say(demo.supervisor("kotihoito"), "valitaan")
    card = me_card(chat, demo.person(name))
    names = {d.value: dimension_name(d, language) for d in Dimension}
    assert heading in card.text
    assert below.format(**names) in card.text and weakest.format(**names) in card.text

    targets = options(card, "targets")
    assert [value for value, _ in targets] == ["PL", "FE", "PR", "LE", "OC", "SW", "YI", "CO"]
    percent = "66%" if language == "en" else "66 %"
    assert targets[0][1].startswith(f"{names['PL']} – {percent}") and targets[0][1] != f"{names['PL']} – {percent}"
    assert targets[2][1] == f"{names['PR']} – {'63%' if language == 'en' else '63 %'}"
    strengths = options(card, "strengths")
    assert [value for value, _ in strengths] == ["CO", "FE", "YI", "SW", "OC", "LE", "PL", "PR"]

    # Own words stay as they were; the card they get back after sending keeps the figures.
    assert translate(language, "choose.me.own_words") in card.text
    send = next(b for b in card.card.blocks if isinstance(b, Buttons)).buttons[0]
    chat.tap(demo.person(name), send.label, on=card, form={"targets": "PL"})
    assert card.versions == 2 and heading in card.text


def test_a_units_row_that_would_expose_a_smaller_one_by_subtraction_is_not_shown(chat: FakeChat, demo: Demo) -> None:
    import_survey(demo)
    # 21 − 12 − 6 = Perusturva's own 3 answers: Ruokapalvelu's row stays hidden, and its pulse (4 answers) too.
    chat.say(demo.supervisor("ruokapalvelu"), "valitaan")
    card = me_card(chat, demo.staff("ruokapalvelu")[-1])
    assert "2026" not in card.text and "%" not in card.text
    assert [value for value, _ in options(card, "targets")] == [d.value for d in Dimension]


def test_without_a_survey_the_cards_use_the_latest_pulse_results(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    chat.say(demo.supervisor("kotihoito"), "valitaan")
    card = me_card(chat, demo.person("Anna"))
    assert "Tiimin tulokset, pulssikyselyt (viimeisin " in card.text
    targets = dict(options(card, "targets"))
    # The demo's pulse asks Kotihoito about processes, supervisor work, safety and belonging: those have figures.
    assert all("%" in targets[code] for code in ("PR", "SW", "FE", "YI"))
    assert all("%" not in targets[code] for code in ("PL", "CO", "LE", "OC"))
    assert [value for value, _ in options(card, "targets")][-4:] == ["PL", "CO", "LE", "OC"]


def test_a_survey_of_a_later_year_than_now_is_not_used(chat: FakeChat, demo: Demo) -> None:
    import_survey(demo, year=2027)  # the tests' clock is in November 2026
    chat.say(demo.supervisor("kotihoito"), "valitaan")
    assert "pulssikyselyt" in me_card(chat, demo.person("Anna")).text
