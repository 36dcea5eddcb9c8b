"""Discussion starters: posted to the team's channel on request or on schedule, tied to the team's targets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.card_limits import card_problems
from bot.conversation import Conversation
from bot.discussion_bank import DISCUSSION_BANK, StarterQuestion, themes_for
from bot.flows.discuss import DiscussFlow, DiscussionStarters
from bot.flows.plan_view import PlanViewFlow
from bot.messages import Heading, Text
from bot.organisation import Member
from storage.models import MemberRow
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted


@pytest.fixture
def chat(demo: Demo, clock: Clock) -> FakeChat:
    directory = OrganisationRepository(demo.db)
    plans = PlanRepository(demo.db)
    return FakeChat(
        Conversation(directory, clock, [DiscussFlow(directory, plans, clock), PlanViewFlow(directory, plans, clock)])
    )


@pytest.fixture
def starters(demo: Demo) -> DiscussionStarters:
    return DiscussionStarters(OrganisationRepository(demo.db), PlanRepository(demo.db))


def question_on(card: Posted, language: str = "fi") -> StarterQuestion:
    """The bank's question the card asks (the card shows it in bold as its first text)."""
    first = next(b.text for b in card.card.blocks if isinstance(b, Text))
    return next(q for q in DISCUSSION_BANK if f"*{q.text(language)}*" == first)


def test_anyone_in_the_team_posts_a_starter_tied_to_a_target(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    team = demo.team("kotihoito")
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    chat.say(anna, "keskustelu")
    [posted] = chat.channel(team)
    assert posted.card.kind == "discussion_starter" and card_problems(posted.card) == []
    question = question_on(posted)
    target_number = 1 if "kehittämiskohteeseenne 1:" in posted.text else 2
    target = plan.targets[target_number - 1]
    assert question.theme in themes_for(target.dimensions)
    assert f"Liittyy kehittämiskohteeseenne {target_number}: _{target.title}_" in posted.text
    assert posted.text.startswith("💬 Puhutaanko tästä?\n")
    assert posted.card.fallback_text == "💬 " + question.text("fi")
    assert chat.last(anna).text == f"Keskustelun avaus näkyy pian tiimin kanavalla: ”{question.text('fi')}”"


def test_the_weekly_starter_alternates_targets_and_moves_on_to_new_questions(
    chat: FakeChat, demo: Demo, starters: DiscussionStarters, clock: Clock
) -> None:
    team = demo.team("kotihoito")
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    for week in range(8):
        chat.deliver(starters.post_discussion_starter(team.id, clock.now + timedelta(weeks=week)))
    posts = chat.channel(team)
    assert len(posts) == 8 and all(card_problems(p.card) == [] for p in posts)
    numbers = [1 if "kehittämiskohteeseenne 1:" in p.text else 2 for p in posts]
    assert numbers[0::2] == [numbers[0]] * 4 and numbers[1::2] == [3 - numbers[0]] * 4
    for post, number in zip(posts, numbers, strict=True):
        assert question_on(post).theme in themes_for(plan.targets[number - 1].dimensions)
    assert len({question_on(p) for p in posts}) == 8  # two months without a repeat
    # The same week gives the same question, whoever asks and however often.
    again = starters.post_discussion_starter(team.id, clock.now + timedelta(days=2))
    assert again.messages[0].card == posts[0].card


def test_a_swedish_speaker_is_told_in_swedish_and_the_channel_hears_the_teams_language(
    chat: FakeChat, demo: Demo
) -> None:
    maria = demo.person("Maria")
    chat.say(maria, "diskutera")
    [posted] = chat.channel(demo.team("kotihoito"))
    question = question_on(posted, "fi")
    assert chat.last(maria).text == f"Diskussionsfrågan syns snart i teamets kanal: ”{question.text('sv')}”"
    chat.say(demo.person("Ahmed"), "discuss")
    shortly = "The discussion starter will appear in the team's channel shortly: “"
    assert chat.last(demo.person("Ahmed")).text.startswith(shortly)


def test_a_team_without_a_plan_gets_a_question_not_tied_to_anything(chat: FakeChat, demo: Demo) -> None:
    mikko = demo.person("Mikko")  # perusturva has no plan
    chat.say(mikko, "keskustellaan")
    [posted] = chat.channel(demo.team("perusturva"))
    assert "kehittämiskohteeseenne" not in posted.text and card_problems(posted.card) == []
    assert question_on(posted) in DISCUSSION_BANK
    assert "Teema: " in posted.text and isinstance(posted.card.blocks[0], Heading)


def test_nothing_is_posted_for_a_team_that_is_gone_or_a_person_in_no_team(
    chat: FakeChat, demo: Demo, starters: DiscussionStarters, clock: Clock
) -> None:
    assert starters.post_discussion_starter(987654, clock.now).messages == ()
    with demo.db.transaction() as session:
        row = MemberRow(org_id=demo.org.id, name="Vieras Käyttäjä")
        session.add(row)
        session.flush()
        member = Member(row.id, row.name)
    chat.say(member, "keskustelu")
    assert chat.last(member).text.startswith("Et kuulu vielä mihinkään tiimiin")
    assert all(chat.channel(t) == [] for t in demo.org.teams)
