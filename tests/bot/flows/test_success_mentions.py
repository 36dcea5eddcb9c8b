"""Who a success mentions: Slack's mention ids, names typed with @ in the local chat, and readable stored text."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.flows.success import SuccessFlow, readable_text, typed_mentions
from bot.messages import Facts
from bot.organisation import HomeChannel, Member, Platform
from storage.models import MemberIdentityRow
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat

SLACK_IDS = {"Anna": "UANNA", "Elina": "UELINA", "Timo": "UTIMO", "Marja": "UMARJA"}


@pytest.fixture
def slack(demo: Demo, clock: Clock) -> FakeChat:
    """Kotihoito on Slack: a home channel there, and Slack ids for a few people (Marja is in another team)."""
    with demo.db.transaction() as session:
        for name, user_id in SLACK_IDS.items():
            session.add(MemberIdentityRow(member_id=demo.person(name).id, platform="slack", user_id=user_id))
    directory = OrganisationRepository(demo.db)
    directory.set_home_channel(demo.team("kotihoito").id, HomeChannel(Platform.SLACK, "CKOTI"))
    demo.refresh()
    flow = SuccessFlow(directory, SuccessRepository(demo.db), PlanRepository(demo.db), clock)
    return FakeChat(Conversation(directory, clock, [flow]), platform=Platform.SLACK)


def test_slack_mentions_become_names_in_the_card_and_the_saved_text(slack: FakeChat, demo: Demo) -> None:
    anna, elina, marja = demo.person("Anna"), demo.person("Elina"), demo.person("Marja")
    slack.say(
        anna,
        "<@UBOT> onnistuminen Kiitos <@UELINA> ja <@UMARJA|marja> lounasyhteistyöstä, myös <@UGUEST>!",
        channel="CKOTI",
        mentions=("UBOT", "UELINA", "UMARJA", "UGUEST"),
    )
    [celebration] = slack.transcripts["CKOTI"]
    expected = "Kiitos @Elina Salo ja @Marja Heinonen lounasyhteistyöstä, myös <@UGUEST>!"
    assert expected in celebration.text
    # The bot itself and an id nobody in the organisation has are simply not people mentioned.
    fact_items = dict(next(b for b in celebration.card.blocks if isinstance(b, Facts)).items)
    assert fact_items == {"Jakoi": "Anna Korhonen", "Mukana": "Elina Salo, Marja Heinonen"}
    saved = SuccessRepository(demo.db).for_team(demo.team("kotihoito").id)[0]
    assert saved.text == expected and set(saved.mentioned_ids) == {elina.id, marja.id}
    # The receipt goes to Anna's direct messages on Slack.
    [receipt] = slack.transcripts["dm-UANNA"]
    assert receipt.card.kind == "success_shared" and receipt.message.member_id == anna.id


def people(*names: str) -> list[Member]:
    return [Member(number, name, team_ids=(1,)) for number, name in enumerate(names, start=1)]


def test_typed_mentions_match_full_names_and_unique_first_names_forgivingly() -> None:
    team = people("Anna Korhonen", "Päivi Saarinen", "Juha Nieminen", "Juha Virta", "Eeva Ek")
    found = typed_mentions("Kiitos @anna korhonen, @paivi ja @Juha! Myös @JUHA VIRTA.", team)
    # "@Juha" alone could be either Juha, so only the one written in full counts.
    assert [m.name for m in found] == ["Anna Korhonen", "Päivi Saarinen", "Juha Virta"]
    assert typed_mentions("Kiitos Anna ja @Eevaliisa, anna@example.fi", team) == []
    assert [m.name for m in typed_mentions("@Eeva Ek!", team)] == ["Eeva Ek"]


def test_readable_text_turns_platform_markup_into_names() -> None:
    names = {"U1": "Anna Korhonen"}
    assert readable_text("kiitos <@U1> ja <@U1|anna>!", names) == "kiitos @Anna Korhonen ja @Anna Korhonen!"
    assert readable_text("kiitos <at>Juha Nieminen</at>", names) == "kiitos @Juha Nieminen"
    assert readable_text("kiitos <@U9>", names) == "kiitos <@U9>"
