"""A rendered card submitted in Teams comes back as the event the core expects, with the picks made on it."""

from __future__ import annotations

from typing import Any

from adapters.teams.parse import parse_activity
from adapters.teams.render import render_activity
from bot.events import ActionSubmitted, Sender
from bot.messages import SentRef
from bot.organisation import Member, Platform
from storage.models import MemberIdentityRow
from tests.adapters.teams.conftest import activity
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import Posted
from tests.bot.flows.test_pulse_support import PulseWorld, pulse_world

TENANT = "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d"
ANNA = "29:1q8KvXz3Lm0pRt7YwB2nHc5JdFgS4aE6uIoP9kTlVxMbNyQrZsW-3hGfDeCa2B1"


def on_teams(demo: Demo, member: Member, user_id: str) -> None:
    with demo.db.transaction() as session:
        session.add(MemberIdentityRow(member_id=member.id, platform="teams", workspace=TENANT, user_id=user_id))
    demo.refresh()


def tap(posted: Posted, title: str, typed: dict[str, str]) -> dict[str, Any]:
    """What Teams posts when the person taps the button with this title: its data with the card's inputs merged."""
    card = render_activity(posted.message)["attachments"][0]["content"]
    actions = [a for element in card["body"] if element["type"] == "ActionSet" for a in element["actions"]]
    data = next(a["data"] for a in actions if a["title"] == title)
    submit = activity("submit_pulse_answer")  # Anna's personal chat, in Teams' format
    submit["value"] = {**data, **typed}
    submit["replyToId"] = posted.message_id
    submit["conversation"]["id"] = posted.ref.channel_id
    return submit


def body_of(posted: Posted) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = render_activity(posted.message)["attachments"][0]["content"]["body"]
    return body


def test_picks_on_the_rendered_pulse_card_come_with_send_and_a_missing_one_brings_the_card_back(
    demo: Demo, clock: Clock
) -> None:
    anna = demo.person("Anna")
    on_teams(demo, anna, ANNA)
    pulse: PulseWorld = pulse_world(demo, clock)
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    [card] = pulse.chat.transcripts[f"dm-{ANNA}"]
    assert card.message.to.platform is Platform.TEAMS
    choice_sets = [e for e in body_of(card) if e["type"] == "Input.ChoiceSet"]
    assert [(e["id"], e["style"], "value" in e) for e in choice_sets] == [
        (f"q{n}", "expanded", False) for n in range(1, 6)
    ]
    assert not any(e["type"] == "ActionSet" and len(e["actions"]) > 1 for e in body_of(card))  # Send is the one button

    # Teams merges every input into the Send's data: an expanded ChoiceSet left alone sends "".
    picks = {"q1": "4", "q2": "5", "q3": "", "q4": "0", "q5": "2"}
    event = parse_activity(tap(card, "Lähetä vastaukset", {**picks, "comment": "Hyvä kysely"}))
    assert isinstance(event, ActionSubmitted)
    assert event.sender == Sender(Platform.TEAMS, ANNA, TENANT, "fi-FI", "Anna Korhonen")
    assert event.action == "pulse.send" and event.form == {**picks, "comment": "Hyvä kysely"}
    assert event.source == SentRef(Platform.TEAMS, card.ref.channel_id, card.message_id, TENANT)

    [redrawn] = pulse.chat.deliver(pulse.chat.conversation.handle(event))
    assert redrawn is card and card.versions == 2  # brought back once, in place, with what was picked
    values = [e.get("value") for e in body_of(card) if e["type"] == "Input.ChoiceSet"]
    assert values == ["4", "5", None, "0", "2"]
    comment = next(e for e in body_of(card) if e["type"] == "Input.Text")
    assert comment["id"] == "comment" and comment["value"] == "Hyvä kysely"  # what was typed survives the redraw
    assert not pulse.repo.has_answered(pulse_round.id, anna.id)

    again = parse_activity(tap(card, "Lähetä vastaukset", {**picks, "q3": "3", "comment": "Hyvä kysely"}))
    assert isinstance(again, ActionSubmitted)
    pulse.chat.deliver(pulse.chat.conversation.handle(again))
    assert card.versions == 3 and card.card.kind == "pulse_thanks"
    assert not any(e["type"].startswith("Input.") for e in body_of(card))  # the thank-you holds no pick
    assert pulse.repo.has_answered(pulse_round.id, anna.id)
