"""A whole pulse round through the chat: cards to everyone, taps updating in place, exact counts, one answer each."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import inspect

from bot.flows.pulse_questions import choose_questions
from bot.messages import Buttons, Select, TextInput
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_pulse_support import PulseWorld, pulse_world, questions_on


@pytest.fixture
def pulse(demo: Demo, clock: Clock) -> PulseWorld:
    return pulse_world(demo, clock)


def test_opening_a_round_sends_everyone_asked_their_card(pulse: PulseWorld) -> None:
    demo = pulse.demo
    pulse_round = pulse.open()
    everyone = demo.staff("perusturva") + demo.staff("kotihoito") + demo.staff("ruokapalvelu")
    assert len(everyone) == 25
    for member in everyone:
        inbox = pulse.chat.inbox(member)
        assert len(inbox) == 1 and inbox[0].message.member_id == member.id
    pulse.repo.settle(pulse_round.id or 0)
    tallies = {t.team_id: (t.invited, t.respondents) for t in pulse.repo.tallies(pulse_round.id or 0).tallies}
    assert tallies == {
        demo.team("perusturva").id: (4, 0),
        demo.team("kotihoito").id: (14, 0),
        demo.team("ruokapalvelu").id: (7, 0),
    }
    anna = pulse.chat.last_card(demo.person("Anna"))
    assert "Pulssikysely: Kotihoito" in anna.text and "30.11.2026 klo 10.00" in anna.text  # Helsinki time
    maria, ahmed = pulse.chat.last_card(demo.person("Maria")), pulse.chat.last_card(demo.person("Ahmed"))
    assert "Pulsenkät: Kotihoito" in maria.text and "Helt av samma åsikt" in maria.text
    assert "Pulse check: Kotihoito" in ahmed.text and "30 Nov 2026 at 10:00" in ahmed.text


def test_the_questions_favour_the_teams_targets_and_rotate(pulse: PulseWorld, clock: Clock) -> None:
    demo = pulse.demo
    kotihoito, ruoka, perus = demo.team("kotihoito"), demo.team("ruokapalvelu"), demo.team("perusturva")
    plans = PlanRepository(demo.db)
    first = pulse.open()
    # The demo has had three rounds already, so this is each team's round number 3.
    assert first.questions_for(kotihoito.id) == choose_questions(plans.current(kotihoito.id), 3)
    assert first.questions_for(ruoka.id) == choose_questions(plans.current(ruoka.id), 3)
    assert first.questions_for(perus.id) == choose_questions(None, 3)
    assert [q[:2] for q in first.questions_for(kotihoito.id)][:4] == ["PR", "FE", "SW", "OC"]
    assert first.questions_for(ruoka.id)[0].startswith("CO")

    clock.advance(days=28)
    second = pulse.open()
    assert second.questions_for(kotihoito.id) == choose_questions(plans.current(kotihoito.id), 4)
    assert second.questions_for(kotihoito.id) != first.questions_for(kotihoito.id)
    anna_cards = [p for p in pulse.chat.inbox(demo.person("Anna")) if p.message.card is not None]
    assert len(anna_cards) == 2


def test_picks_stay_on_the_device_and_only_send_reaches_the_bot(pulse: PulseWorld) -> None:
    anna = pulse.demo.person("Anna")
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    card = pulse.chat.last_card(anna)
    assert len(questions_on(card)) == 5 and not any(q.selected for q in questions_on(card))
    assert any(isinstance(b, Buttons) for b in card.card.blocks)  # Send is there from the start

    for number, value in enumerate([4, 5, 3, 0, 2], start=1):
        pulse.pick(anna, value, number, on=card)
    pulse.pick(anna, 1, 2, on=card)  # changing one's mind is one more pick, still on the device
    assert card.versions == 1  # no pick redrew the card: the chat holds no selection
    assert pulse.tally(pulse_round.id, pulse.demo.team("kotihoito")) == (0, {})

    posted = pulse.chat.tap(anna, pulse.send_label(anna), on=card)
    assert posted == [card] and card.versions == 2 and card.card.kind == "pulse_thanks"
    assert not any(isinstance(b, Select) for b in card.card.blocks)  # the thank-you names no answer
    questions = pulse_round.questions_for(pulse.demo.team("kotihoito").id)
    counts = dict(zip(zip(questions, [4, 1, 3, 0, 2], strict=True), [1] * 5, strict=True))
    assert pulse.tally(pulse_round.id, pulse.demo.team("kotihoito")) == (1, counts)


def test_a_send_with_an_answer_missing_brings_the_card_back_once_with_the_picks(pulse: PulseWorld) -> None:
    anna = pulse.demo.person("Anna")
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    card = pulse.chat.last_card(anna)
    for number, value in [(1, 4), (2, 5), (4, 0), (5, 2)]:
        pulse.pick(anna, value, number, on=card)

    posted = pulse.chat.tap(anna, pulse.send_label(anna), on=card, form={"comment": "Melkein valmis"})
    assert posted == [card] and card.versions == 2 and card.card.kind == "pulse"
    assert [q.selected for q in questions_on(card)] == [("4",), ("5",), (), ("0",), ("2",)]
    assert "Vastaamatta 1/5 (kysymys nro 3)" in card.text
    field = next(b for b in card.card.blocks if isinstance(b, TextInput))
    assert field.initial == "Melkein valmis"
    assert not pulse.repo.has_answered(pulse_round.id, anna.id)

    # The redrawn card sends what it shows with the one pick added: Send makes it the seventh tap, no more.
    selected = {q.id: q.selected[0] for q in questions_on(card) if q.selected}
    pulse.pick(anna, 3, 3, on=card)
    thanks = pulse.chat.tap(anna, pulse.send_label(anna), on=card, form={**selected, "comment": "Melkein valmis"})
    assert thanks[0].card.kind == "pulse_thanks" and card.versions == 3
    assert pulse.tally(pulse_round.id, pulse.demo.team("kotihoito"))[0] == 1


def test_a_whole_round_counts_exactly_and_ties_no_answer_to_anyone(pulse: PulseWorld) -> None:
    demo = pulse.demo
    kotihoito = demo.team("kotihoito")
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    questions = pulse_round.questions_for(kotihoito.id)
    answers = {
        "Anna": [4, 5, 3, 0, 2],
        "Juha": [4, 4, 4, 4, 4],
        "Maria": [1, 2, 3, 4, 5],
        "Ahmed": [0, 0, 0, 0, 0],  # "can't say" is an answer too
        "Pirjo": [5, 5, 5, 5, 5],
    }
    for name, values in answers.items():
        member = demo.person(name)
        posted = pulse.answer(member, values)
        assert len(posted) == 1 and posted[0].message.replaces is not None  # the thank-you takes the card's place
        assert len(pulse.chat.inbox(member)) == 1

    expected: Counter[tuple[str, int]] = Counter()
    for values in answers.values():
        expected.update(zip(questions, values, strict=True))
    assert pulse.tally(pulse_round.id, kotihoito) == (5, dict(expected))
    others = pulse.repo.tallies(pulse_round.id).tallies
    assert sum(t.respondents for t in others) == 5  # nobody else was counted
    waiting = [m.id for m in demo.staff("kotihoito")]
    assert len(pulse.repo.non_responders(pulse_round.id, waiting)) == 14 - 5
    # The only tables holding answers have no column that could name a person.
    columns = {c["name"] for c in inspect(demo.db.engine).get_columns("pulse_answer_counts")}
    assert columns == {"round_id", "team_id", "question_id", "value", "count"}


def test_five_questions_take_five_taps_and_send_makes_six(pulse: PulseWorld) -> None:
    juha = pulse.demo.person("Juha")
    pulse.open()
    card = pulse.chat.last_card(juha)
    for number in range(1, 6):
        pulse.pick(juha, 3, number, on=card)
    taps = 5
    pulse.chat.tap(juha, pulse.send_label(juha), on=card)
    taps += 1
    assert taps == 6 and card.card.kind == "pulse_thanks"


def test_a_shorter_card_for_a_team_with_one_target(pulse: PulseWorld) -> None:
    petri = pulse.demo.person("Petri")
    pulse_round = pulse.open()
    assert len(questions_on(pulse.chat.last_card(petri))) == 3
    pulse.answer(petri, [2, 0, 4])
    pulse.repo.settle(pulse_round.id or 0)  # one answer waits for a batch, or the round's close
    assert pulse.tally(pulse_round.id or 0, pulse.demo.team("ruokapalvelu"))[0] == 1


def test_an_optional_comment_is_kept_with_the_round_and_team_only(pulse: PulseWorld) -> None:
    demo = pulse.demo
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    anna, juha = demo.person("Anna"), demo.person("Juha")
    thanks = pulse.answer(anna, [4, 4, 4, 4, 4], comment="  Vuorolistat ovat nyt ajoissa, kiitos!  ")[0]
    assert "Kommenttisi tallennettiin ilman nimeäsi" in thanks.text
    no_comment = pulse.answer(juha, [3, 3, 3, 3, 3], comment="   ")[0]
    assert "Kommenttisi" not in no_comment.text
    pulse.repo.settle(pulse_round.id)  # the comment waits with its answers until the mix
    assert pulse.repo.comments(pulse_round.id) == [(demo.team("kotihoito").id, "Vuorolistat ovat nyt ajoissa, kiitos!")]
    columns = {c["name"] for c in inspect(demo.db.engine).get_columns("pulse_comments")}
    assert columns == {"id", "round_id", "team_id", "text"}


def test_a_tap_on_a_card_drawn_before_picks_stayed_on_the_device_draws_a_fresh_one(pulse: PulseWorld) -> None:
    anna = pulse.demo.person("Anna")
    pulse_round = pulse.open()
    card = pulse.chat.last_card(anna)
    # The old cards' buttons carried the draft: "pulse.answer" with "<round>:<one mark per question>".
    pulse.chat.press(anna, "pulse.answer", f"{pulse_round.id}:4----", on=card, form={"comment": "Kesken kirjoitettu"})
    assert card.versions == 2 and not any(q.selected for q in questions_on(card))
    field = next(b for b in card.card.blocks if isinstance(b, TextInput))
    assert field.initial == "Kesken kirjoitettu" and field.max_length == 1000
    # Its Send carried every answer and is still counted.
    pulse.chat.press(anna, "pulse.send", f"{pulse_round.id}:44444", on=card)
    assert card.card.kind == "pulse_thanks"


def test_a_long_comment_is_cut_to_fit_and_a_far_too_long_one_is_refused(pulse: PulseWorld) -> None:
    demo = pulse.demo
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    anna, juha = demo.person("Anna"), demo.person("Juha")

    refused = pulse.answer(anna, [4, 4, 4, 4, 4], comment="x" * 3001)
    assert "Kommentti on liian pitkä: 3001 merkkiä, kun enintään 1000 mahtuu" in refused[-1].text
    assert not pulse.repo.has_answered(pulse_round.id, anna.id)  # nothing saved: the answers neither
    assert pulse.repo.comments(pulse_round.id) == []
    assert pulse.chat.last_card(anna).card.kind == "pulse"  # the card is still there to fix and send

    pulse.answer(juha, [4, 4, 4, 4, 4], comment="y" * 1500)
    pulse.repo.settle(pulse_round.id)
    [(_team, kept)] = pulse.repo.comments(pulse_round.id)
    assert len(kept) == 1000 and kept.endswith("…")


def test_a_second_answer_is_refused_kindly_and_counts_stay(pulse: PulseWorld) -> None:
    demo = pulse.demo
    anna, kotihoito = demo.person("Anna"), demo.team("kotihoito")
    pulse_round = pulse.open()
    assert pulse_round.id is not None
    token = f"{pulse_round.id}:-----"  # the Send value of this card, kept for a replay
    pulse.answer(anna, [4, 4, 4, 4, 4])
    before = pulse.tally(pulse_round.id, kotihoito)

    replay = pulse.chat.press(anna, "pulse.send", f"{pulse_round.id}:44444", form={"comment": "taas"})
    assert replay[0].text == "Olet jo vastannut tähän kierrokseen. Kiitos!"
    assert pulse.chat.press(anna, "pulse.answer", token)[0].text == "Olet jo vastannut tähän kierrokseen. Kiitos!"
    assert pulse.chat.say(anna, "pulssi")[-1].text == "Olet jo vastannut tähän kierrokseen. Kiitos!"
    assert pulse.tally(pulse_round.id, kotihoito) == before
    assert pulse.repo.comments(pulse_round.id) == []


def test_answers_after_the_deadline_are_refused_and_the_card_keeps_no_picks(pulse: PulseWorld, clock: Clock) -> None:
    demo = pulse.demo
    anna, kotihoito = demo.person("Anna"), demo.team("kotihoito")
    pulse_round = pulse.open(days=7)
    assert pulse_round.id is not None
    card = pulse.chat.last_card(anna)
    for number in range(1, 6):
        pulse.pick(anna, 4, number, on=card)
    clock.advance(days=7)  # exactly at closes_at: closed
    refused = pulse.chat.tap(anna, pulse.send_label(anna), on=card)
    assert refused == [card] and card.card.kind == "pulse_ended" and "päättynyt" in card.text
    assert not any(isinstance(b, (Select, Buttons)) for b in card.card.blocks)
    assert pulse.tally(pulse_round.id, kotihoito) == (0, {})
    assert "ei ole nyt avointa pulssikyselyä" in pulse.chat.say(anna, "pulssi")[-1].text
    assert "päättynyt" in pulse.chat.press(anna, "pulse.send", f"{pulse_round.id}:44444")[-1].text
