"""The follow-up card: the plan in one card with owners, statuses, the pulse trend and successes; status taps."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.card_limits import card_problems
from bot.dimensions import Dimension
from bot.i18n import translate
from bot.messages import Question, TextInput
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from bot.pulse import PulseRound
from bot.questions import dimension_name
from bot.success import Success
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.test_followup_support import (
    DISCUSSED_FI,
    REMIND_FI,
    WHEN,
    FollowUpWorld,
    followup_world,
    question_of,
)


@pytest.fixture
def world(demo: Demo, clock: Clock) -> FollowUpWorld:
    return followup_world(demo, clock)


def test_the_card_holds_the_plan_owners_statuses_trend_and_successes(world: FollowUpWorld) -> None:
    card = world.card(world.demo.supervisor("kotihoito"))
    text = card.text
    assert card.card.kind == "followup" and card_problems(card.card) == []
    assert text.startswith("Seuranta: Kotihoito\n")
    assert "viimeistään *21.12.2026*" in text and "Edellinen seuranta 21.9.2026." in text
    assert "Seuranta myöhässä" not in text and "Seuranta on" not in text
    assert "*1. Työvuorot ennakoitaviksi*\nTavoite: Vuorolista on valmiina kolme viikkoa etukäteen." in text
    assert "*2. Palautetta säännöllisesti" in text
    # Each action with its owner, due date and status; the status is the selected button.
    assert "Yhteinen toivetaulukko käyttöön · vastuu: Anna Korhonen · aikataulu: 13.4.2026 · tehty [Tehty]" in text
    # An action past its day and not done is flagged; a done one never is.
    assert (
        "Varahenkilöiden lista päivitetään · vastuu: Elina Salo · aikataulu: 8.6.2026 · käynnissä · ⚠️ myöhässä" in text
    )
    assert "[Käynnissä]" in text and "13.4.2026 · tehty · ⚠️" not in text
    assert "Kahdenkeskiset keskustelut kaikkien kanssa · vastuu: Pirjo Mäkelä" in text and "[Jumissa]" in text
    questions = [b for b in card.card.blocks if isinstance(b, Question)]
    assert len(questions) == 4
    assert all(b.action == "followup.status" for b in questions)
    assert [c.value.split(":")[2] for c in questions[0].choices] == ["done", "in_progress", "stuck"]
    # The latest pulse of each target's dimensions, with the change from the round before.
    assert re.search(r"📊 Prosessit: \d+ %, [↑↓→] [+−±]\d+ prosenttiyksikköä edellisestä \(pulssi 2\.11\.2026\)", text)
    assert re.search(r"📊 Esihenkilötyö: \d+ %, [↑↓→] [+−±]\d+ prosenttiyksikköä edellisestä", text)
    assert "📊 Toimintakulttuuri: ei vielä pulssituloksia" in text  # the demo never asked about it
    # Successes since the last follow-up: two for the first target, three in all, newest first.
    assert text.count("🎉 Onnistumisia 21.9.2026 jälkeen: 2") == 1
    assert text.count("🎉 Onnistumisia 21.9.2026 jälkeen: 0") == 1
    assert "*Onnistumiset 21.9.2026 jälkeen (3)*" in text
    assert text.index("kiitoskortin") < text.index("Marraskuun vuorolista") < text.index("Uusi toivetaulukko")
    assert DISCUSSED_FI in text and REMIND_FI in text
    assert any(isinstance(b, TextInput) and b.id == WHEN for b in card.card.blocks)
    assert card.card.fallback_text == "Kehittämissuunnitelman seuranta: Kotihoito – viimeistään 21.12.2026"


def test_an_overdue_follow_up_stands_out_and_a_small_team_result_stays_hidden(world: FollowUpWorld) -> None:
    card = world.card(world.demo.supervisor("ruokapalvelu"))
    text = card.text
    assert text.startswith("⚠️ Seuranta myöhässä: Ruokapalvelu\n")
    assert "⚠️ *Seuranta on 34 päivää myöhässä*: se piti pitää viimeistään 20.10.2026." in text
    assert "myöhässä" in card.card.fallback_text
    # Four of seven answered: under the threshold of five, so no index at all.
    assert "📊 Osaaminen: liian vähän vastauksia näytettäväksi (pulssi 2.11.2026;" in text
    assert "vähintään 5 vastaajasta" in text
    assert not re.search(r"Osaaminen: \d", text)
    assert "Perehdytyslista kirjoitetaan · vastuu: ei vielä nimetty · aikataulu: 27.4.2026 · suunniteltu" in text
    assert "[" not in text  # a planned action has no status selected yet
    assert "*Onnistumiset 20.7.2026 jälkeen:* ei vielä yhtään kirjattuna" in text


def test_the_card_speaks_the_supervisors_language(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    world.speak(pirjo, "sv")
    text = world.card(pirjo, "uppföljning").text
    assert text.startswith("Uppföljning: Kotihoito") and "[Klar]" in text and "Behandlad på teammötet" in text
    assert f"📊 {dimension_name(Dimension.PROCESSES, 'sv')}: " in text
    world.speak(pirjo, "en")
    text = world.card(pirjo, "followup").text
    assert text.startswith("Follow-up: Kotihoito") and "by *21 Dec 2026*" in text
    assert "owner: Anna Korhonen" in text and "[Done]" in text and "Discussed in the team meeting" in text
    assert re.search(r"percentage points since the previous round \(pulse of 2 Nov 2026\)", text)


def test_a_status_tap_updates_the_card_in_place_and_is_saved(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    card = world.card(pirjo)
    backup = world.action("kotihoito", "Varahenkilöiden lista")
    tapped = world.chat.tap(pirjo, "Jumissa", question=question_of(backup), form={WHEN: "ensi viikolla"})
    assert tapped == [card] and card.versions == 2  # the same message, redrawn
    assert world.status("kotihoito", "Varahenkilöiden lista") is ActionStatus.STUCK
    assert "Varahenkilöiden lista päivitetään · vastuu: Elina Salo · aikataulu: 8.6.2026 · jumissa" in card.text
    field = next(b for b in card.card.blocks if isinstance(b, TextInput) and b.id == WHEN)
    assert field.initial == "ensi viikolla"  # what was typed for the reminder survives the redraw
    assert len(world.chat.inbox(pirjo)) == 1

    world.chat.tap(pirjo, "Tehty", question=question_of(backup))
    assert world.status("kotihoito", "Varahenkilöiden lista") is ActionStatus.DONE
    assert card.versions == 3 and world.chat.inbox(pirjo) == [card]
    # The other actions kept theirs, and the plan kept its ids (successes stay tied to their targets).
    assert world.status("kotihoito", "Kahdenkeskiset") is ActionStatus.STUCK
    assert world.action("kotihoito", "Varahenkilöiden lista").id == backup.id
    assert "🎉 Onnistumisia 21.9.2026 jälkeen: 2" in card.text


def test_staff_are_refused_and_nothing_changes(world: FollowUpWorld) -> None:
    demo = world.demo
    anna = demo.person("Anna")
    assert "Seurannan vetää tiimin esihenkilö" in world.chat.say(anna, "seuranta")[0].text
    before = world.plan("kotihoito")
    held = world.plans.follow_up_dates(before.id or 0)
    action = world.action("kotihoito", "Varahenkilöiden lista")
    plan_value = f"plan:{before.id}"
    for name, value, form in (
        ("followup.status", f"action:{action.id}:done", {}),
        ("followup.discussed", plan_value, {}),
        ("followup.remind", plan_value, {WHEN: "huomenna klo 14"}),
        ("followup.open", f"team:{demo.team('kotihoito').id}", {}),
    ):
        reply = world.chat.press(anna, name, value, form=form)
        assert len(reply) == 1 and "Seurannan vetää tiimin esihenkilö" in reply[0].text
    assert world.plan("kotihoito") == before
    assert world.plans.follow_up_dates(before.id or 0) == held
    assert world.pending(anna) == []


def test_a_supervisor_can_not_follow_up_another_team(world: FollowUpWorld) -> None:
    marja = world.demo.supervisor("ruokapalvelu")
    before = world.plan("kotihoito")
    action = world.action("kotihoito", "Varahenkilöiden lista")
    assert "Kotihoito: seurannasta vastaa tiimin oma esihenkilö" in world.chat.say(marja, "seuranta kotihoito")[0].text
    refused = world.chat.press(marja, "followup.status", f"action:{action.id}:done")
    assert "En löydä tätä tiimisi suunnitelmasta" in refused[0].text
    refused = world.chat.press(marja, "followup.discussed", f"plan:{before.id}")
    assert "En löydä tätä tiimisi suunnitelmasta" in refused[0].text
    assert world.plan("kotihoito") == before


def test_forged_and_stale_values_are_not_found(world: FollowUpWorld) -> None:
    pirjo = world.demo.supervisor("kotihoito")
    action = world.action("kotihoito", "Varahenkilöiden lista")
    before = world.plan("kotihoito")
    for name, value in (
        ("followup.status", "action:abc:done"),
        ("followup.status", f"action:{action.id}:planned"),
        ("followup.status", f"action:{action.id}:finished"),
        ("followup.status", f"plan:{before.id}"),
        ("followup.status", "action:99999999:done"),
        ("followup.discussed", "plan:"),
        ("followup.discussed", f"action:{action.id}"),
        ("followup.discussed", "plan:99999999"),
        ("followup.remind", "plan:1234567890123"),
    ):
        assert "En löydä tätä" in world.chat.press(pirjo, name, value)[0].text, (name, value)
    assert world.chat.press(pirjo, "followup.nothing", "x")[0].text == translate("fi", "action.unknown")
    assert world.plan("kotihoito") == before


def test_a_wellbeing_officer_may_follow_up_any_team(world: FollowUpWorld) -> None:
    outi = world.demo.person("Outi")
    card = world.card(outi, "seuranta ruokapalvelu")
    assert card.text.startswith("⚠️ Seuranta myöhässä: Ruokapalvelu")
    checklist = world.action("ruokapalvelu", "Perehdytyslista")
    world.chat.tap(outi, "Käynnissä", question=question_of(checklist))
    assert world.status("ruokapalvelu", "Perehdytyslista") is ActionStatus.IN_PROGRESS
    assert "Seuranta: Ruokapalvelu" not in world.chat.say(outi, "seuranta tuntematon")[0].text


def test_without_an_agreed_plan_there_is_nothing_to_follow_up(world: FollowUpWorld) -> None:
    helena = world.demo.supervisor("perusturva")
    assert "Perusturva: tiimillä ei ole vielä kehittämissuunnitelmaa" in world.chat.say(helena, "seuranta")[0].text
    team = world.demo.team("perusturva")
    world.plans.save(DevelopmentPlan(team.id, 2026, targets=(Target("Tavoite"),), strengths=(Strength("Vahvuus"),)))
    assert "Perusturva: suunnitelmasta ei ole vielä sovittu" in world.chat.say(helena, "seuranta")[0].text
    assert world.jobs.send_follow_up(team.id, world.clock.now).messages == ()


def test_a_full_plan_stays_one_card_within_platform_limits(world: FollowUpWorld, clock: Clock) -> None:
    team = world.demo.team("kotihoito")
    plan = world.plan("kotihoito")
    long = "Pitkä toimenpide, jossa on paljon sanoja ja yksityiskohtia. " * 20
    owner = world.demo.person("Juha").id
    targets = tuple(
        replace(
            target,
            title=target.title + " " + long,
            goal=long,
            actions=target.actions
            + tuple(PlanAction(f"{n}. {long}", owner, clock.now.date(), ActionStatus.IN_PROGRESS) for n in range(6)),
        )
        for target in plan.targets
    )
    extra = tuple(PlanAction(f"{n}. {long}", None, None) for n in range(10))
    third = Target(long, (Dimension.BELONGING, Dimension.GOALS, Dimension.LEADERSHIP), actions=extra)
    world.plans.save(replace(plan, targets=(*targets, third)))
    successes = SuccessRepository(world.demo.db)
    for n in range(8):
        successes.add(
            Success(team.id, "Onnistuimme! " * 150, clock.now - timedelta(days=n), world.demo.person("Anna").id)
        )
    card = world.card(world.demo.supervisor("kotihoito"))
    assert card_problems(card.card) == []
    assert card.text.count("Muita toimenpiteitä: 4.") == 2 and "Muita toimenpiteitä: 6." in card.text
    assert len([b for b in card.card.blocks if isinstance(b, Question)]) == 12
    assert "…ja muita onnistumisia: 8." in card.text  # 3 demo successes and 8 new since the last follow-up, 3 shown


def test_the_trend_is_the_latest_closed_round_that_asked_each_dimension(world: FollowUpWorld, clock: Clock) -> None:
    demo = world.demo
    team = demo.team("kotihoito")
    pulses = PulseRepository(demo.db)
    before = world.card(demo.supervisor("kotihoito")).text
    supervisor_line = next(line for line in before.splitlines() if line.startswith("📊 Esihenkilötyö"))
    # A round still open: its counts are not final, so the card does not change.
    open_round = pulses.create_round(
        demo.org.id,
        PulseRound(clock.now - timedelta(days=1), clock.now + timedelta(days=6), {team.id: ("PR1",)}),
        invited={team.id: 14},
    )
    assert open_round.id is not None
    for member in demo.staff("kotihoito")[:6]:
        pulses.record_answers(open_round.id, member.id, team.id, {"PR1": 1})
    assert world.card(demo.supervisor("kotihoito")).text == before
    # Once it has closed, processes show its result; supervisor work, not asked then, keeps the older one.
    clock.advance(days=7)
    after = world.card(demo.supervisor("kotihoito")).text
    assert re.search(r"📊 Prosessit: 0 %, ↓ −\d+ prosenttiyksikköä edellisestä \(pulssi 29\.11\.2026\)", after)
    assert supervisor_line in after


def test_a_latest_round_under_the_threshold_hides_the_index(world: FollowUpWorld, clock: Clock) -> None:
    demo = world.demo
    team = demo.team("kotihoito")
    pulses = PulseRepository(demo.db)
    small = pulses.create_round(
        demo.org.id,
        PulseRound(clock.now - timedelta(days=3), clock.now - timedelta(hours=1), {team.id: ("PR1", "FE1")}),
        invited={team.id: 14},
    )
    assert small.id is not None
    for member in demo.staff("kotihoito")[:3]:  # three of fourteen answered
        pulses.record_answers(small.id, member.id, team.id, {"PR1": 5, "FE1": 5})
    text = world.card(demo.supervisor("kotihoito")).text
    assert "📊 Prosessit: liian vähän vastauksia näytettäväksi (pulssi 23.11.2026;" in text
    safety = dimension_name(Dimension.SAFETY, "fi")
    assert f"📊 {safety}: liian vähän vastauksia näytettäväksi" in text and not re.search(r"Prosessit: \d", text)
    assert re.search(r"📊 Esihenkilötyö: \d+ %", text)  # not asked in the small round: the earlier result stands


def test_a_result_hidden_to_protect_a_smaller_group_says_so(world: FollowUpWorld, clock: Clock) -> None:
    """Six of kotihoito answered, but only two of ruokapalvelu: perusturva's total minus kotihoito would show them."""
    demo = world.demo
    koti, ruoka = demo.team("kotihoito"), demo.team("ruokapalvelu")
    pulses = PulseRepository(demo.db)
    asked = {koti.id: ("PR1", "FE1"), ruoka.id: ("PR1", "FE1")}
    protected = pulses.create_round(
        demo.org.id,
        PulseRound(clock.now - timedelta(days=3), clock.now - timedelta(hours=1), asked),
        invited={koti.id: 14, ruoka.id: 7},
    )
    assert protected.id is not None
    for team, people in ((koti, demo.staff("kotihoito")[:6]), (ruoka, demo.staff("ruokapalvelu")[:2])):
        for member in people:
            pulses.record_answers(protected.id, member.id, team.id, {"PR1": 4, "FE1": 4})
    text = world.card(demo.supervisor("kotihoito")).text
    assert (
        "📊 Prosessit: piilotettu, jotta pienemmän ryhmän vastauksia ei voisi päätellä yksikön kokonaistuloksesta "
        "(pulssi 23.11.2026)" in text
    )
    assert "liian vähän vastauksia" not in text  # six answered: that would not be the reason
    world.speak(demo.supervisor("kotihoito"), "en")
    english = world.card(demo.supervisor("kotihoito"), "followup").text
    assert "Processes: hidden so that a smaller group's answers cannot be worked out from the unit's total" in english
