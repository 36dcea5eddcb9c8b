"""The survey results page over HTTP: a year per page, risk limits marked, last year beside it, anonymity kept."""

from __future__ import annotations

import re

from sqlalchemy import delete

from bot.organisation import Role
from storage.survey_models import SurveyImportRow
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, visible_text

PATH = "/dashboard/survey"


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def rows(page: str) -> dict[str, str]:
    """Each body row's visible text, by the unit it is about."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)]
    return {row.split(" ")[0]: row for row in found}


async def test_the_newest_year_shows_the_organisation_and_units_with_risk_limits_and_last_years_change(
    demo: Demo, clock: Clock
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        front = await (await client.get("/dashboard")).text()
        assert f'<a href="{PATH}">Kyselyn tulokset</a>' in front  # in the navigation, for everyone
        response = await client.get(PATH)
        assert response.status == 200
        page = await response.text()
    shown = visible_text(page)
    assert "<h1>Kyselyn tulokset 2027</h1>" in page
    assert '<option value="2027" selected>2027</option><option value="2026">2026</option>' in page
    assert "FE riskiraja 80 %" in shown and "YI riskiraja 75 %" in shown and "PL riskiraja 70 %" in shown
    assert "Muutos vuodesta 2026 prosenttiyksikköinä." in shown
    found = rows(page)
    assert found["Esimerkkilän"].startswith("Esimerkkilän kunta 76 % (19/25) 71,9 +1,7 edellisestä 80,1")
    kotihoito = found["Kotihoito"]
    assert "86 % (12/14) 73,2 +2,2 edellisestä 81,5 +3,5 edellisestä" in kotihoito
    assert "⚠ 68,5 (alle riskirajan) −2,0 edellisestä" in kotihoito  # PL under its limit of 70 %
    assert '<td class="num below-limit">' in page
    # Ruokapalvelu's 4 answers count in Perusturva's group (3 + 12 + 4), never on their own.
    assert found["Perusturva"].startswith("Perusturva 76 % (19/25)")
    assert found["Ruokapalvelu"] == "Ruokapalvelu Piilotettu: vastaajia alle kynnyksen. Kutsuttuja 7."


async def test_last_year_is_chosen_and_a_unit_hidden_to_protect_a_smaller_group_says_so(
    demo: Demo, clock: Clock
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get(PATH, params={"year": "2026"})).text()
        swedish = await (await client.get(PATH, params={"year": "2026", "lang": "sv"})).text()
    found = rows(page)
    assert "<h1>Kyselyn tulokset 2026</h1>" in page
    assert found["Ruokapalvelu"].startswith(
        "Ruokapalvelu Piilotettu, jotta pienemmän ryhmän vastauksia ei voi päätellä yksikön kokonaisluvuista."
    )
    assert "Vuoden 2025 tuloksia ei ole tuotu, joten vertailua ei ole." in visible_text(page)
    assert "edellisestä" not in found["Kotihoito"]
    assert "<h1>Enkätresultat 2026</h1>" in swedish and 'name="year" value="2026"' in swedish  # kept by the switch


async def test_a_supervisor_sees_the_organisation_and_their_own_team_only(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        page = await (await client.get(PATH)).text()
    assert set(rows(page)) == {"Esimerkkilän", "Kotihoito"}
    assert "survey-import" not in page


async def test_without_any_year_the_page_says_so(demo: Demo, clock: Clock) -> None:
    with demo.db.transaction() as session:
        session.execute(delete(SurveyImportRow))
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get(PATH)).text()
    assert "Kyselyn tuloksia ei ole vielä tuotu." in visible_text(page)
    assert '<a href="/dashboard/survey-import">' in page
