"""The calendar editor over real HTTP: only the wellbeing officer, a session-bound form token, import's validation."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from adapters.files.calendar_file import calendar_to_yaml
from bot.calendar import AnnualCalendar
from bot.organisation import Role
from storage.calendar_repository import CalendarRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, table_rows, visible_text

PATH = "/dashboard/calendar"
Client = TestClient[web.Request, web.Application]


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def saved(demo: Demo) -> AnnualCalendar:
    return CalendarRepository(demo.db).get(demo.org.id)


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden fields of the advanced view's form (the one holding the YAML text)."""
    found = re.search(r"<form[^>]*>((?:(?!</form>).)*)<textarea", page, flags=re.DOTALL)
    assert found is not None, "no YAML form on the page"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found[1])
        if name != "lang"
    }


def textarea(page: str) -> str:
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, flags=re.DOTALL)
    assert found is not None, "no textarea on the page"
    return html.unescape(found[1]).removeprefix("\n")  # a browser drops the newline right after <textarea>


async def open_editor(client: Client) -> tuple[str, dict[str, str], str]:
    """The page as the officer opens it: its HTML, the hidden fields and the text in the textarea."""
    response = await client.get(PATH)
    assert response.status == 200, await response.text()
    page = await response.text()
    return page, hidden_fields(page), textarea(page)


async def post(client: Client, fields: dict[str, str], text: str) -> ClientResponse:
    return await client.post(PATH, data={**fields, "calendar": text}, allow_redirects=False)


