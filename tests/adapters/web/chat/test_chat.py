"""The web chat over real HTTP: pick a person, write to the bot, answer a pulse card in place, move the demo clock."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.server.runtime import BotRuntime
from adapters.web.chat.demo_clock import DemoClock
from adapters.web.chat.local_only import KEY_COOKIE, entry_url, new_key
from adapters.web.chat.routes import add_chat_routes
from bot.i18n import translate
from bot.organisation import Member
from scheduler import jobs
from storage.db import Database
from storage.models import Base
from storage.org_repository import OrganisationRepository
from tests.adapters.web.dashboard.page_helpers import visible_text
from tests.bot.flows.conftest import START
from tests.demo_copy import demo_in

Client = TestClient[web.Request, web.Application]


@dataclass
class World:
    """A running bot on the demo organisation in SQLite, its chat pages on a real server, and the demo clock."""

    db: Database
    runtime: BotRuntime
    clock: DemoClock
    client: Client
    members: list[Member]
    key: str

    def person(self, name: str) -> Member:
        return next(m for m in self.members if m.name.startswith(name))

    async def page(self, path: str) -> str:
        response = await self.client.get(path)
        assert response.status == 200, await response.text()
        return await response.text()

    async def post(self, path: str, data: dict[str, str]) -> str:
        """Post a form as a browser does: the answer is a redirect, and the page it leads to is what one sees."""
        response = await self.client.post(path, data=data, allow_redirects=False)
        assert response.status == 303, await response.text()
        location = response.headers["Location"]
        assert location.startswith(path.split("/say")[0].split("/act")[0].split("/clock")[0])
        return await self.page(location.split("#")[0])


def _empty(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


async def serve_chat(db: Database, *, demo: bool) -> AsyncIterator[World]:
    _empty(db)
    demo_in(db, START)
    clock = DemoClock(wall=lambda: START)  # the wall stands still: only the demo's own moves change the date
    runtime = BotRuntime(db, clock=clock, schedule=False)
    await runtime.start()
    app = web.Application()
    key = new_key()
    add_chat_routes(app, runtime, db, demo=demo, key=key)
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            entered = await client.get(entry_url("", key), allow_redirects=False)  # the link the server printed
            assert entered.status == 303 and entered.cookies[KEY_COOKIE].value == key
            yield World(db, runtime, clock, client, OrganisationRepository(db).members(), key)
    finally:
        await runtime.stop()
        _empty(db)


@pytest.fixture
async def world(sqlite_database: Database) -> AsyncIterator[World]:
    async for served in serve_chat(sqlite_database, demo=True):
        yield served


async def wait_until(condition: Callable[[], object], seconds: float = 30) -> None:
    """Poll, bounded: the bound is a safety net for a stuck worker, not a measurement."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the bot did not deliver in time"
        await asyncio.sleep(0.05)


def articles(page: str) -> dict[str, str]:
    """Every message on the page: its id and its HTML."""
    found = re.findall(r'<article class="msg[^"]*" id="([^"]+)"[^>]*>(.*?)</article>', page, flags=re.DOTALL)
    return dict(found)


def button_value(fragment: str, label: str) -> str:
    """The value the button with this visible label posts."""
    for value, text in re.findall(r'<button type="submit" name="press" value="([^"]*)"[^>]*>(.*?)</button>', fragment):
        if visible_text(text).removeprefix("✓ ") == label:
            return str(html.unescape(value))
    raise AssertionError(f"no button {label!r} in: {visible_text(fragment)}")


def question(card: str, number: int) -> str:
    """The fieldset of the card's question `number` (1-based)."""
    match = re.search(rf'<fieldset class="question[^"]*" id="[^"]*-q{number}">(.*?)</fieldset>', card, flags=re.DOTALL)
    assert match, f"no question {number}"
    return match.group(1)


def radio_value(fragment: str, label: str) -> str:
    """The value the radio button with this visible label posts when picked."""
    for value, text in re.findall(
        r'<label><input type="radio" name="[^"]*" value="([^"]*)"[^>]*>(.*?)</label>', fragment
    ):
        if visible_text(text) == label:
            return str(html.unescape(value))
    raise AssertionError(f"no radio button {label!r} in: {visible_text(fragment)}")


