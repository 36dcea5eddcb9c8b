"""The wellbeing officer's needs page over real HTTP: the list, the answer form behind sign-in and CSRF, and the
answer to the team's channel through the outbox (stored and queued together, once)."""

from __future__ import annotations

import html
import json
import re

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.message_codec import decode_message
from bot.organisation import Role
from storage.need_repository import NeedRepository
from storage.outbox_models import OutboxRow
from storage.plan_repository import PlanRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, table_rows, visible_text
from tests.bot.flows.fake_chat import FakeChat, card_text
from tests.bot.flows.workshop_helpers import choose

PATH = "/dashboard/needs"
Client = TestClient[web.Request, web.Application]


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def raise_need(chat: FakeChat, demo: Demo, about: str, text: str) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "tarve")
    chat.tap(pirjo, "Vie listalle", form={"about": about, "kind": "resources", "text": text})


def form_fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
        if name != "lang"
    }


def queued_answers(demo: Demo) -> list[str]:
    """The visible text of every answer queued for a team channel."""
    with demo.db.transaction() as session:
        rows = session.execute(select(OutboxRow.key, OutboxRow.payload).where(OutboxRow.key.like("need:%"))).all()
    return [card_text(decode_message(json.loads(payload)).card) for _, payload in rows]  # type: ignore[arg-type]


async def post(client: Client, fields: dict[str, str], response: str) -> ClientResponse:
    return await client.post(PATH, data={**fields, "response": response}, allow_redirects=False)


async def test_the_officer_answers_a_need_and_the_team_hears_it_in_its_channel(
    demo: Demo, clock: Clock, chat: FakeChat
) -> None:
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None and plan.targets[0].id is not None
    raise_need(chat, demo, f"target:{plan.targets[0].id}", "Sijaisbudjetti syksyksi")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get(PATH)).text()
        assert '<a href="/dashboard/needs">Tarpeet</a>' in page
        [row] = table_rows(page)
        assert row.startswith("Kotihoito 23.11.2026 Kehittämiskohde: Työvuorot ennakoitaviksi")
        assert "Resursseja Sijaisbudjetti syksyksi" in row
        fields = form_fields(page)
        assert set(fields) == {"csrf", "need"}
        response = await post(client, fields, "Budjettiin lisättiin kaksi sijaisvuoroa viikossa.\r\nAlkaa 1.1.")
        assert (response.status, response.headers["Location"]) == (303, "/dashboard/needs?saved=1")
        shown = visible_text(await (await client.get(response.headers["Location"])).text())
        assert "Tallennettu – tiimi saa vastauksen kanavalleen." in shown
        assert "Vastattu 23.11.2026: Budjettiin lisättiin kaksi sijaisvuoroa viikossa." in shown
        again = await post(client, fields, "Toinen vastaus")
        assert again.status == 409 and "eikä sitä lähetetty tiimille toista kertaa" in visible_text(await again.text())
    [answer] = queued_answers(demo)
    assert "Organisaatio vastasi tiimin tarpeeseen" in answer
    assert "Veimme organisaatiolle 23.11.2026: Työvuorot ennakoitaviksi" in answer
    assert "*Mitä tehtiin:* Budjettiin lisättiin kaksi sijaisvuoroa viikossa.\nAlkaa 1.1." in answer
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert need.response == "Budjettiin lisättiin kaksi sijaisvuoroa viikossa.\nAlkaa 1.1."


async def test_an_empty_answer_is_refused_with_the_form_kept_and_nothing_stored_or_sent(
    demo: Demo, clock: Clock, chat: FakeChat
) -> None:
    raise_need(chat, demo, "follow_up", "Etätyöohje")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        fields = form_fields(await (await client.get(PATH)).text())
        refused = await post(client, fields, "   ")
        assert refused.status == 422
        page = await refused.text()
        assert "Kirjoita, mitä asialle tehtiin: tiimi saa sen tiedoksi kanavallaan." in visible_text(page)
        assert 'aria-invalid="true"' in page
        forged = await post(client, {**fields, "csrf": "0" * 64}, "Tehty")
        assert forged.status == 403
        unknown = await post(client, {**fields, "need": "99999"}, "Tehty")
        assert unknown.status == 404
    assert NeedRepository(demo.db).for_organisation(demo.org.id)[0].is_open
    assert queued_answers(demo) == []


async def test_a_choice_shows_as_the_teams_choice_and_only_the_officer_sees_the_list(
    demo: Demo, clock: Clock, chat: FakeChat
) -> None:
    from bot.flows.choose_tally import words_key

    choose(demo, clock, pickers=6)
    raise_need(chat, demo, f"choice:{words_key('Perehdytys')}", "Perehdytysmateriaali HR:ltä")
    pickers = [m.name for m in demo.staff("kotihoito")]
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get(PATH)).text()
        assert "Tiimin valinta: Perehdytys" in visible_text(page)
        listed = visible_text(page.split("<tbody>", 1)[1])
        assert not [name for name in pickers if name in listed]  # nobody's name, not even the supervisor's
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        refused = await client.get(PATH)
        assert refused.status == 403
        assert "Vain työhyvinvointikoordinaattori näkee tiimien tarpeet" in visible_text(await refused.text())
    async with dashboard(demo, clock) as client:
        anonymous = await client.get(PATH, allow_redirects=False)
        assert anonymous.status == 303 and anonymous.headers["Location"].startswith("/signin")
