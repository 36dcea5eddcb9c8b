"""Issue 4's bad input, each through the fully wired bot: a clear reply in the person's language, nothing changed."""

from __future__ import annotations

from datetime import timedelta

from adapters.server.wiring import build_conversation
from bot.flows.plan_edit_forms import STRENGTH_TEXT
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.messages import Select
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat


def wired(demo: Demo, clock: Clock) -> FakeChat:
    return FakeChat(build_conversation(demo.db, clock))


def test_an_unknown_action_id(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    maria = demo.person("Maria")  # Swedish
    reply = chat.press(maria, "pulse.nonexistent", "1:2")
    assert len(reply) == 1 and reply[0].text.startswith("Den här knappen")
    assert chat.press(maria, "totally.unknown", "x")[0].text.startswith("Den här knappen")


def test_a_card_from_a_round_that_has_closed(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    rounds = PulseRounds(OrganisationRepository(demo.db), PulseRepository(demo.db), PlanRepository(demo.db))
    created, reply = rounds.open_round(demo.org, [demo.team("kotihoito")], clock.now + timedelta(days=7), clock.now)
    chat.deliver(reply)
    anna = demo.person("Anna")
    card = chat.last_card(anna)
    first = next(block for block in card.card.blocks if isinstance(block, Select) and block.expanded)
    chat.pick(anna, first.choices[0].label, question=first.id, on=card)
    clock.advance(days=8)
    answered = chat.tap(anna, translate("fi", "pulse.send_button"), on=card)
    assert "päättynyt" in answered[-1].text and card.card.kind == "pulse_ended"
    assert created.id is not None
    assert PulseRepository(demo.db).tallies(created.id).tallies[0].respondents == 0


def test_a_staff_member_editing_the_plan(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    before = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    juha = demo.person("Juha")
    assert "esihenkilö" in chat.say(juha, "päivitä")[-1].text
    assert "esihenkilö" in chat.press(juha, "plan.edit.save_strength", "new", form={STRENGTH_TEXT: "x"})[-1].text
    assert PlanRepository(demo.db).current(demo.team("kotihoito").id) == before


def test_a_text_over_3000_characters(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    pirjo = demo.supervisor("kotihoito")
    before = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    chat.say(pirjo, "päivitä")
    chat.tap(pirjo, "Lisää vahvuus")
    refused = chat.tap(pirjo, "Tallenna", form={STRENGTH_TEXT: "ä" * 3001})
    assert "liian pitkä" in refused[-1].text
    assert PlanRepository(demo.db).current(demo.team("kotihoito").id) == before


def test_a_time_that_cannot_be_understood(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    ahmed = demo.person("Ahmed")  # English
    chat.say(demo.supervisor("kotihoito"), "kieli en")
    answer = chat.say(demo.supervisor("kotihoito"), "remind someday maybe")[-1].text
    assert "tomorrow at 2 pm" in answer or "tomorrow" in answer
    assert "supervisor" in chat.say(ahmed, "remind tomorrow")[-1].text


def test_an_empty_success(demo: Demo, clock: Clock) -> None:
    chat = wired(demo, clock)
    anna = demo.person("Anna")
    before = SuccessRepository(demo.db).for_team(demo.team("kotihoito").id)
    for empty in ("onnistuminen", "onnistuminen    ", "<@U0BOT> onnistuminen"):
        answer = chat.say(anna, empty)[-1].text
        assert "onnistuminen" in answer  # asks for the text, with an example
    assert SuccessRepository(demo.db).for_team(demo.team("kotihoito").id) == before
    assert chat.channel(demo.team("kotihoito")) == []