async def test_the_officer_sees_the_steps_and_the_yaml_that_export_writes(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page, fields, text = await open_editor(client)
        assert text == calendar_to_yaml(saved(demo), "fi")
        assert set(fields) == {"csrf", "base"}
        assert '<html lang="fi">' in page
        assert '<a href="/dashboard/calendar">Vuosikello</a>' in page  # in the navigation
        rows = table_rows(page)
        assert len(rows) == len(saved(demo).steps)
        assert rows[0] == "to 15.1.2026 Työhyvinvointikysely 15.1. kaikki kyllä"
        assert "ti 15.9.2026 Yksikön välikysely 15.9. kaikki ei" in rows
        assert "to 28.5.2026 Suunnitelman seuranta 28.5. 28.5. kaikki kyllä" in rows
        shown = visible_text(page)
        assert "Vuoden 2026 vaiheet" in shown
        assert 'for="calendar-text"' in page and 'aria-describedby="calendar-help"' in page


async def test_a_valid_edit_is_saved_and_the_new_table_shown(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(client)
        edited = text.replace("date: 28.5.", "date: 2.6.").replace("pulse_every_weeks: 4", "pulse_every_weeks: 6")
        edited = edited.replace("\n", "\r\n")  # as a browser sends a textarea
        response = await post(client, fields, edited)
        assert response.status == 303
        assert response.headers["Location"] == "/dashboard/calendar?saved=1"
        calendar = saved(demo)
        spring = calendar.step("follow_up_spring")
        assert (spring.day, spring.month) == (2, 6)
        assert calendar.pulse_every_weeks == 6
        page = await (await client.get(response.headers["Location"])).text()
        shown = visible_text(page)
        assert "Tallennettu – botti suunnittelee viestit uudelleen 30 sekunnin kuluessa." in shown
        assert "ti 2.6.2026 Suunnitelman seuranta 2.6. 2.6. kaikki kyllä" in table_rows(page)
        assert "Pulssikysely 6 viikon välein" in shown


async def test_an_invalid_edit_names_the_line_keeps_the_text_and_saves_nothing(demo: Demo, clock: Clock) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(client)
        edited = text.replace("date: 28.5.", "date: 31.2.")
        line = edited.splitlines().index("    date: 31.2.") + 1
        response = await post(client, fields, edited)
        assert response.status == 422
        page = await response.text()
        shown = visible_text(page)
        assert f"Rivi {line}: vaiheen follow_up_spring päivää ”31.2.” ei ole." in shown
        assert f"Rivillä {line} lukee: date: 31.2." in shown
        assert textarea(page) == edited
        assert 'aria-describedby="calendar-help calendar-problem"' in page
        assert 'id="calendar-problem"' in page and 'aria-invalid="true"' in page
        assert shown.index(f"Rivi {line}") < shown.rindex("Tallenna vuosikello")  # above the YAML form's button
        assert '<details id="advanced" open>' in page  # the advanced view stays open on its refused text
    assert saved(demo) == before


async def test_an_unknown_unit_is_refused_as_import_refuses_it(demo: Demo, clock: Clock) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(client)
        edited = text.replace("    kind: workshop\n", "    kind: workshop\n    units: [kotihoito, sauna]\n")
        response = await post(client, fields, edited)
        assert response.status == 422
        assert "ei ole yksikköä ”sauna”" in visible_text(await response.text())
    assert saved(demo) == before


async def test_a_supervisor_is_refused_with_a_clear_message(demo: Demo, clock: Clock) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        response = await client.get(PATH)
        assert response.status == 403
        page = await response.text()
        assert "Vain työhyvinvointikoordinaattori voi katsoa ja muokata vuosikelloa" in visible_text(page)
        assert "<textarea" not in page
        front = await (await client.get("/dashboard")).text()
        assert 'href="/dashboard/calendar"' not in front  # no link to a page they cannot open
        posted = await client.post(PATH, data={"calendar": "pulse_every_weeks: 1\nsend_hour: 9\nsteps: []\n"})
        assert posted.status == 403
    assert saved(demo) == before


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_without_a_session_you_are_sent_to_sign_in(demo: Demo, clock: Clock, method: str) -> None:
    async with dashboard(demo, clock) as client:
        response = await client.request(method, PATH, data={"calendar": "x"}, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/signin"


@pytest.mark.parametrize("token", [None, "", "0" * 64])
async def test_a_post_without_a_valid_token_is_refused(demo: Demo, clock: Clock, token: str | None) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(client)
        if token is None:
            del fields["csrf"]
        else:
            fields["csrf"] = token
        response = await post(client, fields, text.replace("send_hour: 9", "send_hour: 7"))
        assert response.status == 403
        assert "Mitään ei tallennettu." in visible_text(await response.text())
    assert saved(demo) == before


async def test_a_token_from_another_session_is_refused(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as first, dashboard(demo, clock) as second:
        await sign_in(first, demo, clock, officer_id(demo))
        await sign_in(second, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(first)
        response = await post(second, fields, text.replace("send_hour: 9", "send_hour: 7"))
        assert response.status == 403
    assert saved(demo).send_hour == 9


async def test_a_save_over_a_newer_calendar_is_stopped_once(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, text = await open_editor(client)
        CalendarRepository(demo.db).save(demo.org.id, replace(saved(demo), send_hour=8))  # e.g. tyhy calendar import
        mine = text.replace("pulse_every_weeks: 4", "pulse_every_weeks: 2")
        response = await post(client, fields, mine)
        assert response.status == 409
        page = await response.text()
        assert "Vuosikelloa on muutettu sen jälkeen, kun avasit sivun." in visible_text(page)
        assert textarea(page) == mine
        assert saved(demo).send_hour == 8
        again = await post(client, hidden_fields(page), mine)  # saving again on purpose replaces the change
        assert again.status == 303
    assert (saved(demo).send_hour, saved(demo).pulse_every_weeks) == (9, 2)


@pytest.mark.parametrize(
    ("language", "title", "comment", "error"),
    [
        ("fi", "Vuosikellon muokkaus", "# Työhyvinvoinnin vuosikello.", "Rivi 2: lähetystunnin pitää olla 0–23"),
        ("sv", "Redigera årsklockan", "# Årsklockan för arbetshälsan.", "Rad 2: utskickstimmen ska vara 0–23"),
        ("en", "Edit the annual calendar", "# The wellbeing annual calendar.", "Line 2: the sending hour must be 0–23"),
    ],
)
async def test_the_page_and_its_errors_speak_the_viewers_language(
    demo: Demo, clock: Clock, language: str, title: str, comment: str, error: str
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get(f"{PATH}?lang={language}")
        page = await response.text()
        assert f'<html lang="{language}">' in page
        assert f"<h1>{title}</h1>" in page
        text = textarea(page)
        assert text == calendar_to_yaml(saved(demo), language) and text.startswith(comment)
        posted = await post(client, hidden_fields(page), "pulse_every_weeks: 4\nsend_hour: 25\nsteps: []\n")
        assert posted.status == 422
        assert error in visible_text(await posted.text())  # the session remembers the language


async def test_a_text_starting_with_an_empty_line_comes_back_whole(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        _, fields, _ = await open_editor(client)
        mine = "\npulse_every_weeks: many\nsend_hour: 9\nsteps: []\n"
        response = await post(client, fields, mine)
        page = await response.text()
        assert "Rivi 2: kentän pulse_every_weeks pitää olla kokonaisluku, ei ”many”." in visible_text(page)
        assert textarea(page) == mine  # line 2 in the error is line 2 in the box