def checked(fragment: str) -> list[str]:
    """The values of the radio buttons drawn checked."""
    return re.findall(r'<input type="radio" name="[^"]*" value="([^"]*)"[^>]*checked>', fragment)


# --- picking a person -----------------------------------------------------------------------------------


async def test_the_front_page_lists_the_organisation_and_opens_a_persons_chat(world: World) -> None:
    page = await world.page("/")
    assert '<html lang="fi">' in page
    assert '<label for="member">Organisaation jäsen</label><select id="member" name="member" required>' in page
    anna = world.person("Anna")
    assert f'<option value="{anna.id}">Anna Korhonen (työntekijä)</option>' in page
    assert '<optgroup label="Kotihoito">' in page

    response = await world.client.get(f"/chat?member={anna.id}&lang=en", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == f"/chat/{anna.id}?lang=en"
    page = await world.page(response.headers["Location"])
    assert '<html lang="en">' in page
    text = visible_text(page)
    assert "Chat as Anna Korhonen" in text and "Direct messages" in text and "Team channel: Kotihoito" in text
    assert "No messages yet." in text
    assert '<label for="say">Your message</label>' in page


async def test_an_unknown_person_gets_a_clear_404_page(world: World) -> None:
    for path in ("/chat/999999", "/chat/nobody", "/chat/%C2%B2", "/chat/99999999999999999999999"):
        response = await world.client.get(path + "?lang=en")
        assert response.status == 404
        text = visible_text(await response.text())
        assert "No such person" in text and "no member with this number" in text
    response = await world.client.post("/chat/999999/say", data={"text": "apua"}, allow_redirects=False)
    assert response.status == 404


async def test_the_language_switch_keeps_the_person(world: World) -> None:
    anna = world.person("Anna")
    page = await world.page(f"/chat/{anna.id}?lang=sv")
    assert '<html lang="sv">' in page and "Chatt som Anna Korhonen" in visible_text(page)
    assert f'<form method="get" action="/chat/{anna.id}">' in page
    assert '<option value="sv" lang="sv" selected>Svenska</option>' in page
    # the header's way back to the picker and on to the dashboard stays in Swedish
    assert '<a href="/?lang=sv">' in page and '<a href="/dashboard?lang=sv">' in page


# --- writing to the bot ---------------------------------------------------------------------------------


async def test_help_is_answered_on_the_page_and_a_reload_sends_nothing_again(world: World) -> None:
    anna = world.person("Anna")
    page = await world.post(f"/chat/{anna.id}/say?lang=fi", {"text": "apua"})
    assert "apua – tämä ohje" in visible_text(page)
    assert len(articles(page)) == 1
    again = await world.page(f"/chat/{anna.id}?lang=fi")  # the reload after the redirect
    assert len(articles(again)) == 1


async def test_the_page_language_is_the_language_the_bot_answers_in(world: World) -> None:
    anna = world.person("Anna")
    page = await world.post(f"/chat/{anna.id}/say?lang=en", {"text": "help"})
    assert "help – this help" in visible_text(page)


async def test_a_success_is_posted_and_thanked(world: World) -> None:
    anna = world.person("Anna")
    page = await world.post(f"/chat/{anna.id}/say?lang=fi", {"text": "onnistuminen Vuorolista valmistui ajoissa!"})
    assert "Vuorolista valmistui ajoissa!" in visible_text(page)
    juha = world.person("Juha")  # a teammate sees it in the team's channel
    assert "Vuorolista valmistui ajoissa!" in visible_text(await world.page(f"/chat/{juha.id}?lang=fi"))


# --- a pulse card, answered in place --------------------------------------------------------------------


async def test_a_pulse_card_is_answered_by_picking_radio_buttons_and_sending_the_form(world: World) -> None:
    anna = world.person("Anna")
    await asyncio.to_thread(jobs.execute, "pulse_round:test", "pulse_round", 0, False)
    world.runtime.worker.wake()
    await wait_until(lambda: world.runtime.inbox.messages(f"dm-{anna.id}"))

    chat = f"/chat/{anna.id}"
    page = await world.page(chat + "?lang=fi")
    [(card_id, card)] = articles(page).items()
    assert "Pulssikysely: Kotihoito" in visible_text(card)
    questions = len(re.findall(r'<fieldset class="question choices"', card))
    assert questions == 5
    assert '<button type="submit" name="press"' not in question(card, 1)  # a pick posts nothing by itself
    assert radio_value(question(card, 2), translate("fi", "likert.4")) == "4"

    # The browser keeps the picks until Send posts the form: a missing one brings the card back once, picks kept.
    send = button_value(card, translate("fi", "pulse.send_button"))
    picks = {"q1": "4", "q2": "5", "q4": "0", "q5": "2"}
    page = await world.post(chat + "/act?lang=fi", {"message": card_id, "press": send, **picks, "comment": "Hyvä"})
    assert list(articles(page)) == [card_id]  # the same message, drawn again
    card = articles(page)[card_id]
    assert checked(question(card, 1)) == ["4"] and checked(question(card, 3)) == []
    assert "Vastaamatta 1/5" in visible_text(card)

    form = {"message": card_id, "press": send, **picks, "q3": "3", "comment": "Hyvä tiimi"}
    page = await world.post(chat + "/act?lang=fi", form)
    assert list(articles(page)) == [card_id]
    text = visible_text(articles(page)[card_id])
    assert "Kiitos vastauksistasi!" in text and "Kommenttisi tallennettiin ilman nimeäsi." in text
    assert "Lähetä vastaukset" not in text and 'type="radio"' not in articles(page)[card_id]


async def test_a_button_no_longer_on_the_card_is_refused_with_a_word(world: World) -> None:
    anna = world.person("Anna")
    await asyncio.to_thread(jobs.execute, "pulse_round:test", "pulse_round", 0, False)
    world.runtime.worker.wake()
    await wait_until(lambda: world.runtime.inbox.messages(f"dm-{anna.id}"))
    [card_id] = articles(await world.page(f"/chat/{anna.id}?lang=fi"))
    page = await world.post(f"/chat/{anna.id}/act?lang=fi", {"message": card_id, "press": "pulse.send 1"})
    assert "Kortti on muuttunut välillä." in visible_text(page)
    juha = world.person("Juha")  # nor can anyone press a card in someone else's conversation
    page = await world.post(f"/chat/{juha.id}/act?lang=fi", {"message": card_id, "press": "pulse.send 1"})
    assert "Kortti on muuttunut välillä." in visible_text(page)


# --- the demo's clock -----------------------------------------------------------------------------------


async def test_moving_the_clock_brings_the_prompts_that_fall_due(world: World) -> None:
    anna = world.person("Anna")
    page = await world.page(f"/chat/{anna.id}?lang=en")
    assert "In the demo it is now 23 Nov 2026 10:00." in visible_text(page)

    page = await world.post(f"/chat/{anna.id}/clock?lang=en", {"advance": "day"})
    assert "In the demo it is now 24 Nov 2026 10:00." in visible_text(page)

    page = await world.post(f"/chat/{anna.id}/clock?lang=en", {"advance": "next"})
    # The next prompt is a late team's weekly follow-up card (Ruokapalvelu's supervisor), on Wednesday morning.
    assert "In the demo it is now 25 Nov 2026 9:00." in visible_text(page)
    page = await world.post(f"/chat/{anna.id}/clock?lang=en", {"advance": "next"})
    # Then the organisation's pulse round on Monday morning: Anna's card arrives.
    assert "In the demo it is now 30 Nov 2026 9:00." in visible_text(page)
    await wait_until(lambda: world.runtime.inbox.messages(f"dm-{anna.id}"))
    page = await world.page(f"/chat/{anna.id}?lang=en")
    assert "Pulssikysely: Kotihoito" in visible_text(page)

    page = await world.post(f"/chat/{anna.id}/clock?lang=en", {"advance": "week"})
    assert "In the demo it is now 7 Dec 2026 9:00." in visible_text(page)


async def test_without_demo_mode_there_is_no_clock(sqlite_database: Database) -> None:
    async for served in serve_chat(sqlite_database, demo=False):
        anna = served.person("Anna")
        page = await served.page(f"/chat/{anna.id}?lang=en")
        assert "Move the clock" not in visible_text(page)
        response = await served.client.post(f"/chat/{anna.id}/clock", data={"advance": "week"})
        assert response.status in (404, 405)
        assert served.clock() == START


# --- the optional auto-refresh --------------------------------------------------------------------------


async def test_the_page_learns_of_new_messages_by_long_polling(world: World) -> None:
    anna = world.person("Anna")
    page = await world.page(f"/chat/{anna.id}?lang=fi")
    assert '<script src="/chat-refresh.js" defer></script>' in page
    changes = re.search(r'<meta name="tyhy-changes" content="([^"]+)">', page)
    assert changes is not None
    script = await world.client.get("/chat-refresh.js")
    assert script.status == 200 and script.content_type == "text/javascript"
    assert "script-src 'self'" in (await world.client.get(f"/chat/{anna.id}")).headers["Content-Security-Policy"]

    waiting = asyncio.create_task(world.client.get(html.unescape(changes.group(1))))
    await world.post(f"/chat/{anna.id}/say?lang=fi", {"text": "apua"})  # the bot answers: the poll ends
    response = await waiting
    assert response.status == 200 and await response.json() == {"changed": True}

    page = await world.page(f"/chat/{anna.id}?lang=fi")
    changes = re.search(r'<meta name="tyhy-changes" content="([^"]+)">', page)
    assert changes is not None and html.unescape(changes.group(1)) != f"/chat/{anna.id}/changes?stamp="
    other = await world.client.get(f"/chat/{anna.id}/changes?stamp=an-old-page")
    assert await other.json() == {"changed": True}  # a page drawn before the last message hears of it at once


def test_the_demo_clock_only_moves_forward() -> None:
    clock = DemoClock(wall=lambda: START)
    assert clock() == START
    clock.advance(-3)
    assert clock() == START
    clock.advance(1.5)
    assert clock() == START + timedelta(days=1, hours=12)
    clock.advance_to(START)  # already past: stays
    assert clock() == START + timedelta(days=1, hours=12)
    assert clock.advance_to(START + timedelta(days=7)) == START + timedelta(days=7) == clock()
    assert clock.offset == timedelta(days=7)


# --- a plan form refused for one field ------------------------------------------------------------------


async def test_a_plan_form_refused_for_one_field_comes_back_with_everything_typed(world: World) -> None:
    pirjo, ahmed = world.person("Pirjo"), world.person("Ahmed")
    chat = f"/chat/{pirjo.id}"
    page = await world.post(chat + "/say?lang=fi", {"text": "päivitä"})
    [card_id] = [key for key, html_ in articles(page).items() if "Suunnitelman muokkaus" in visible_text(html_)]
    add = button_value(articles(page)[card_id], "Lisää toimenpide kohteeseen 1")
    page = await world.post(chat + "/act?lang=fi", {"message": card_id, "press": add})
    save = button_value(articles(page)[card_id], "Tallenna")
    typed = {
        "action_text": "Vuorolistat <ajoissa>",
        "action_owner": str(ahmed.id),
        "action_due": "joskus keväällä",
        "action_status": "in_progress",
    }
    page = await world.post(chat + "/act?lang=fi", {"message": card_id, "press": save, **typed})
    form = articles(page)[card_id]  # the form in its place, drawn again by the server
    assert 'value="Vuorolistat &lt;ajoissa&gt;"' in form and 'value="joskus keväällä"' in form
    assert f'<option value="{ahmed.id}" selected>' in form and '<option value="in_progress" selected>' in form
    assert "En saanut aikataulusta selvää" in visible_text(form)
    assert "”maaliskuun loppuun mennessä”" in visible_text(page.split(form)[1])  # and said below it
    assert "Vuorolistat <ajoissa>" not in visible_text(page.replace(form, ""))  # nothing saved

    page = await world.post(chat + "/act?lang=fi", {"message": card_id, "press": save, **typed, "action_due": "vko 12"})
    shown = visible_text(articles(page)[card_id])
    assert "Vuorolistat <ajoissa> · vastuu: Ahmed Hassan · aikataulu: 22.3.2027 (vko 12) · käynnissä" in shown
    assert "Aikatauluksi kirjattiin 22.3.2027 (”vko 12”)." in visible_text(page)
