"""Action owners hear of their actions: when one is given to them, and a week before its day, in their language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from adapters.server.jobs_wiring import JobHandlers
from bot.flows.plan_edit_forms import ACTION_OWNER, ACTION_TEXT
from bot.flows.plan_owners import ActionReminders
from bot.messages import Reply
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction
from scheduler.planner import JobKind
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat


def with_action(demo: Demo, action: PlanAction, target_number: int = 1) -> DevelopmentPlan:
    """The kotihoito plan with one more action under the target, saved."""
    plans = PlanRepository(demo.db)
    plan = plans.current(demo.team("kotihoito").id)
    assert plan is not None
    target = plan.targets[target_number - 1]
    changed = replace(target, actions=(*target.actions, action))
    return plans.save(replace(plan, targets=tuple(changed if t.id == target.id else t for t in plan.targets)))


@pytest.fixture
def reminders(demo: Demo) -> ActionReminders:
    return ActionReminders(OrganisationRepository(demo.db), PlanRepository(demo.db))


def test_the_owner_is_reminded_a_week_before_in_their_own_chat(
    demo: Demo, clock: Clock, chat: FakeChat, reminders: ActionReminders
) -> None:
    anna, elina = demo.person("Anna"), demo.person("Elina")
    today = clock.now.date()  # Monday 23.11.2026
    with_action(demo, PlanAction("Varahenkilölista tauluun", anna.id, today + timedelta(days=7)))
    with_action(demo, PlanAction("Palautekortit", anna.id, today + timedelta(days=7)), target_number=2)
    with_action(demo, PlanAction("Jo tehty", elina.id, today + timedelta(days=7), ActionStatus.DONE))
    with_action(demo, PlanAction("Myöhemmin", elina.id, today + timedelta(days=8)))
    reply = reminders.send_due_soon(demo.team("kotihoito").id, clock.now)
    # One message per action (each its own outbox key), to its owner only: not the done one, not tomorrow's.
    assert [m.member_id for m in reply.messages] == [anna.id, anna.id]
    assert len({m.topic for m in reply.messages}) == 2
    first, second = chat.deliver(reply)
    assert first in chat.inbox(anna) and first.card.kind == "plan_action_due"
    assert first.text == (
        "Toimenpiteesi määräpäivä lähestyy\n"
        "Muistutus: *Varahenkilölista tauluun* on sovittu valmiiksi 30.11.2026 (Kotihoito-tiimin kehittämiskohde "
        "”Työvuorot ennakoitaviksi”). Jos se on jo tehty tai jumissa, kerro esihenkilöllesi, niin tilanne päivittyy "
        "seurantaan."
    )
    assert "”Palautetta säännöllisesti”" in second.text
    # The next day's job reminds of the next day's action only: each runs on its own day.
    tomorrow = reminders.send_due_soon(demo.team("kotihoito").id, clock.now + timedelta(days=1))
    assert [m.member_id for m in tomorrow.messages] == [elina.id] and "*Myöhemmin*" in chat.deliver(tomorrow)[0].text


def test_the_scheduler_job_sends_the_reminder_in_the_owners_language(demo: Demo, clock: Clock, chat: FakeChat) -> None:
    juha = demo.person("Juha")
    OrganisationRepository(demo.db).set_member_language(juha.id, "sv")
    with_action(demo, PlanAction("Varahenkilölista", juha.id, date(2026, 11, 30)))
    handle = JobHandlers(demo.db)
    [message] = handle(JobKind.ACTION_DUE, demo.team("kotihoito").id, False, clock.now).messages
    [posted] = chat.deliver(Reply((message,)))
    assert posted.text.startswith("Din åtgärd ska snart vara klar\nPåminnelse: *Varahenkilölista* ska enligt planen")
    assert "klar 30.11.2026 (utvecklingsområdet ”Työvuorot ennakoitaviksi” för Kotihoito)" in posted.text


def test_an_owner_is_told_once_when_given_an_action_and_not_for_their_own(demo: Demo, chat: FakeChat) -> None:
    pirjo, elina = demo.supervisor("kotihoito"), demo.person("Elina")
    chat.say(pirjo, "päivitä")
    chat.tap(pirjo, "Lisää toimenpide kohteeseen 1")
    form = {ACTION_TEXT: "Oma juttu", ACTION_OWNER: str(pirjo.id)}
    saved = chat.tap(pirjo, "Tallenna", form=form)
    assert [p.text for p in saved][1:] == ["Toimenpide lisätty."]  # no note to the one who took it themselves
    before = len(chat.inbox(elina))
    chat.tap(pirjo, "Muokkaa toimenpidettä 1.3")
    saved = chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: "Oma juttu", ACTION_OWNER: str(elina.id)})
    [told] = [p for p in saved if p in chat.inbox(elina)]
    assert told.text.startswith("Sinulle on annettu toimenpide – Kotihoito\nPirjo Mäkelä kirjasi sinut")
    assert "Aikataulu: ei vielä sovittu" in told.text
    # Saved again with the same owner (a new text): no second note.
    chat.tap(pirjo, "Muokkaa toimenpidettä 1.3")
    chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: "Oma juttu, tarkennettu", ACTION_OWNER: str(elina.id)})
    assert len(chat.inbox(elina)) == before + 1
