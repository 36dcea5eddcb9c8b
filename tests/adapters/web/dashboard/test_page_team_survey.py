"""The team page's survey section: the newest year beside the pulse trend, the team's or its nearest shown unit's."""

from __future__ import annotations

from sqlalchemy import delete

from bot.organisation import Role
from storage.survey_models import SurveyImportRow
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, visible_text


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def survey_section(page: str) -> str:
    """The survey section's visible text: from its heading to the next one."""
    start = page.index("<h2>Kyselyn tulokset")
    return visible_text(page[start : page.index("<h2>", start + 4)])


async def team_page(demo: Demo, clock: Clock, key: str) -> str:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get(f"/dashboard/team/{key}")
        assert response.status == 200
        return await response.text()


async def test_the_team_page_shows_the_teams_survey_beside_the_organisation_after_the_pulse_trend(
    demo: Demo, clock: Clock
) -> None:
    page = await team_page(demo, clock, "kotihoito")
    assert page.index("<h2>Kyselyn tulokset 2027</h2>") > page.index('<figure tabindex="0"')  # after the pulse trend
    text = survey_section(page)
    assert "Osa-alue Kotihoito Esimerkkilän kunta Muutos vuodesta 2026" in text
    assert "Vastausprosentti 86 % (12/14) 76 %" in text
    assert "PL Päämäärät ja luovuus (riskiraja 70 %) ⚠ 68,5 (alle riskirajan) ⚠ 68,7 (alle riskirajan) −2,0" in text
    assert "FE Fyysinen ja emotionaalinen turvallisuus (riskiraja 80 %) 81,5 80,1 +3,5" in text
    assert '<a href="/dashboard/survey?year=2027">Kaikki yksiköt ja vuodet</a>' in page


async def test_a_small_team_sees_why_and_its_parents_figures(demo: Demo, clock: Clock) -> None:
    text = survey_section(await team_page(demo, clock, "ruokapalvelu"))
    assert "Tiimin omia tuloksia ei näytetä, koska vastaajia oli alle 5." in text
    assert "Alla ovat lähimmän näytettävän yksikön, Perusturva, tulokset" in text
    assert "Osa-alue Perusturva Esimerkkilän kunta" in text and "Vastausprosentti 76 % (19/25)" in text


async def test_without_a_survey_the_team_page_says_so(demo: Demo, clock: Clock) -> None:
    with demo.db.transaction() as session:
        session.execute(delete(SurveyImportRow))
    text = survey_section(await team_page(demo, clock, "kotihoito"))
    assert text == "Kyselyn tulokset Kyselyn tuloksia ei ole vielä tuotu."
