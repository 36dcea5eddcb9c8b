"""The one reminder to non-responders only, and the `pulse` command that brings one's card back."""

from __future__ import annotations

import pytest

from bot.errors import DomainError
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_pulse_support import PulseWorld, assert_cards_fit, pulse_world, questions_on


@pytest.fixture
def pulse(demo: Demo, clock: Clock) -> PulseWorld:
    return pulse_world(demo, clock)


def test_one_reminder_reaches_only_those_who_have_not_answered(pulse: PulseWorld, clock: Clock) -> None:
    demo = pulse.demo
    pulse_round = pulse.open(teams=("kotihoito",))
    assert pulse_round.id is not None
    answered = [demo.person(name) for name in ("Anna", "Juha", "Maria")]
    for member in answered:
        pulse.answer(member, [4, 4, 4, 4, 4])

    clock.advance(days=4)
    reply = pulse.rounds.send_reminder(pulse_round.id, clock.now)
    reminded = {message.member_id for message in reply.messages}
    assert reminded == {m.id for m in demo.staff("kotihoito")} - {m.id for m in answered}
    assert len(reply.messages) == 14 - 3
    assert_cards_fit(pulse.chat.deliver(reply))
    timo = pulse.chat.last_card(demo.person("Timo"))
    assert timo.card.kind == "pulse_reminder" and "Muistutus: pulssikysely sulkeutuu 30.11.2026 klo 10.00" in timo.text
    assert len(pulse.chat.inbox(demo.person("Anna"))) == 1  # the thank-you only: nothing more to those who answered

    assert pulse.rounds.send_reminder(pulse_round.id, clock.now).messages == ()  # never twice
    clock.advance(days=1)
    assert pulse.rounds.send_reminder(pulse_round.id, clock.now).messages == ()

    pulse.answer(demo.person("Timo"), [2, 2, 2, 2, 2])  # the reminder card is answered like the first one
    assert pulse.tally(pulse_round.id, demo.team("kotihoito"))[0] == 4


def test_no_reminder_once_the_round_has_closed(pulse: PulseWorld, clock: Clock) -> None:
    pulse_round = pulse.open(teams=("ruokapalvelu",), days=3)
    assert pulse_round.id is not None
    clock.advance(days=3)
    assert pulse.rounds.send_reminder(pulse_round.id, clock.now).messages == ()


def test_a_reminder_for_a_round_that_does_not_exist_is_a_programming_error(pulse: PulseWorld) -> None:
    with pytest.raises(LookupError):
        pulse.rounds.send_reminder(987_654, pulse.clock.now)


def test_a_round_needs_a_future_deadline_and_someone_to_ask(pulse: PulseWorld) -> None:
    org = pulse.demo.org
    with pytest.raises(DomainError) as raised:
        pulse.rounds.open_round(org, [pulse.demo.team("kotihoito")], pulse.clock.now, pulse.clock.now)
    assert raised.value.key == "pulse.deadline_passed"
    with pytest.raises(DomainError) as raised:
        pulse.rounds.open_round(org, [], pulse.clock.now.replace(year=2027), pulse.clock.now)
    assert raised.value.key == "pulse.no_one_to_ask"
    assert len(pulse.repo.rounds(org.id)) == 3  # only the demo's past rounds: nothing was created


def test_the_command_brings_back_the_card_until_answered(pulse: PulseWorld) -> None:
    demo = pulse.demo
    anna, maria, ahmed = demo.person("Anna"), demo.person("Maria"), demo.person("Ahmed")
    assert "Tiimilläsi ei ole nyt avointa pulssikyselyä" in pulse.chat.say(anna, "pulssi")[0].text
    assert "ingen öppen pulsenkät" in pulse.chat.say(maria, "puls")[0].text
    assert "no open pulse check" in pulse.chat.say(ahmed, "pulse")[0].text

    pulse_round = pulse.open(teams=("kotihoito",))
    again = pulse.chat.say(anna, "Pulssi")
    assert len(again) == 1 and again[0].card.kind == "pulse" and len(questions_on(again[0])) == 5
    assert len([p for p in pulse.chat.inbox(anna) if p.message.card is not None]) == 2  # the first card, and this
    pulse.answer(anna, [5, 5, 5, 5, 5])  # on the fresh card
    assert "Olet jo vastannut" in pulse.chat.say(anna, "pulssi")[0].text
    assert pulse.chat.say(maria, "puls")[0].card.kind == "pulse"  # Maria has not answered: her card again
    assert pulse.tally(pulse_round.id or 0, demo.team("kotihoito"))[0] == 1


def test_the_command_for_someone_whose_team_was_not_asked(pulse: PulseWorld) -> None:
    pulse.open(teams=("kotihoito",))
    assert "ei ole nyt avointa" in pulse.chat.say(pulse.demo.person("Petri"), "pulssi")[0].text


# One answer picked: the Send is checked for an earlier answer. Every answer picked: only the store's key knows.
@pytest.mark.parametrize("picked", [(1,), (1, 2, 3, 4, 5)], ids=["one picked", "all picked"])
def test_the_card_left_unsent_becomes_a_neutral_answered_card_when_it_is_sent(
    pulse: PulseWorld, clock: Clock, picked: tuple[int, ...]
) -> None:
    demo = pulse.demo
    pulse_round = pulse.open(teams=("kotihoito",))
    assert pulse_round.id is not None
    timo = demo.person("Timo")
    first = pulse.chat.last_card(timo)
    clock.advance(days=4)
    pulse.chat.deliver(pulse.rounds.send_reminder(pulse_round.id, clock.now))
    pulse.answer(timo, [2, 2, 2, 2, 2])  # on the reminder card

    for number in picked:
        pulse.pick(timo, 5, number, on=first)
    ended = pulse.chat.tap(timo, pulse.send_label(timo), on=first)
    assert ended == [first] and first.card.kind == "pulse_ended"
    assert "Olet vastannut tähän pulssikyselyyn" in first.text and not questions_on(first)
    assert pulse.tally(pulse_round.id, demo.team("kotihoito"))[0] == 1  # counted once
