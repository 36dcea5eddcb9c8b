"""The evaluation and the printable plan on the dashboard: answers on the team page, missing ones for the officer."""

from __future__ import annotations

from bot.organisation import Role
from storage.plan_repository import PlanRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, visible_text
from tests.bot.flows.fake_chat import FakeChat


def evaluate_kotihoito(chat: FakeChat, demo: Demo) -> None:
    """Pirjo answers the evaluation in the chat and keeps the first carried item."""
    pirjo = demo.supervisor("kotihoito")
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None
    first, second = plan.targets
    form = chat.say(pirjo, "arviointi")[0]
    answers = {f"eval_outcome_{first.id}": "achieved", f"eval_outcome_{second.id}": "not_achieved"}
    answers |= {f"eval_kept_{s.id}": "yes" for s in plan.strengths}
    answers |= {f"eval_helped_{first.id}": "Yhteinen toivetaulukko", f"eval_next_{second.id}": "Palautekierros"}
    _, draft = chat.tap(pirjo, "Tallenna arviointi", on=form, form=answers)
    chat.tap(pirjo, "Mukaan", on=draft, question=next(b.id for b in draft.card.blocks if hasattr(b, "choices")))


def officer(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


async def test_the_team_page_shows_the_answered_evaluation_and_what_went_into_the_draft(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    evaluate_kotihoito(chat, demo)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        page = visible_text(await (await client.get("/dashboard/team/kotihoito")).text())
    assert "Vuoden arviointi (2026) Arvioitu 23.11.2026." in page
    assert "1. Työvuorot ennakoitaviksi Saavutettiin Yhteinen toivetaulukko" in page
    assert "Ei saavutettu" in page and "Palautekierros" in page
    assert "Autamme toisiamme kiireen keskellä. Pysyi" in page
    assert "Siirretty luonnokseen 2027" in page
    assert "Varahenkilöiden lista päivitetään Kesken jäänyt toimenpide Mukana" in page
    assert "Palautekierros Mitä seuraavaksi Päättämättä" in page


async def test_a_missing_evaluation_is_shown_to_the_officer_once_the_calendars_day_has_passed(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer(demo))
        before = visible_text(await (await client.get("/dashboard")).text())
        assert "Vuoden arvioinnit" in before and "Arviointi on kalenterissa 3.12.2026." in before
        assert "Arviointi puuttuu" not in before
        evaluate_kotihoito(chat, demo)
        clock.advance(days=14)  # past the 3 December evaluation day
        await sign_in(client, demo, clock, officer(demo))
        html = await (await client.get("/dashboard?lang=en")).text()
    after = visible_text(html)
    assert "Evaluations missing: 1" in after
    assert "Ruokapalvelu 2026 Evaluation missing: the calendar's evaluation day was 3 Dec 2026." in after
    assert "Kotihoito 2026 Evaluated on 23 Nov 2026." in after
    assert "<td class=overdue>Evaluation missing" in html  # marked, and said in words


async def test_the_team_page_prints_the_plan_with_owners_dates_and_successes_and_not_the_charts(
    demo: Demo, clock: Clock
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        html = await (await client.get("/dashboard/team/kotihoito")).text()
    assert "@media print{@page{size:A4" in html
    printed, _, screen_only = html.partition('<div class="no-print">')
    text = visible_text(printed)
    assert "Yhteinen toivetaulukko käyttöön" in text and "Pirjo Mäkelä" in text  # actions and owners
    assert "Onnistumisia tähän kohteeseen: 2" in text
    assert "Marraskuun vuorolista valmistui kolme viikkoa etuajassa!" in text  # a success tied to the first target
    assert "Asiakkaan omainen lähetti kiitoskortin" not in text  # tied to nothing
    assert "<svg" not in printed and "<svg" in screen_only  # charts stay on the screen
    assert "Tulostettuna tämä sivu mahtuu yhdelle A4-arkille" in visible_text(html)


async def test_every_visible_teams_plan_prints_on_a_sheet_of_its_own(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer(demo))
        everyone = await (await client.get("/dashboard/plans")).text()
        assert "Kaikkien tiimien suunnitelmat tulostettavina" in await (await client.get("/dashboard")).text()
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        own = await (await client.get("/dashboard/plans?lang=sv")).text()
    assert everyone.count('<section class="print-sheet">') == 3
    assert "Perehdytyslista kirjoitetaan" in everyone and "Yhteinen toivetaulukko käyttöön" in everyone
    assert own.count('<section class="print-sheet">') == 1 and "Perehdytyslista" not in own
    assert "Utvecklingsplaner" in own and "Varje team skrivs ut på ett eget A4-ark." in visible_text(own)
