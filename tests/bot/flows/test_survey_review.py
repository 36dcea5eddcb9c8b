"""The results review card: the team's survey figures beside the organisation's, or why they are hidden."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.server.jobs_wiring import JobHandlers
from bot.card_limits import card_problems
from bot.dimensions import Dimension
from bot.flows.survey_review import review_blocks
from bot.messages import Address, Card, OutboundMessage
from bot.organisation import Platform
from bot.survey import SurveyFigures, SurveyResults
from bot.survey_view import team_survey_view
from scheduler.planner import JobKind
from storage.survey_repository import SurveyRepository
from tests.bot.flows.conftest import Demo
from tests.bot.flows.fake_chat import FakeChat, visible_text

REVIEW_DAY = datetime(2027, 2, 12, 7, tzinfo=UTC)  # four weeks after the default calendar's survey of 15.1.2027


def figures(respondents: int, invited: int, *values: float) -> SurveyFigures:
    qwl, *dimensions = values
    return SurveyFigures(respondents, invited, qwl, dict(zip(Dimension, dimensions, strict=True)))


def import_year(demo: Demo, year: int, ruoka: SurveyFigures, kotihoito_safety: float = 81.0) -> None:
    teams = {key: demo.team(key).id for key in ("perusturva", "kotihoito", "ruokapalvelu")}
    whole = 3 + 12 + (ruoka.respondents or 0)
    results = SurveyResults(
        year,
        figures(whole, 25, 71.5, 78, 74, 69, 72, 80, 65, 61, 70),
        {
            teams["perusturva"]: figures(3, 4, 68, 75, 70, 66, 70, 78, 60, 58, 69),
            teams["kotihoito"]: figures(12, 14, 73.2, kotihoito_safety, 77, 68, 74, 82, 67, 63, 72),
            teams["ruokapalvelu"]: ruoka,
        },
    )
    SurveyRepository(demo.db).save(demo.org.id, results, REVIEW_DAY, replace=True)


def review_card(chat: FakeChat, demo: Demo, key: str) -> str:
    chat.deliver(JobHandlers(demo.db)(JobKind.RESULTS_REVIEW, demo.team(key).id, False, REVIEW_DAY))
    message = chat.last(demo.supervisor(key))
    assert message.card.kind == "step_results_review" and card_problems(message.card) == []
    return message.text


def test_the_supervisor_sees_the_team_beside_the_organisation_with_risk_limits_and_the_questions(
    chat: FakeChat, demo: Demo
) -> None:
    import_year(demo, 2026, figures(4, 7, 70, 76, 72, 68, 71, 79, 66, 60, 68), kotihoito_safety=78.0)
    import_year(demo, 2027, figures(4, 7, 70, 76, 72, 59, 71, 79, 66, 60, 68))
    text = review_card(chat, demo, "kotihoito")
    assert "Kysely 2027: Kotihoito ja koko organisaatio rinnakkain." in text
    assert "Vastausprosentti: 86 % (12/14) · koko organisaatio 76 %" in text
    assert "QWL-indeksi: 73,2 % · koko organisaatio 71,5 %" in text
    assert (
        "FE Fyysinen ja emotionaalinen turvallisuus: 81,0 % (riskiraja 80 %) · koko organisaatio 78,0 %"
        " · +3,0 vuodesta 2026"
    ) in text
    assert "PL Päämäärät ja luovuus: ⚠ 68,0 %, alle riskirajan 70 % · koko organisaatio 69,0 %" in text
    assert "Vahvin osa-alue: Osaaminen (CO) 82,0 %." in text
    assert "Heikoin osa-alue: Prosessit (PR) 63,0 %." in text
    assert "Alle riskirajan: Päämäärät ja luovuus (PL) 68,0 %." in text
    assert "1. Mikä selittää nämä tulokset?" in text and "2. Mitä säilytämme?" in text and "3. Mitä kehitämme?" in text


def test_a_team_under_the_threshold_is_told_so_and_sees_its_parent_unit_instead(chat: FakeChat, demo: Demo) -> None:
    import_year(demo, 2027, figures(4, 7, 70, 76, 72, 59, 71, 79, 66, 60, 68))
    text = review_card(chat, demo, "ruokapalvelu")
    assert "Ruokapalvelu-tiimin omia tuloksia ei näytetä, koska vastaajia oli alle 5." in text
    assert "Alla ovat lähimmän näytettävän yksikön, Perusturva, tulokset" in text
    assert "Kysely 2027: Perusturva ja koko organisaatio rinnakkain." in text
    assert "(19/25)" in text and "59,0" not in text  # the parent's pooled figures, never the small team's own


def test_a_team_hidden_to_protect_a_smaller_group_is_told_the_true_reason(chat: FakeChat, demo: Demo) -> None:
    import_year(demo, 2027, figures(6, 7, 70, 76, 72, 59, 71, 79, 66, 60, 68))
    text = review_card(chat, demo, "ruokapalvelu")
    assert "jotta pienemmän ryhmän vastauksia ei voi päätellä yksikön kokonaisluvuista" in text
    assert "alle 5" not in text
    assert "59,0" not in text


def test_without_the_years_results_the_card_says_so_plainly(chat: FakeChat, demo: Demo) -> None:
    SurveyRepository(demo.db).save(
        demo.org.id,
        SurveyResults(2026, figures(21, 25, 71.5, 78, 74, 69, 72, 80, 65, 61, 70), {}),
        REVIEW_DAY,
        replace=True,
    )
    handlers = JobHandlers(demo.db)
    later = REVIEW_DAY.replace(year=2028)
    chat.deliver(handlers(JobKind.RESULTS_REVIEW, demo.team("kotihoito").id, False, later))
    text = chat.last(demo.supervisor("kotihoito")).text
    assert "Vuoden 2028 kyselyn tuloksia ei ole vielä tuotu, joten tiimin lukuja ei voi näyttää." in text
    assert "Vastausprosentti" not in text and "1. Mikä selittää nämä tulokset?" in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            ["Svarsprocent: 86 % (12/14)", "⚠ 68,0 %, under riskgränsen 70 %", "Starkaste delområdet: Kunnande (CO)"],
        ),
        ("en", ["Response rate: 86% (12/14)", "⚠ 68.0%, below the risk limit of 70%", "3. What do we develop?"]),
    ],
)
def test_the_figures_read_in_swedish_and_english(demo: Demo, language: str, expected: list[str]) -> None:
    import_year(demo, 2027, figures(4, 7, 70, 76, 72, 59, 71, 79, 66, 60, 68))
    results = SurveyRepository(demo.db).get(demo.org.id, 2027)
    assert results is not None
    team = demo.team("kotihoito")
    view = team_survey_view(results, demo.org, team.id)
    card = Card("step_results_review", "t", tuple(review_blocks(view, 2027, team, demo.org, language)))
    text = visible_text(OutboundMessage(to=Address(Platform.CONSOLE, "1"), card=card))
    for part in expected:
        assert part in text
