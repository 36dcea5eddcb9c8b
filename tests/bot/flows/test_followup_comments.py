"""The follow-up card's "what you said": the team's comments of the newest closed round, and the one answer."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.messages import TextInput
from bot.organisation import Role
from tests.bot.flows.comment_rounds import SAID, comment_round
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_followup_support import FollowUpWorld, followup_world

ANSWER = "followup_answer"


@pytest.fixture
def world(demo: Demo, clock: Clock) -> FollowUpWorld:
    return followup_world(demo, clock)


def test_the_card_shows_what_the_team_said_in_any_order_and_without_times(world: FollowUpWorld) -> None:
    comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    card = world.card(world.demo.supervisor("kotihoito"))
    said = card.text.split("*Mitä sanoitte* – pulssikysely päättyi 23.11.2026\n", 1)[1]
    bullets = [line for line in said.splitlines() if line.startswith("• ")][:3]
    assert sorted(bullets) == sorted(f"• {words}" for words in SAID)  # the words only: no time, no number
    assert "Te sanoitte – me teemme: vastaa tiimille sen kanavalla" in card.text
    assert any(isinstance(b, TextInput) and b.id == ANSWER for b in card.card.blocks)


def test_two_comments_wait_for_a_third_person(world: FollowUpWorld) -> None:
    comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID[:2]})
    supervisor = world.demo.supervisor("kotihoito")
    world.speak(supervisor, "en")
    card = world.card(supervisor, "followup")
    assert "2 comments wait until at least 3 people have commented." in card.text
    assert not any(words in card.text for words in SAID)
    assert not any(isinstance(b, TextInput) and b.id == ANSWER for b in card.card.blocks)


def test_a_team_hidden_to_protect_a_smaller_group_shows_no_comments(world: FollowUpWorld) -> None:
    comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 2}, {"kotihoito": SAID})
    card = world.card(world.demo.supervisor("kotihoito"))
    assert "Tiimin tuloksia tästä kyselystä ei näytetä, joten ei myöskään kommentteja." in card.text
    assert not any(words in card.text for words in SAID) and "odottaa" not in card.text


def test_the_supervisor_answers_once_and_the_answer_goes_to_the_teams_channel(world: FollowUpWorld) -> None:
    round_id = comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    supervisor = world.demo.supervisor("kotihoito")
    card = world.card(supervisor)
    empty = world.chat.tap(supervisor, "Lähetä tiimin kanavalle", on=card, form={ANSWER: " "})
    assert empty[-1].text == "Kirjoita vastaus ennen kuin lähetät sen."
    answer = "Sovimme taukovuorot viikkopalaverissa."
    sent = world.chat.tap(supervisor, "Lähetä tiimin kanavalle", on=card, form={ANSWER: answer})
    assert sent[-1].text == "Vastauksesi on matkalla tiimin kanavalle."
    redrawn = world.chat.last_card(supervisor).text
    assert "*Te sanoitte – me teemme: vastaus lähetettiin tiimin kanavalle 23.11.2026*" in redrawn
    assert answer in redrawn and "Lähetä tiimin kanavalle" not in redrawn
    again = world.chat.press(
        supervisor, "followup.answer", f"answer:{world.plan('kotihoito').id}:{round_id}", form={ANSWER: "Toinen"}
    )
    assert "on jo vastattu" in again[-1].text
    with world.demo.db.connection() as connection:
        posts = connection.execute(text("SELECT payload FROM outbox WHERE key LIKE 'comment-answer:%'")).scalars().all()
    assert len(posts) == 1 and answer in posts[0] and "Te sanoitte – me teemme: Kotihoito" in posts[0]


def test_only_the_teams_supervisor_may_answer(world: FollowUpWorld) -> None:
    round_id = comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    value = f"answer:{world.plan('kotihoito').id}:{round_id}"
    other = world.demo.supervisor("ruokapalvelu")
    refused = world.chat.press(other, "followup.answer", value, form={ANSWER: "Hei"})
    assert "Hei" not in refused[-1].text
    officer = next(m for m in world.demo.members if m.role is Role.WELLBEING_OFFICER)
    refused = world.chat.press(officer, "followup.answer", value, form={ANSWER: "Hei"})
    assert refused[-1].text == "Vain tiimin esihenkilö voi vastata tiimin kommentteihin."
    with world.demo.db.connection() as connection:
        answers = text("SELECT count(*) FROM pulse_comment_answers WHERE round_id = :round")
        assert connection.execute(answers, {"round": round_id}).scalar_one() == 0


def test_a_half_written_answer_survives_a_status_tap(world: FollowUpWorld) -> None:
    comment_round(world.demo, world.clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    supervisor = world.demo.supervisor("kotihoito")
    card = world.card(supervisor)
    backup = next(a for t in world.plan("kotihoito").targets for a in t.actions if a.text.startswith("Varahenkilö"))
    world.chat.tap(supervisor, "Jumissa", question=f"action-{backup.id}", on=card, form={ANSWER: "Sovimme"})
    field = next(b for b in card.card.blocks if isinstance(b, TextInput) and b.id == ANSWER)
    assert field.initial == "Sovimme" and card.versions == 2
