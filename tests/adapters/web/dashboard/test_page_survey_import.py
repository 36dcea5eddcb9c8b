"""The survey results upload over HTTP: the officer only, a session-bound token, import's checks, a confirm step."""

from __future__ import annotations

import html
import re

import pytest
from aiohttp import ClientResponse, FormData, web
from aiohttp.test_utils import TestClient
from sqlalchemy import delete

from bot.organisation import Role
from bot.survey import SurveyResults
from storage.survey_models import SurveyImportRow
from storage.survey_repository import SurveyRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, visible_text
from tests.paths import FIXTURES

PATH = "/dashboard/survey-import"
SAMPLE = (FIXTURES / "survey" / "fi_semicolon_decimal_comma.csv").read_bytes()
Client = TestClient[web.Request, web.Application]


@pytest.fixture(autouse=True)
def no_survey_yet(demo: Demo) -> None:
    """The upload starts from an organisation without results: the demo's own survey years are taken away."""
    with demo.db.transaction() as session:
        session.execute(delete(SurveyImportRow))


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def stored(demo: Demo, year: int = 2026) -> SurveyResults | None:
    return SurveyRepository(demo.db).get(demo.org.id, year)


def hidden_fields(page: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in found if name != "lang"}


async def open_form(client: Client) -> str:
    response = await client.get(PATH)
    assert response.status == 200, await response.text()
    return await response.text()


async def upload(client: Client, content: bytes, name: str = "tulokset.csv", year: str = "2026") -> ClientResponse:
    """Choose a file and press the button, as the officer does in the browser (a multipart form)."""
    fields = hidden_fields(await open_form(client))
    form = FormData()
    for key, value in fields.items():
        form.add_field(key, value)
    form.add_field("year", year)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    return await client.post(PATH, data=form, allow_redirects=False)


async def test_the_officer_uploads_a_file_and_sees_it_saved(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await open_form(client)
        assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and 'accept=".xlsx,.csv"' in page
        assert 'value="2026"' in page  # this year on the demo's clock
        assert f'<a href="{PATH}">Tuo kyselyn tulokset</a>' in page  # in the navigation
        response = await upload(client, SAMPLE)
        assert response.status == 303
        assert response.headers["Location"] == f"{PATH}?imported=2026&units=3"
        after = await (await client.get(response.headers["Location"])).text()
        shown = visible_text(after)
        assert "Vuoden 2026 tulokset tallennettu: koko organisaatio ja 3 yksikköä." in shown
        assert "Tuodut vuodet: 2026" in shown
    results = stored(demo)
    assert results is not None and results.organisation.respondents == 21
    assert results.units[demo.team("kotihoito").id].qwl_index == 73.2


async def test_a_bad_file_names_line_and_column_and_saves_nothing(demo: Demo, clock: Clock) -> None:
    broken = SAMPLE.replace(b"Kotihoito;12;14;73,2 %", b"Kotihoito;12;14;73,2 %%")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await upload(client, broken)
        assert response.status == 422
        page = await response.text()
        assert "Rivi 4, sarake QWL-indeksi (D): ”73,2 %%” ei ole luku." in visible_text(page)
        assert 'role="alert"' in page and 'aria-describedby="survey-problem"' in page
        unknown_unit = await upload(client, SAMPLE.replace(b"Ruokapalvelu;", b"Sauna;"))
        assert unknown_unit.status == 422
        assert "Rivi 5: yksikköä ”Sauna” ei ole organisaatiossa." in visible_text(await unknown_unit.text())
        no_year = await upload(client, SAMPLE, year="vuosi")
        assert no_year.status == 422
        assert "Anna kyselyn vuosi numeroina" in visible_text(await no_year.text())
        wrong_kind = await upload(client, b"PK\x03\x04 broken", name="tulokset.xlsx")
        assert wrong_kind.status == 422
        assert "Tulostiedostoa ei voitu lukea" in visible_text(await wrong_kind.text())
    assert stored(demo) is None


async def test_a_second_upload_of_the_year_asks_before_it_replaces(demo: Demo, clock: Clock) -> None:
    changed = SAMPLE.replace(b"Kotihoito;12;14", b"Kotihoito;13;14")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        assert (await upload(client, SAMPLE)).status == 303
        asked = await upload(client, changed, name="korjattu.csv")
        assert asked.status == 200
        page = await asked.text()
        shown = visible_text(page)
        assert "Korvataanko vuoden 2026 tulokset?" in shown
        assert "Tiedosto korjattu.csv on tarkistettu ja kelpaa." in shown
        kotihoito = demo.team("kotihoito").id
        before = stored(demo)
        assert before is not None and before.units[kotihoito].respondents == 12  # nothing replaced before a yes
        confirmed = await client.post(PATH, data=hidden_fields(page), allow_redirects=False)
        assert confirmed.status == 303
    after = stored(demo)
    assert after is not None and after.units[kotihoito].respondents == 13


async def test_a_supervisor_is_refused_and_a_stranger_sent_to_sign_in(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        anonymous = await client.get(PATH, allow_redirects=False)
        assert anonymous.status == 303 and anonymous.headers["Location"] == "/signin"
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        response = await client.get(PATH)
        assert response.status == 403
        assert "Vain työhyvinvointikoordinaattori voi tuoda kyselyn tuloksia." in visible_text(await response.text())
        front = await (await client.get("/dashboard")).text()
        assert f'href="{PATH}"' not in front
        form = FormData()
        form.add_field("year", "2026")
        form.add_field("file", SAMPLE, filename="tulokset.csv")
        assert (await client.post(PATH, data=form)).status == 403
        assert (await client.get(f"{PATH}/template.csv")).status == 403
    assert stored(demo) is None


async def test_a_post_without_the_forms_token_is_refused(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        form = FormData()
        form.add_field("csrf", "0" * 64)
        form.add_field("year", "2026")
        form.add_field("file", SAMPLE, filename="tulokset.csv")
        response = await client.post(PATH, data=form)
        assert response.status == 403
        assert "Lomake oli vanhentunut" in visible_text(await response.text())
    assert stored(demo) is None


async def test_the_template_downloads_with_the_units(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get(f"{PATH}/template.csv?lang=sv")
        assert response.status == 200
        assert response.headers["Content-Disposition"] == 'attachment; filename="tyhy-survey-template.csv"'
        lines = (await response.read()).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Enhet;Svarande;Inbjudna;QWL-index;FE;YI;PL;Chefsarbete;")
        assert [line.split(";")[0] for line in lines[1:]] == [
            "Esimerkkilän kunta",
            "Kotihoito",
            "Perusturva",
            "Ruokapalvelu",
        ]
        workbook = await client.get(f"{PATH}/template.xlsx")
        assert workbook.status == 200 and (await workbook.read()).startswith(b"PK")
