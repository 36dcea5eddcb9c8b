"""After the workshop: its first actions go into the plan from one form, reached from the plan's edit card."""

from __future__ import annotations

from datetime import date

from bot.plan import DevelopmentPlan
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Demo
from tests.bot.flows.fake_chat import FakeChat, card_text


def current(demo: Demo) -> DevelopmentPlan:
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None
    return plan


def test_the_outcome_form_adds_each_targets_first_action_with_its_owner_and_day(chat: FakeChat, demo: Demo) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    before = current(demo)
    first, second = before.targets[0], before.targets[1]
    chat.say(pirjo, "päivitä")
    form = chat.tap(pirjo, "Kirjaa työpajan tulos")[0]
    assert form.card.kind == "planedit.workshop"
    assert "*1. Työvuorot ennakoitaviksi" in card_text(form.card)
    typed = {
        f"action_text_{first.id}": "Vuorolistapohja yhteiseen kansioon",
        f"action_owner_{first.id}": str(anna.id),
        f"action_due_{first.id}": "31.3.2027",
        f"action_text_{second.id}": "",  # no action yet: left for later
        f"target_goal_{second.id}": "Jokainen saa palautetta kuukausittain.",  # the goal the group presented
    }
    answer = chat.tap(pirjo, "Tallenna suunnitelmaan", on=form, form=typed)
    assert answer[-1].text == "Työpajan toimenpiteet on lisätty suunnitelmaan."
    assert answer[0].card.kind != "planedit.workshop"  # back on the edit card, now with the action
    after = current(demo)
    added = after.targets[0].actions[-1]
    assert (added.text, added.owner_id, added.due_on) == (
        "Vuorolistapohja yhteiseen kansioon",
        anna.id,
        date(2027, 3, 31),
    )
    assert len(after.targets[0].actions) == len(first.actions) + 1
    assert after.targets[1].actions == second.actions
    assert after.targets[1].goal == "Jokainen saa palautetta kuukausittain."
    assert after.targets[0].goal == first.goal  # a goal left as it stood is not touched


def test_a_bad_field_refuses_the_whole_form_and_nothing_is_added(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = current(demo)
    first, second = before.targets[0], before.targets[1]
    chat.say(pirjo, "kieli en")
    chat.say(pirjo, "update")
    form = chat.tap(pirjo, "Record the workshop's outcome")[0]
    typed = {
        f"action_text_{first.id}": "Shift template",
        f"action_text_{second.id}": "Feedback round",
        f"action_owner_{second.id}": str(demo.supervisor("ruokapalvelu").id),  # not in the team
    }
    refused = chat.tap(pirjo, "Save into the plan", on=form, form=typed)
    assert refused[-1].text == (
        "I didn't recognise that choice. Open the form again and pick from the list – nothing was saved."
    )
    empty = chat.tap(pirjo, "Save into the plan", on=form, form={})
    assert empty[-1].text == "No action has been written for any target. Write at least one and save again."
    assert current(demo) == before
