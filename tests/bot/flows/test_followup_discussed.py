"""Discussed in the team meeting restarts the 3-month clock; "remind me later" reads a time in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import translate
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_followup_support import (
    DISCUSSED_FI,
    REMIND_FI,
    WHEN,
    FollowUpWorld,
    followup_world,
)


@pytest.fixture
def world(demo: Demo, clock: Clock) -> FollowUpWorld:
    return followup_world(demo, clock)


def test_discussed_records_the_follow_up_and_restarts_the_clock(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    card = world.card(pirjo)
    plan = world.plan("kotihoito")
    assert world.chat.tap(pirjo, DISCUSSED_FI) == [card]
    assert card.card.kind == "followup_recorded" and card.versions == 2
    assert card.text == (
        "Seuranta kirjattu: Kotihoito\n"
        "Kiitos! Seuranta on kirjattu pidetyksi 23.11.2026. "
        "Seuraava seuranta viimeistään 23.2.2027 – muistutan ennen sitä."
    )
    saved = world.plan("kotihoito")
    assert saved.last_follow_up_on == date(2026, 11, 23) and saved.next_follow_up_due == date(2027, 2, 23)
    assert world.plans.follow_up_dates(plan.id or 0) == [date(2026, 11, 23)]
    # A second press (a stale copy of the card) records nothing more.
    world.chat.press(pirjo, "followup.discussed", f"plan:{plan.id}")
    assert world.plans.follow_up_dates(plan.id or 0) == [date(2026, 11, 23)]
    assert "viimeistään *23.2.2027*" in world.card(pirjo).text


def test_the_follow_up_day_is_the_teams_day(world: FollowUpWorld, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # already Tuesday 00.30 in Helsinki
    marja = world.demo.supervisor("ruokapalvelu")
    world.card(marja)
    world.chat.tap(marja, DISCUSSED_FI)
    assert world.plan("ruokapalvelu").last_follow_up_on == date(2026, 11, 24)
    assert "Seuraava seuranta viimeistään 24.2.2027" in world.chat.last_card(marja).text
    ruokapalvelu = world.demo.team("ruokapalvelu").id
    assert world.jobs.escalate(ruokapalvelu, clock.now).messages == ()  # on time again: nothing to escalate


def test_remind_me_later_stores_a_reminder_at_the_time_in_words(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    card = world.card(pirjo)
    reply = world.chat.tap(pirjo, REMIND_FI, form={WHEN: "huomenna klo 14"})
    assert [p.text for p in reply] == ["Selvä! Muistutan sinua seurannasta (Kotihoito) 24.11.2026 klo 14.00."]
    assert card.versions == 1  # the card stays to be used
    [reminder] = world.pending(pirjo)
    assert reminder.remind_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 14.00 in Helsinki
    assert reminder.kind == "followup" and reminder.ref_id == world.plan("kotihoito").id

    world.chat.tap(pirjo, REMIND_FI, on=card, form={WHEN: "ensi perjantaina"})
    [replaced] = world.pending(pirjo)  # a new time takes the old one's place
    assert replaced.remind_at == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("banaani", "when.not_understood"),
        ("", "when.not_understood"),
        ("tänään klo 8", "when.in_past"),  # it is 10.00 in Helsinki
        ("1.1.2035", "when.too_far"),
    ],
)
def test_a_bad_time_is_explained_with_examples_and_stores_nothing(world: FollowUpWorld, typed: str, key: str) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    card = world.card(pirjo)
    reply = world.chat.tap(pirjo, REMIND_FI, form={WHEN: typed})
    assert [p.text for p in reply] == [translate("fi", key, years=2)]
    assert "”huomenna klo 14”" in reply[0].text and "”ensi perjantaina”" in reply[0].text
    assert world.pending(pirjo) == [] and card.versions == 1


def test_remind_me_later_speaks_the_persons_language(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    world.speak(pirjo, "en")
    world.card(pirjo, "followup")
    reply = world.chat.tap(pirjo, "Remind me later", form={WHEN: "tomorrow at 2pm"})
    assert reply[0].text == "OK! I'll remind you about the follow-up of Kotihoito on 24 Nov 2026 at 14:00."
    bad = world.chat.tap(pirjo, "Remind me later", form={WHEN: "someday"})
    assert [p.text for p in bad] == [translate("en", "when.not_understood")]
    world.speak(pirjo, "sv")
    world.card(pirjo, "uppföljning")
    reply = world.chat.tap(pirjo, "Påminn mig senare", form={WHEN: "nästa fredag"})
    assert reply[0].text == "Okej! Jag påminner dig om uppföljningen (Kotihoito) den 27.11.2026 kl. 9.00."
    assert len(world.pending(pirjo)) == 1


def test_discussing_the_plan_drops_pending_reminders(world: FollowUpWorld, clock: Clock) -> None:
    pirjo, outi = world.demo.supervisor("kotihoito"), world.demo.person("Outi")
    world.card(pirjo)
    world.chat.tap(pirjo, REMIND_FI, form={WHEN: "huomenna klo 14"})
    world.card(outi, "seuranta kotihoito")
    world.chat.tap(outi, REMIND_FI, form={WHEN: "ensi viikolla"})
    world.chat.tap(pirjo, DISCUSSED_FI)
    assert world.pending(pirjo) == [] and world.pending(outi) == []
    clock.advance(days=14)
    assert world.jobs.send_due_reminders(clock.now).messages == ()
