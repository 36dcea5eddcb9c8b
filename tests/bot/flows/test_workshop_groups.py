"""Between the choosing and the workshop: small groups each get one target to prepare, in their own language."""

from __future__ import annotations

from bot.organisation import Member
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Demo
from tests.bot.flows.fake_chat import FakeChat, card_text


def group_fields(demo: Demo, *groups: list[Member]) -> dict[str, str]:
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None
    return {f"group_{t.id}": ",".join(str(m.id) for m in group) for t, group in zip(plan.targets, groups, strict=False)}


def test_each_group_member_gets_their_target_to_prepare_with_the_models_questions(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    anna, elina, ahmed, maria = (demo.person(n) for n in ("Anna", "Elina", "Ahmed", "Maria"))
    card = chat.say(pirjo, "työpaja")[0]
    assert card.card.kind == "workshop.groups"
    assert "Ryhmä kohteelle 1. Työvuorot ennakoitaviksi" in card_text(card.card)
    chat.tap(pirjo, "Lähetä ryhmille", form=group_fields(demo, [anna, elina], [ahmed, maria]))
    prepare = card_text(chat.last_card(anna).card)
    assert "Ryhmäsi valmistelee kehittämiskohdetta 1: *Työvuorot ennakoitaviksi" in prepare
    assert "Ryhmässäsi ovat myös Elina Salo." in prepare
    assert "*Tavoite*" in prepare and "työntekijän, esihenkilön ja työnantajan" in prepare
    assert "Your group prepares development target 2: *Palautetta" in card_text(chat.last_card(ahmed).card)
    assert "I din grupp finns också Ahmed Hassan." in card_text(chat.last_card(maria).card)
    summary = card_text(chat.last_card(pirjo).card)  # the groups card, now saying what went to whom
    assert "Lähetetty." in summary and "Anna Korhonen, Elina Salo" in summary
    assert not chat.inbox(demo.person("Juha"))  # not in any group


def test_a_person_in_two_groups_is_refused_and_nothing_is_sent(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    anna, elina = demo.person("Anna"), demo.person("Elina")
    chat.say(pirjo, "työpaja")
    answer = chat.tap(pirjo, "Lähetä ryhmille", form=group_fields(demo, [anna, elina], [anna]))
    assert [p.text for p in answer] == [
        "Anna Korhonen on valittu kahteen ryhmään. Jokainen valmistelee yhtä kohdetta: "
        "valitse hänelle yksi ryhmä ja lähetä uudelleen."
    ]
    assert not chat.inbox(anna) and not chat.inbox(elina)
    empty = chat.tap(pirjo, "Lähetä ryhmille", on=chat.last_card(pirjo), form={})
    assert "Yhteenkään ryhmään ei ole valittu ketään" in empty[0].text


def test_only_the_teams_leaders_hand_out_targets(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    assert "esihenkilö" in chat.say(anna, "tyopaja")[0].text
    kotihoito = str(demo.team("kotihoito").id)
    forged = chat.press(anna, "workshop.groups", kotihoito, form={"group_1": str(anna.id)})
    assert "esihenkilö" in forged[0].text
    marja = demo.supervisor("ruokapalvelu")  # leads another team
    assert "En löydä tätä tiimiä" in chat.press(marja, "workshop.groups", kotihoito)[0].text
    assert "Et johda Kotihoito-tiimiä" in chat.say(marja, "työpaja kotihoito")[0].text
    helena = demo.supervisor("perusturva")  # her unit has no plan yet
    assert "Perusturva-tiimillä ei ole vielä kehittämiskohteita" in chat.say(helena, "työpaja")[0].text
