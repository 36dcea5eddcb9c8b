"""`muistuta <when>`: a supervisor gets the follow-up card again at a time written in words."""

from __future__ import annotations

from datetime import timedelta

from adapters.server.wiring import build_conversation, follow_up_cards
from bot.flows.followup_jobs import FollowUps
from storage.escalation_repository import EscalationRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.reminder_repository import ReminderRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat


def follow_ups(demo: Demo) -> FollowUps:
    return FollowUps(
        OrganisationRepository(demo.db),
        PlanRepository(demo.db),
        follow_up_cards(demo.db),
        ReminderRepository(demo.db),
        EscalationRepository(demo.db),
    )


def test_remind_in_words_then_the_card_comes_once(demo: Demo, clock: Clock) -> None:
    chat = FakeChat(build_conversation(demo.db, clock))
    pirjo = demo.supervisor("kotihoito")
    confirmed = chat.say(pirjo, "muistuta huomenna klo 14")[-1].text
    assert "24.11.2026" in confirmed and "14.00" in confirmed
    clock.advance(days=1, hours=5)  # 15:00 in Helsinki the next day
    sent = chat.deliver(follow_ups(demo).send_due_reminders(clock.now))
    assert [p.address.user_id for p in sent] == [str(pirjo.id)] and "Kotihoito" in sent[0].text
    assert chat.deliver(follow_ups(demo).send_due_reminders(clock.now + timedelta(minutes=5))) == []


def test_a_time_that_cannot_be_read_stores_nothing(demo: Demo, clock: Clock) -> None:
    chat = FakeChat(build_conversation(demo.db, clock))
    pirjo = demo.supervisor("kotihoito")
    answer = chat.say(pirjo, "muistuta joskus")[-1].text
    assert "huomenna klo 14" in answer  # the refusal shows examples that work
    clock.advance(days=400)
    assert follow_ups(demo).send_due_reminders(clock.now).messages == ()


def test_staff_are_told_who_leads_the_follow_up(demo: Demo, clock: Clock) -> None:
    chat = FakeChat(build_conversation(demo.db, clock))
    assert "esihenkilö" in chat.say(demo.person("Juha"), "muistuta huomenna")[-1].text
