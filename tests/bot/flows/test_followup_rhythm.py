"""A late follow-up never goes silent: the weekly card waits only for a capped snooze; the officers get a digest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.flows.followup_digest import MAX_TEAMS_LISTED, OverdueTeam, digest_card
from bot.follow_up_rhythm import FollowUpRhythm
from bot.organisation import Team
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_followup_support import REMIND_FI, WHEN, FollowUpWorld, followup_world


@pytest.fixture
def world(demo: Demo, clock: Clock) -> FollowUpWorld:
    return followup_world(demo, clock)


def test_the_weekly_card_waits_for_the_supervisors_own_reminder(world: FollowUpWorld, clock: Clock) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    team = world.demo.team("kotihoito").id
    clock.now = datetime(2026, 12, 29, 8, 0, tzinfo=UTC)  # Tuesday 10.00: kotihoito was due 21.12., 8 days ago
    [card] = world.deliver(world.jobs.send_follow_up(team, clock.now))
    assert card.text.startswith("⚠️ Seuranta myöhässä: Kotihoito")
    reply = world.chat.tap(pirjo, REMIND_FI, form={WHEN: "torstaina klo 12"}, on=card)
    assert reply[0].text == "Selvä! Muistutan sinua seurannasta (Kotihoito) 31.12.2026 klo 12.00."
    # Thursday nine: were the weekly card due now, it would wait, for Pirjo asked for it at noon.
    clock.now = datetime(2026, 12, 31, 7, 0, tzinfo=UTC)
    assert world.jobs.send_follow_up(team, clock.now).messages == ()
    clock.now = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
    [reminded] = world.deliver(world.jobs.send_due_reminders(clock.now))
    assert reminded.text.startswith("⚠️ Seuranta myöhässä: Kotihoito") and "⏰" in reminded.text
    # The next week, with no reminder pending, the card comes again.
    clock.now = datetime(2027, 1, 5, 7, 0, tzinfo=UTC)
    [again] = world.deliver(world.jobs.send_follow_up(team, clock.now))
    assert again.text.startswith("⚠️ Seuranta myöhässä: Kotihoito") and "15 päivää myöhässä" in again.text


def test_a_reminder_reaches_at_most_four_weeks_past_the_due_date(world: FollowUpWorld, clock: Clock) -> None:
    pirjo, marja = world.demo.supervisor("kotihoito"), world.demo.supervisor("ruokapalvelu")
    # Kotihoito is due 21.12.2026: a reminder may come up to 18.1.2027, not later.
    refused = world.chat.say(pirjo, "muistuta 1.2.2027")
    assert [p.text for p in refused] == [
        "Seuranta piti pitää viimeistään 21.12.2026, joten voin siirtää muistutusta enintään 18.1.2027 asti. "
        "Valitse aikaisempi päivä."
    ]
    assert world.pending(pirjo) == []
    assert "18.1.2027" in world.chat.say(pirjo, "muistuta 18.1.2027")[-1].text
    assert len(world.pending(pirjo)) == 1
    # Ruokapalvelu was due 20.10.2026, 34 days ago: past the limit, it can no longer be put off.
    refused = world.chat.say(marja, "muistuta huomenna")
    assert [p.text for p in refused] == [
        "Seurantaa ei voi enää siirtää: se piti pitää viimeistään 20.10.2026. Tuon seurantakortin sinulle 7 päivän "
        "välein, kunnes seuranta on pidetty."
    ]
    assert world.pending(marja) == []
    world.speak(marja, "en")
    assert world.chat.say(marja, "remind tomorrow")[-1].text.startswith("The follow-up can no longer be put off")


def test_the_digest_lists_every_team_past_its_escalation_most_overdue_first(world: FollowUpWorld, clock: Clock) -> None:
    outi = world.demo.person("Outi")
    # 4.1.2027: kotihoito is 14 days late and heard of today, so only ruokapalvelu is listed.
    clock.now = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    [digest] = world.deliver(world.jobs.send_digest(clock.now))
    assert digest.card.kind == "followup_digest" and digest.message.member_id == outi.id
    assert digest.text == (
        "Myöhässä olevat seurannat (1)\n"
        "Näissä tiimeissä kehittämissuunnitelman seuranta on yhä pitämättä. Esihenkilö saa seurantakortin "
        "muistutuksena säännöllisesti, mutta voi tarvita tukea seurannan järjestämiseen.\n"
        "• *Ruokapalvelu*: seuranta piti pitää viimeistään 20.10.2026, nyt se on 76 päivää myöhässä. "
        "Esihenkilö: Marja Heinonen.\n"
        "Avaa tiimin seuranta:\n"
        "Ruokapalvelu"
    )
    clock.now = datetime(2027, 2, 1, 7, 0, tzinfo=UTC)
    world.speak(outi, "sv")
    [digest] = world.deliver(world.jobs.send_digest(clock.now))
    lines = digest.text.splitlines()
    assert lines[0] == "Försenade uppföljningar (2)"
    assert lines[2].startswith("• *Ruokapalvelu*: uppföljningen borde ha hållits senast 20.10.2026 och är nu 104")
    assert lines[3].startswith("• *Kotihoito*: uppföljningen borde ha hållits senast 21.12.2026 och är nu 42")
    opened = world.chat.tap(outi, "Kotihoito", on=digest)
    assert opened[0].text.startswith("⚠️ Uppföljningen är försenad: Kotihoito")


def test_no_digest_when_no_team_is_late_past_its_escalation(world: FollowUpWorld, clock: Clock) -> None:
    marja = world.demo.supervisor("ruokapalvelu")
    world.card(marja)
    world.chat.tap(marja, "Käsitelty tiimipalaverissa")
    clock.now = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # kotihoito is due 21.12.: on time
    assert world.jobs.send_digest(clock.now).messages == ()


def test_a_citys_digest_stays_one_card_that_fits() -> None:
    late = [
        OverdueTeam(Team(n, f"t{n}", f"Tiimi {n:03}"), datetime(2026, 1, 1).date(), 400 - n, ("Anna Esimies",))
        for n in range(1, 301)
    ]
    card = digest_card(late, "fi")
    assert card.fallback_text == "Myöhässä olevat seurannat (300)"
    assert "Tiimi 001" in card.blocks[1].text and f"Tiimi {MAX_TEAMS_LISTED + 1:03}" not in card.blocks[1].text
    assert card.blocks[1].text.endswith(
        "Listasta jäi pois vielä muita tiimejä, yhteensä 280. Kaikki näkyvät koontinäkymässä."
    )


def test_the_rhythm_settings_are_read_and_checked() -> None:
    assert FollowUpRhythm.from_env({}) == FollowUpRhythm(7, 14, 28)
    assert FollowUpRhythm.from_env({"TYHY_FOLLOW_UP_SNOOZE_DAYS": " 0 "}).snooze_days == 0
    with pytest.raises(ValueError, match="TYHY_FOLLOW_UP_ESCALATION_DAYS must be at least 1"):
        FollowUpRhythm.from_env({"TYHY_FOLLOW_UP_ESCALATION_DAYS": "0"})
