"""Real cards from the real flows rendered as Block Kit: equal to the reviewed golden files and within Slack's limits.

Regenerate with `TYHY_UPDATE_GOLDEN=1 pytest tests/slack/test_render_golden.py -k sqlite`, then read every
changed file before committing it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.slack.render import render_message, render_modal
from bot.calendar import StepKind
from bot.flows.calendar_prompts import step_prompt
from bot.messages import OutboundMessage
from tests.adapters.slack.golden_support import block_kit_problems, check_golden
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted
from tests.bot.flows.test_pulse_support import pulse_world


def pulse_card(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    world = pulse_world(demo, clock)
    world.open()
    return world.chat.last_card(demo.person("Anna")).message


def pulse_card_missing(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    """Ahmed's English card after a Send with two picks: back once with them checked and the rest named."""
    world = pulse_world(demo, clock)
    world.open()
    ahmed = demo.person("Ahmed")
    world.pick(ahmed, 4, 1)
    world.pick(ahmed, 0, 2)
    return world.chat.tap(ahmed, world.send_label(ahmed))[0].message


def pulse_ended(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    """A card sent after its round closed: a neutral card in its place, no picks."""
    world = pulse_world(demo, clock)
    world.open(days=1)
    anna = demo.person("Anna")
    world.pick(anna, 4, 1)
    clock.advance(days=2)
    return world.chat.tap(anna, world.send_label(anna))[0].message


def followup_card(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _only(chat.say(demo.supervisor("kotihoito"), "seuranta"))


def plan_view(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _only(chat.say(demo.person("Juha"), "suunnitelma"))


def plan_edit(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    """The editor: many rows of buttons with the same actions, so every action_id needs its own suffix."""
    return _only(chat.say(demo.supervisor("kotihoito"), "päivitä"))


def plan_edit_form_new_strength(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    return _only(chat.tap(pirjo, "Lisää vahvuus"))


def plan_edit_form_action(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    """Editing an existing action: text inputs and selects filled with what is saved."""
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    return _only(chat.tap(pirjo, "Muokkaa toimenpidettä 1.2"))


def success_post(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    """The shout-out in the team's channel; the text has Slack's control characters in it."""
    chat.say(demo.person("Anna"), "onnistuminen Joulukuun vuorolista <valmis> & jaettu! Kiitos @Elina Salo")
    [posted] = chat.channel(demo.team("kotihoito"))
    return posted.message


def success_receipt(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    anna = demo.person("Anna")
    chat.say(anna, "onnistuminen Joulukuun vuorolista valmis! Kiitos @Elina Salo")
    return chat.last_card(anna).message


def calendar_prompt(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    chat.deliver(step_prompt(StepKind.EVALUATION, demo.team("kotihoito"), demo.org, demo.members))
    return chat.last(pirjo).message


def help_text(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _only(chat.say(demo.supervisor("kotihoito"), "apua"))


def evaluation_form(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [form] = chat.say(demo.supervisor("kotihoito"), "arviointi")
    return form.message


def evaluation_draft(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    [form] = chat.say(pirjo, "arviointi")
    fields = [getattr(b, "id", "") for b in form.card.blocks]
    fields = [f for f in fields if f.startswith(("eval_outcome_", "eval_kept_"))]
    answers = {f: "partly" if f.startswith("eval_outcome_") else "yes" for f in fields}
    _, draft = chat.tap(pirjo, "Tallenna arviointi", on=form, form=answers)
    return draft.message


def _only(posted: list[Posted]) -> OutboundMessage:
    assert len(posted) == 1, [p.text for p in posted]
    return posted[0].message


MESSAGES: dict[str, Callable[[FakeChat, Demo, Clock], OutboundMessage]] = {
    f.__name__: f
    for f in (
        pulse_card,
        pulse_card_missing,
        pulse_ended,
        followup_card,
        plan_view,
        plan_edit,
        plan_edit_form_new_strength,
        plan_edit_form_action,
        success_post,
        success_receipt,
        calendar_prompt,
        help_text,
        evaluation_form,
        evaluation_draft,
    )
}


@pytest.mark.parametrize("name", MESSAGES)
def test_a_real_message_renders_as_its_golden_file_within_slacks_limits(
    name: str, chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    message = MESSAGES[name](chat, demo, clock)
    body = render_message(message)
    assert block_kit_problems(body) == []
    check_golden(name, body)


def test_the_plan_edit_form_as_a_modal_renders_as_its_golden_file(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    card = plan_edit_form_action(chat, demo, clock).card
    assert card is not None
    view = render_modal(
        card, callback_id="plan.edit.modal", private_metadata="action:2", submit_label="Tallenna", close_label="Peruuta"
    )
    assert block_kit_problems(view, max_blocks=100) == []
    check_golden("plan_edit_form_action_modal", view)
