"""The scheduler's follow-up use cases: the card when due and while late, "remind me later", escalations, digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.messages import Reply
from bot.organisation import Role
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_followup_support import (
    DISCUSSED_FI,
    KOTIHOITO_DUE,
    REMIND_FI,
    WHEN,
    FollowUpWorld,
    followup_world,
    question_of,
    set_role,
)


@pytest.fixture
def world(demo: Demo, clock: Clock) -> FollowUpWorld:
    return followup_world(demo, clock)


def test_the_follow_up_card_goes_to_the_teams_supervisor(world: FollowUpWorld, clock: Clock) -> None:
    demo = world.demo
    pirjo, marja = demo.supervisor("kotihoito"), demo.supervisor("ruokapalvelu")
    reply = world.jobs.send_follow_up(demo.team("kotihoito").id, clock.now)
    assert [m.member_id for m in reply.messages] == [pirjo.id]
    [card] = world.deliver(reply)
    assert card.text.startswith("Seuranta: Kotihoito") and "viimeistään *21.12.2026*" in card.text

    reply = world.jobs.send_follow_up(demo.team("ruokapalvelu").id, clock.now)
    assert [m.member_id for m in reply.messages] == [marja.id]
    [overdue] = world.deliver(reply)
    assert overdue.text.startswith("⚠️ Seuranta myöhässä: Ruokapalvelu") and "34 päivää myöhässä" in overdue.text

    # The card the scheduler sent works like the one the command brings.
    world.chat.tap(marja, DISCUSSED_FI, on=overdue)
    assert world.plan("ruokapalvelu").last_follow_up_on == clock.now.date()
    assert world.jobs.send_follow_up(demo.team("perusturva").id, clock.now).messages == ()  # no plan
    assert world.jobs.send_follow_up(987_654, clock.now).messages == ()  # no such team


def test_a_team_without_a_supervisor_has_its_card_go_to_the_wellbeing_officer(world: FollowUpWorld) -> None:
    demo = world.demo
    team = demo.team("ruokapalvelu")
    marja = demo.supervisor("ruokapalvelu")
    set_role(world, marja, Role.STAFF)  # Marja moves on; nobody has taken over yet
    reply = world.jobs.send_follow_up(team.id, world.clock.now)
    assert [m.member_id for m in reply.messages] == [demo.person("Outi").id]
    world.deliver(reply)


def test_a_reminder_brings_the_card_back_once(world: FollowUpWorld, clock: Clock) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    world.card(pirjo)
    world.chat.tap(pirjo, REMIND_FI, form={WHEN: "huomenna klo 14"})
    assert world.jobs.send_due_reminders(clock.now).messages == ()  # not yet

    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 14.00 in Helsinki
    reply = world.jobs.send_due_reminders(clock.now)
    assert [m.member_id for m in reply.messages] == [pirjo.id]
    [card] = world.deliver(reply)
    assert card.card.kind == "followup"
    assert "⏰ Pyysit muistuttamaan – tässä tiimin seuranta." in card.text
    assert world.pending(pirjo) == []
    assert world.jobs.send_due_reminders(clock.now).messages == ()  # never twice
    clock.advance(days=3)
    assert world.jobs.send_due_reminders(clock.now).messages == ()

    # The reminded card is a working card: a tap redraws it, without the reminder note.
    backup = world.action("kotihoito", "Varahenkilöiden lista")
    world.chat.tap(pirjo, "Tehty", on=card, question=question_of(backup))
    assert card.versions == 2 and "⏰" not in card.text


def test_a_reminder_no_longer_relevant_is_dropped_quietly(world: FollowUpWorld, clock: Clock) -> None:
    marja = world.demo.supervisor("ruokapalvelu")
    world.card(marja)
    world.chat.tap(marja, REMIND_FI, form={WHEN: "huomenna"})
    set_role(world, marja, Role.STAFF)  # Marja is no longer a supervisor when the time comes
    clock.advance(days=2)
    assert world.jobs.send_due_reminders(clock.now).messages == ()
    assert world.pending(marja) == []  # claimed, so it is not looked at again


def test_an_overdue_follow_up_is_escalated_once_per_missed_due_date(world: FollowUpWorld, clock: Clock) -> None:
    demo = world.demo
    outi = demo.person("Outi")
    assert world.jobs.escalate(demo.team("kotihoito").id, clock.now).messages == ()  # on time
    reply = escalate(world, "ruokapalvelu")
    assert [m.member_id for m in reply.messages] == [outi.id]
    [note] = world.deliver(reply)
    assert note.card.kind == "followup_escalation"
    assert note.text == (
        "Seuranta myöhässä: Ruokapalvelu\n"
        "Ruokapalvelu: kehittämissuunnitelman seuranta piti pitää viimeistään 20.10.2026, ja nyt se on 34 päivää "
        "myöhässä. Esihenkilö: Marja Heinonen. Esihenkilö voi tarvita tukea seurannan järjestämiseen.\n"
        "Avaa seuranta"
    )
    assert escalate(world, "ruokapalvelu").messages == ()  # called twice: told once
    clock.advance(days=1)
    assert escalate(world, "ruokapalvelu").messages == ()

    # Kotihoito misses its own due date later: that is a new miss, told once too, two weeks after it.
    clock.now = datetime.combine(KOTIHOITO_DUE + timedelta(days=14), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=8
    )
    reply = escalate(world, "kotihoito")
    assert len(reply.messages) == 1 and "Kotihoito" in world.deliver(reply)[0].text
    assert "14 päivää myöhässä" in world.chat.last_card(outi).text
    assert escalate(world, "kotihoito").messages == ()


def test_a_follow_up_held_and_missed_again_is_escalated_again(world: FollowUpWorld, clock: Clock) -> None:
    marja = world.demo.supervisor("ruokapalvelu")
    assert len(escalate(world, "ruokapalvelu").messages) == 1
    world.card(marja)
    world.chat.tap(marja, DISCUSSED_FI)  # held on 23.11.2026: next due 23.2.2027
    assert world.plan("ruokapalvelu").next_follow_up_due == date(2027, 2, 23)
    clock.now = datetime(2027, 2, 23, 20, 0, tzinfo=UTC)  # 22.00 on the due day in Helsinki: not yet late
    assert escalated_teams(world, clock) == ["Kotihoito"]  # kotihoito missed 21.12.2026 meanwhile
    clock.now = datetime(2027, 3, 9, 7, 0, tzinfo=UTC)  # two weeks late, when the planner runs the escalation
    assert escalated_teams(world, clock) == ["Ruokapalvelu"]
    note = world.chat.last_card(world.demo.person("Outi"))
    assert "viimeistään 23.2.2027, ja nyt se on 14 päivää myöhässä" in note.text
    assert escalated_teams(world, clock) == []


def escalated_teams(world: FollowUpWorld, clock: Clock) -> list[str]:
    """The teams named in the escalations sent now (each team's escalation job run), delivered to the officer."""
    notes = world.deliver(sum((escalate(world, key) for key in ("kotihoito", "ruokapalvelu")), Reply()))
    return [p.text.partition("\n")[0].partition(": ")[2] for p in notes]


def escalate(world: FollowUpWorld, team: str) -> Reply:
    """What the team's escalation job sends now."""
    return world.jobs.escalate(world.demo.team(team).id, world.clock.now)


def test_the_officer_opens_the_follow_up_from_the_escalation(world: FollowUpWorld, clock: Clock) -> None:
    outi = world.demo.person("Outi")
    [note] = world.deliver(escalate(world, "ruokapalvelu"))
    opened = world.chat.tap(outi, "Avaa seuranta", on=note)
    assert len(opened) == 1 and opened[0] is not note and note.versions == 1  # a new card; the note stays
    assert opened[0].text.startswith("⚠️ Seuranta myöhässä: Ruokapalvelu")
    anna = world.demo.person("Anna")
    refused = world.chat.press(anna, "followup.open", f"team:{world.demo.team('ruokapalvelu').id}")
    assert "Seurannan vetää tiimin esihenkilö" in refused[0].text


def test_escalations_speak_each_officers_language(world: FollowUpWorld, clock: Clock) -> None:
    outi = world.demo.person("Outi")
    world.speak(outi, "sv")
    [note] = world.deliver(escalate(world, "ruokapalvelu"))
    assert note.text.startswith("Uppföljningen är försenad: Ruokapalvelu")
    assert "nu är uppföljningen 34 dagar försenad" in note.text and "Chef: Marja Heinonen" in note.text
    assert world.chat.tap(outi, "Öppna uppföljningen", on=note)[0].text.startswith("⚠️ Uppföljningen är försenad")


def test_without_a_wellbeing_officer_nothing_is_claimed(world: FollowUpWorld, clock: Clock) -> None:
    outi = world.demo.person("Outi")
    set_role(world, outi, Role.STAFF)
    assert escalate(world, "ruokapalvelu").messages == ()
    set_role(world, outi, Role.WELLBEING_OFFICER)
    assert len(escalate(world, "ruokapalvelu").messages) == 1  # the first officer is still told
