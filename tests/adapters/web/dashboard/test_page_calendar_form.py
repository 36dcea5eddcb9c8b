"""The calendar page as the officer reads and edits it: names not codes, the day a step goes out, any year, a form."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from bot.calendar import AnnualCalendar
from bot.organisation import Role
from storage.calendar_repository import CalendarRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, table_rows, visible_text

PATH = "/dashboard/calendar"
Client = TestClient[web.Request, web.Application]
CODES = ("survey", "results_review", "choose_targets", "follow_up_spring", "unit_survey")


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def saved(demo: Demo) -> AnnualCalendar:
    return CalendarRepository(demo.db).get(demo.org.id)


class _FormFields(HTMLParser):
    """What a browser would send from the steps form: values, checked boxes and radios, the selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.select: str | None = None
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = "calendar-form" in found.get("class", "")
        if not self.inside:
            return
        if tag == "input":
            if found.get("type") in ("radio", "checkbox") and "checked" not in found:
                return
            self.fields.append((found["name"], found.get("value", "on")))
        elif tag == "select":
            self.select = found["name"]
        elif tag == "option" and self.select is not None and "selected" in found:
            self.fields.append((self.select, found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = _FormFields()
    parser.feed(page)
    assert parser.fields, "no steps form on the page"
    return parser.fields


def change(fields: list[tuple[str, str]], **new: str | list[str]) -> list[tuple[str, str]]:
    """The fields with some replaced (names written with __ for the colon: date__survey is date:survey)."""
    wanted = {name.replace("__", ":"): value for name, value in new.items()}
    kept = [(name, value) for name, value in fields if name not in wanted]
    for name, value in wanted.items():
        kept += [(name, v) for v in ([value] if isinstance(value, str) else value)]
    return kept


def problem_next_to(page: str, field_id: str) -> str:
    found = re.search(rf'id="{field_id}-problem" class="field-problem">([^<]*)<', page)
    assert found is not None, f"no problem shown next to {field_id}"
    return visible_text(found[1])


def input_value(page: str, field_id: str) -> str:
    found = re.search(rf'<input [^>]*id="{field_id}"[^>]*value="([^"]*)"', page)
    assert found is not None, f"no input {field_id}"
    return visible_text(found[1])


async def open_page(client: Client, query: str = "") -> str:
    response = await client.get(PATH + query)
    assert response.status == 200, await response.text()
    return await response.text()


async def post(client: Client, fields: list[tuple[str, str]]) -> ClientResponse:
    return await client.post(PATH, data=fields, allow_redirects=False)


async def test_the_table_shows_the_day_a_step_goes_out_and_its_rule_with_names(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await open_page(client, "?year=2028")
        rows = table_rows(page)
        # 15.1.2028 is a Saturday: the survey goes out on Monday, and the page says why the day moved.
        assert rows[0] == (
            "ma 17.1.2028 siirtyy arkipäivään, laskettu päivä la 15.1.2028 Työhyvinvointikysely 15.1. kaikki kyllä"
        )
        assert any(
            row.endswith("Tulosten läpikäynti 28 päivää vaiheen ”Työhyvinvointikysely” jälkeen kaikki kyllä")
            for row in rows
        )
        assert any("14 päivää vaiheen ”Vahvuuksien ja kehittämiskohteiden valinta” jälkeen" in row for row in rows)
        table = page.split("<table>", 1)[1].split("</table>", 1)[0]
        assert not [code for code in CODES if re.search(rf"\b{code}\b", visible_text(table))]
        legend = page.split('class="wheel-legend"', 1)[1]
        assert "ma 17.1.2028 Työhyvinvointikysely (15.1.)" in visible_text(legend)
        assert 'calendar-wheel"' in page and 'data-step="survey"' in page


async def test_past_and_next_years_can_be_chosen_and_others_are_refused_clearly(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        this_year = await open_page(client)
        assert "Vuoden 2026 vaiheet" in visible_text(this_year)
        assert '<option value="2026" selected>2026</option>' in this_year
        assert '<option value="2021">' in this_year and '<option value="2029">' in this_year
        past = await open_page(client, "?year=2024")
        assert "Vuoden 2024 vaiheet" in visible_text(past)
        assert table_rows(past)[0].startswith("ma 15.1.2024 Työhyvinvointikysely")
        assert '<option value="2024" selected>2024</option>' in past
        for bad in ("1999", "next", "2030"):
            refused = await client.get(f"{PATH}?year={bad}")
            assert refused.status == 400
            assert "Tätä vuotta ei voi näyttää. Valitse vuosi väliltä 2021–2029." in visible_text(await refused.text())


async def test_the_form_names_every_step_in_the_readers_language_never_its_code(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await open_page(client, "?lang=en")
        form = page.split('class="calendar-form"', 1)[1].split("</form>", 1)[0]
        shown = visible_text("<x " + form)
        assert "Wellbeing survey" in shown and "Plan follow-up 28.5." in shown and "After which step" in shown
        assert not [code for code in CODES if "_" in code and code in shown]  # "survey" is an English word too
        assert '<option value="choose_targets" selected>Choosing strengths and targets</option>' in form


async def test_a_form_edit_is_saved(demo: Demo, clock: Clock) -> None:
    team = demo.org.teams[0]
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        fields = form_fields(await open_page(client))
        edited = change(
            fields,
            when__workshop="date",
            date__workshop="3.4.",
            days__results_review="21",
            scope__plan="chosen",
            unit__plan=[team.key],
            enabled__unit_survey="on",
            pulse_every_weeks="6",
            send_hour="8",
        )
        response = await post(client, edited)
        assert response.status == 303, visible_text(await response.text())
        assert response.headers["Location"] == "/dashboard/calendar?saved=1"
    calendar = saved(demo)
    workshop = calendar.step("workshop")
    assert (workshop.after, workshop.day, workshop.month) == (None, 3, 4)
    assert calendar.step("results_review").offset_days == 21
    assert calendar.step("plan").units == (team.key,)
    assert calendar.step("unit_survey").enabled
    assert (calendar.pulse_every_weeks, calendar.send_hour) == (6, 8)


async def test_a_refused_form_says_why_next_to_each_field_and_keeps_what_was_typed(demo: Demo, clock: Clock) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        fields = form_fields(await open_page(client))
        edited = change(
            fields,
            date__survey="31.2.",
            days__workshop="400",
            scope__evaluation="chosen",
            send_hour="25",
            enabled__unit_survey="on",
        )
        response = await post(client, edited)
        assert response.status == 422
        page = await response.text()
        assert "Vuosikelloa ei tallennettu. Korjaa merkityt kohdat:" in visible_text(page)
        assert problem_next_to(page, "f-date-survey") == (
            "Päivää ”31.2.” ei ole. Kirjoita päivä muodossa päivä.kuukausi., esim. 15.1."
        )
        assert problem_next_to(page, "f-days-workshop") == "Anna kokonaisluku väliltä -365–365, ei ”400”."
        assert problem_next_to(page, "f-send_hour") == "Anna kokonaisluku väliltä 0–23, ei ”25”."
        assert problem_next_to(page, "f-scope-evaluation") == "Valitse ainakin yksi tiimi tai kaikki tiimit."
        assert input_value(page, "f-date-survey") == "31.2."  # what was typed, not the saved 15.1.
        assert 'aria-invalid="true" aria-describedby="f-date-survey-problem"' in page
        assert input_value(page, "f-days-workshop") == "400" and input_value(page, "f-send_hour") == "25"
        kept = dict(form_fields(page))
        assert kept["enabled:unit_survey"] == "on" and kept["scope:evaluation"] == "chosen"
    assert saved(demo) == before


async def test_a_loop_of_steps_is_refused_by_name(demo: Demo, clock: Clock) -> None:
    before = saved(demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        fields = form_fields(await open_page(client, "?lang=sv"))
        response = await post(client, change(fields, when__survey="after", after__survey="plan", days__survey="7"))
        assert response.status == 422
        page = await response.text()
        assert problem_next_to(page, "f-after-survey").startswith(
            "Skedena skulle följa varandra i en cirkel (Arbetshälsoenkät → Utvecklingsplanen skrivs ner →"
        )
    assert saved(demo) == before


async def test_a_form_save_over_a_newer_calendar_is_stopped_and_keeps_what_was_typed(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        fields = form_fields(await open_page(client))
        CalendarRepository(demo.db).save(demo.org.id, replace(saved(demo), send_hour=8))  # e.g. tyhy calendar import
        response = await post(client, change(fields, pulse_every_weeks="2"))
        assert response.status == 409
        page = await response.text()
        assert "Vuosikelloa on muutettu sen jälkeen, kun avasit sivun." in visible_text(page)
        assert input_value(page, "f-pulse_every_weeks") == "2"
        assert saved(demo).send_hour == 8
        again = await post(client, form_fields(page))  # saving again on purpose replaces the change
        assert again.status == 303
    assert (saved(demo).send_hour, saved(demo).pulse_every_weeks) == (9, 2)
