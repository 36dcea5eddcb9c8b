"""Discussed in the team meeting restarts the 3-month clock; "remind me later" reads a time in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.flows.followup_model import NOTE_FIELD
from bot.i18n import translate
from bot.messages import TextInput
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
    held = world.plans.follow_up_dates(plan.id or 0)  # the demo's history
    assert world.chat.tap(pirjo, DISCUSSED_FI) == [card]
    assert card.card.kind == "followup_recorded" and card.versions == 2
    assert card.text == (
        "Seuranta kirjattu: Kotihoito\n"
        "Kiitos! Seuranta pidettiin 23.11.2026, ja se näkyy nyt suunnitelmassa. "
        "Seuraava seuranta viimeistään 23.2.2027 – muistutan ennen sitä."
    )
    saved = world.plan("kotihoito")
    assert saved.last_follow_up_on == date(2026, 11, 23) and saved.next_follow_up_due == date(2027, 2, 23)
    assert world.plans.follow_up_dates(plan.id or 0) == [*held, date(2026, 11, 23)]
    # A second press (a stale copy of the card) records nothing more.
    world.chat.press(pirjo, "followup.discussed", f"plan:{plan.id}")
    assert world.plans.follow_up_dates(plan.id or 0) == [*held, date(2026, 11, 23)]
    assert "viimeistään *23.2.2027*" in world.card(pirjo).text


def test_discussed_asks_what_was_decided_and_keeps_it_with_the_follow_up(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    card = world.card(pirjo)
    note_field = next(b for b in card.card.blocks if isinstance(b, TextInput) and b.id == NOTE_FIELD)
    assert note_field.label == "Mitä palaverissa sovittiin? (vapaaehtoinen)" and note_field.multiline
    # The field comes before the button it is sent with.
    assert card.text.index("Mitä palaverissa sovittiin?") < card.text.index(DISCUSSED_FI)
    decided = "  Varahenkilölista valmiiksi tammikuussa, Elina kokoaa.  "
    world.chat.tap(pirjo, DISCUSSED_FI, form={NOTE_FIELD: decided})
    assert card.card.kind == "followup_recorded"
    assert "Kirjattu suunnitelman historiaan: Varahenkilölista valmiiksi tammikuussa, Elina kokoaa." in card.text
    latest = world.plan("kotihoito").follow_ups[-1]
    assert (latest.held_on, latest.note) == (
        date(2026, 11, 23),
        "Varahenkilölista valmiiksi tammikuussa, Elina kokoaa.",
    )
    # The plan's history, as anyone in the team sees it with `suunnitelma`.
    [view] = world.chat.say(world.demo.person("Anna"), "suunnitelma")
    history = view.text[view.text.index("Seurantapalaverit:") :]
    assert "• 23.11.2026: Varahenkilölista valmiiksi tammikuussa, Elina kokoaa." in history
    assert "• 21.9.2026: Varahenkilölista on puolivälissä." in history  # the demo's earlier ones, oldest first
    assert history.index("21.9.2026") < history.index("23.11.2026")


def test_the_note_is_optional_and_a_long_one_is_refused_and_nothing_is_recorded(world: FollowUpWorld) -> None:
    marja = world.demo.supervisor("ruokapalvelu")
    card = world.card(marja)
    before = world.plan("ruokapalvelu")
    [refusal] = world.chat.tap(marja, DISCUSSED_FI, form={NOTE_FIELD: "x" * 501})
    assert refusal.text.startswith("Muistiinpano on liian pitkä: enintään 500 merkkiä.")
    assert card.card.kind == "followup" and world.plan("ruokapalvelu") == before
    world.chat.tap(marja, DISCUSSED_FI, on=card)
    assert card.card.kind == "followup_recorded" and "Kirjattu suunnitelman historiaan" not in card.text
    assert world.plan("ruokapalvelu").follow_ups[-1].note == ""


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
