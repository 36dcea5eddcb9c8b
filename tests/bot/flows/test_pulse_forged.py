"""Forged, corrupt or stale button values get a clear reply and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import DomainError
from bot.events import ActionSubmitted, Sender
from bot.flows.pulse_card import Draft, read_draft
from bot.organisation import Platform
from bot.pulse import PulseRound
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_pulse_support import PulseWorld, pulse_world

UNREADABLE = "En saa tästä vastauskortista selvää"


@pytest.fixture
def pulse(demo: Demo, clock: Clock) -> PulseWorld:
    return pulse_world(demo, clock)


@pytest.fixture
def opened(pulse: PulseWorld) -> int:
    pulse_round = pulse.open(teams=("kotihoito", "ruokapalvelu"))
    assert pulse_round.id is not None
    return pulse_round.id


def nothing_counted(pulse: PulseWorld, round_id: int) -> None:
    assert all(t.respondents == 0 and not t.counts for t in pulse.repo.tallies(round_id).tallies)
    assert pulse.repo.non_responders(round_id, [m.id for m in pulse.demo.members]) == [m.id for m in pulse.demo.members]
    assert pulse.repo.comments(round_id) == []


@pytest.mark.parametrize(
    ("action", "value", "expected"),
    [
        ("pulse.answer", "", UNREADABLE),
        ("pulse.answer", "garbage", UNREADABLE),
        ("pulse.answer", "{round}", UNREADABLE),
        ("pulse.send", "{round}:", UNREADABLE),
        ("pulse.send", "{round}:44444:", UNREADABLE),
        ("pulse.send", "{round}:444444", UNREADABLE),  # a sixth answer: a question not asked
        ("pulse.send", "{round}:4444", UNREADABLE),  # one short: not this card
        ("pulse.send", " {round}:44444", UNREADABLE),
        ("pulse.send", "{round}:٤٤٤٤٤", UNREADABLE),  # other scripts' digits are not ours
        ("pulse.send", "{round}:4a444", UNREADABLE),
        ("pulse.send", "-{round}:44444", UNREADABLE),
        ("pulse.send", "987654:44444", UNREADABLE),  # no such round
        ("pulse.answer", "{round}:49444", "”9” ei ole vastausvaihtoehto"),  # off the scale
        ("pulse.send", "{round}:6----", "”6” ei ole vastausvaihtoehto"),
        ("pulse.nonsense", "{round}:44444", "Tätä painiketta en enää tunnista"),
    ],
)
def test_a_bad_value_is_refused_clearly(pulse: PulseWorld, opened: int, action: str, value: str, expected: str) -> None:
    anna = pulse.demo.person("Anna")
    card = pulse.chat.last_card(anna)
    reply = pulse.chat.press(anna, action, value.replace("{round}", str(opened)), on=card)
    assert len(reply) == 1 and reply[0].message.text is not None
    assert expected in reply[0].text
    assert card.versions == 1 and card.card.kind == "pulse"  # the card itself is left as it was
    nothing_counted(pulse, opened)


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        ({"q1": "9"}, "”9” ei ole vastausvaihtoehto"),  # off the scale
        ({"q2": "٤"}, "”٤” ei ole vastausvaihtoehto"),  # other scripts' digits are not ours
        ({"q3": "44"}, "”44” ei ole vastausvaihtoehto"),
        ({"q4": "+4"}, "”+4” ei ole vastausvaihtoehto"),
    ],
)
def test_a_forged_pick_is_refused_clearly(pulse: PulseWorld, opened: int, picks: dict[str, str], expected: str) -> None:
    anna = pulse.demo.person("Anna")
    card = pulse.chat.last_card(anna)
    form = {"q1": "4", "q2": "4", "q3": "4", "q4": "4", "q5": "4"} | picks
    reply = pulse.chat.press(anna, "pulse.send", f"{opened}:-----", on=card, form=form)
    assert len(reply) == 1 and expected in reply[0].text
    assert card.versions == 1 and card.card.kind == "pulse"
    nothing_counted(pulse, opened)


def test_a_send_without_every_answer_nor_its_card_is_refused_with_a_word(pulse: PulseWorld, opened: int) -> None:
    reply = pulse.chat.press(pulse.demo.person("Anna"), "pulse.send", f"{opened}:-----", form={"q1": "4"})
    assert "Vastaamatta on vielä 4" in reply[0].text
    nothing_counted(pulse, opened)


def test_a_round_that_did_not_ask_the_persons_team_is_not_theirs(pulse: PulseWorld, opened: int) -> None:
    petri_only = pulse.open(teams=("ruokapalvelu",))
    anna = pulse.demo.person("Anna")
    reply = pulse.chat.press(anna, "pulse.send", f"{petri_only.id}:444")
    assert "Tämä pulssikysely ei koske sinun tiimiäsi" in reply[0].text
    nothing_counted(pulse, petri_only.id or 0)
    nothing_counted(pulse, opened)


def test_a_round_not_yet_open_takes_no_answers(pulse: PulseWorld, opened: int, clock: Clock) -> None:
    kotihoito = pulse.demo.team("kotihoito")
    future = pulse.repo.create_round(
        pulse.demo.org.id,
        PulseRound(clock.now + timedelta(days=2), clock.now + timedelta(days=9), {kotihoito.id: ("FE1", "YI1", "PL1")}),
        invited={kotihoito.id: 14},
    )
    reply = pulse.chat.press(pulse.demo.person("Anna"), "pulse.send", f"{future.id}:444")
    assert "päättynyt" in reply[0].text  # forged only: cards go out when a round opens
    nothing_counted(pulse, future.id or 0)


def test_a_stranger_cannot_answer(pulse: PulseWorld, opened: int) -> None:
    event = ActionSubmitted(Sender(Platform.SLACK, "U0NOBODY"), "pulse.send", f"{opened}:44444")
    reply = pulse.chat.conversation.handle(event)
    assert len(reply.messages) == 1 and "organisaation" in (reply.messages[0].text or "")
    nothing_counted(pulse, opened)


def test_the_draft_format_round_trips() -> None:
    draft = Draft(12, (4, None, 0, 5))
    assert draft.token == "12:4-05"
    assert read_draft(draft.token) == draft
    assert draft.with_answer(1, 3).token == "12:4305" and draft.missing == 1
    assert Draft.empty(7, 3).token == "7:---"
    with pytest.raises(DomainError) as raised:
        read_draft("12:4-0567")
    assert raised.value.key == "pulse.card_unreadable"
