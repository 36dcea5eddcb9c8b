"""Needs beyond the team: a target, a choice or a follow-up carried to the organisation, never naming who chose it."""

from __future__ import annotations

from sqlalchemy import inspect

from bot.flows.choose_tally import words_key
from bot.messages import Card, Select
from bot.org_needs import NeedKind, NeedSource
from storage.need_repository import NeedRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, card_text
from tests.bot.flows.workshop_helpers import choose


def subjects(card: Card) -> list[str]:
    about = next(block for block in card.blocks if isinstance(block, Select) and block.id == "about")
    return [choice.label for choice in about.choices]


def test_a_target_goes_to_the_officers_list_and_the_supervisor_gets_a_receipt(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    team = demo.team("kotihoito")
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    form = chat.say(pirjo, "tarve")[0]
    shown = card_text(form.card)
    assert "Viedään organisaatiolle: Kotihoito" in shown
    assert subjects(form.card)[0].startswith("Kehittämiskohde 1: Työvuorot ennakoitaviksi")
    assert subjects(form.card)[-1] == "Seurannassa esiin noussut asia"
    typed = {"about": f"target:{plan.targets[0].id}", "kind": "resources", "text": "  Sijaisbudjetti  syksyksi "}
    receipt = chat.tap(pirjo, "Vie listalle", form=typed)
    assert "Viety työhyvinvointikoordinaattorin listalle (Resursseja): Sijaisbudjetti syksyksi" in receipt[0].text
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert (need.team_id, need.source, need.kind, need.text) == (
        team.id,
        NeedSource.TARGET,
        NeedKind.RESOURCES,
        "Sijaisbudjetti syksyksi",
    )
    assert need.subject.startswith("Työvuorot ennakoitaviksi") and need.is_open


def test_a_choice_is_carried_as_the_teams_tally_item_and_names_no_one(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo = demo.supervisor("kotihoito")
    choose(demo, clock, pickers=6)
    chat.say(pirjo, "tarve")
    assert "Tiimin valinta: Perehdytys" in subjects(chat.last_card(pirjo).card)
    typed = {"about": f"choice:{words_key('Perehdytys')}", "kind": "other_unit", "text": "HR:n perehdytysmateriaali"}
    chat.tap(pirjo, "Vie listalle", form=typed)
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert (need.source, need.subject) == (NeedSource.CHOICE, "Perehdytys")
    # The table has no place for a person: not who chose it, nor who carried it.
    columns = {column["name"] for column in inspect(demo.db.engine).get_columns("org_needs")}
    assert not {name for name in columns if "member" in name or "by" in name}


def test_a_follow_up_card_opens_the_form_on_the_follow_up(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "seuranta")
    opened = chat.tap(pirjo, "Vie organisaatiolle")
    form = opened[0].card
    assert form.kind == "needs.form"
    about = next(block for block in form.blocks if isinstance(block, Select) and block.id == "about")
    assert about.selected == ("follow_up",)
    chat.tap(pirjo, "Vie listalle", on=opened[0], form={"about": "follow_up", "kind": "policy", "text": "Etätyöohje"})
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert (need.source, need.subject, need.kind) == (NeedSource.FOLLOW_UP, "", NeedKind.POLICY)


def test_bad_input_gets_a_clear_answer_and_nothing_is_saved(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "tarve")
    no_kind = chat.tap(pirjo, "Vie listalle", form={"about": "follow_up", "text": "Lisää tilaa"})
    assert no_kind[-1].text == "Valitse, mitä asia vaatii: resursseja, toisen yksikön mukaan tai linjauksia."
    empty = chat.tap(pirjo, "Vie listalle", on=chat.last_card(pirjo), form={"about": "follow_up", "kind": "policy"})
    assert "Kirjoita lyhyesti, mitä tarvitaan" in empty[-1].text
    forged = chat.tap(pirjo, "Vie listalle", on=chat.last_card(pirjo), form={"about": "target:999", "kind": "policy"})
    assert "Valitse, mistä on kyse" in forged[-1].text
    assert NeedRepository(demo.db).for_organisation(demo.org.id) == []
    anna = demo.person("Anna")
    assert "Organisaatiolle asioita vie tiimin esihenkilö" in chat.say(anna, "tarve")[0].text
    ahmed = demo.person("Ahmed")
    assert "The team's supervisor takes things to the organisation" in chat.say(ahmed, "need")[0].text


def test_the_officers_answer_reads_in_the_teams_language() -> None:
    from dataclasses import replace
    from datetime import UTC, date, datetime

    from bot.flows.needs_cards import answered_card
    from bot.org_needs import OrgNeed

    need = OrgNeed(
        1, NeedSource.CHOICE, NeedKind.RESOURCES, "Sijaisia", datetime(2027, 3, 1, tzinfo=UTC), subject="Perehdytys"
    )
    done = replace(need, response="Två vikarier till", responded_at=datetime(2027, 3, 8, tzinfo=UTC))
    swedish = card_text(answered_card(done, date(2027, 3, 1), "sv"))
    assert "Organisationen har svarat på teamets behov" in swedish
    assert "Vi tog upp med organisationen 1.3.2027: Perehdytys: Sijaisia" in swedish
    assert "*Vad som gjordes:* Två vikarier till" in swedish
    assert "We took this to the organisation on 1 Mar 2027" in card_text(answered_card(done, date(2027, 3, 1), "en"))
