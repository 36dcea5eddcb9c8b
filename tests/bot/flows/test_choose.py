"""Me – us – all of us through the in-memory chat: picking alone, talking in pairs, the tally and the plan."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.card_limits import card_problems
from bot.conversation import Conversation
from bot.flows.choose import ChooseFlow
from bot.flows.choose_model import ChooseSession, Stage
from bot.flows.plan_view import PlanViewFlow
from bot.i18n import translate
from bot.messages import Buttons, Select, TextInput
from bot.organisation import Member, Team
from storage.calendar_repository import CalendarRepository
from storage.choose_repository import ChooseRepository
from storage.org_changes import organisation_changed
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted

# The demo's calendar writes the 2026 plan on 12.3.2026: a choosing before it fills that plan, one after it (the
# tests' clock starts in November) starts next year's.
BEFORE_THE_PLAN_STEP = datetime(2026, 2, 23, 8, tzinfo=UTC)


@pytest.fixture
def chat(demo: Demo, clock: Clock) -> FakeChat:
    directory = OrganisationRepository(demo.db)
    plans = PlanRepository(demo.db)
    sessions, calendars = ChooseRepository(demo.db), CalendarRepository(demo.db)
    flow = ChooseFlow(directory, sessions, plans, clock, random.Random(2026), calendars=calendars)
    return FakeChat(Conversation(directory, clock, [flow, PlanViewFlow(directory, plans, clock)]))


# --- Helpers: what a person does and sees -------------------------------------------------------------------


def cards(chat: FakeChat, member: Member, kind: str) -> list[Posted]:
    return [p for p in chat.inbox(member) if p.message.card is not None and p.card.kind == kind]


def button_label(posted: Posted, action: str) -> str:
    for block in posted.card.blocks:
        if isinstance(block, Buttons):
            for button in block.buttons:
                if button.action == action:
                    return button.label
    raise AssertionError(f"no {action} button on {posted.card.kind}")


def send_picks(
    chat: FakeChat, member: Member, strengths: str = "", targets: str = "", own_s: str = "", own_t: str = ""
) -> list[Posted]:
    card = cards(chat, member, "choose.me")[-1]
    form = {"strengths": strengths, "targets": targets, "strengths_own": own_s, "targets_own": own_t}
    return chat.tap(member, button_label(card, "choose.send"), on=card, form=form)


def step(chat: FakeChat, member: Member, action: str, form: dict[str, str] | None = None) -> list[Posted]:
    """The supervisor presses the step's button on their newest card that has it."""
    card = next(p for p in reversed(chat.inbox(member)) if p.message.card and _has(p, action))
    return chat.tap(member, button_label(card, action), on=card, form=form)


def _has(posted: Posted, action: str) -> bool:
    return any(isinstance(b, Buttons) and any(x.action == action for x in b.buttons) for b in posted.card.blocks)


def select(posted: Posted, select_id: str) -> Select:
    return next(b for b in posted.card.blocks if isinstance(b, Select) and b.id == select_id)


def choice_value(posted: Posted, select_id: str, label_part: str) -> str:
    return next(c.value for c in select(posted, select_id).choices if label_part in c.label)


def session_of(demo: Demo, team: Team, clock: Clock) -> ChooseSession:
    session = ChooseRepository(demo.db).open_for_team(team.id, clock())
    assert session is not None
    return session


def everything(chat: FakeChat) -> list[tuple[str, Posted]]:
    return [(key, posted) for key, transcript in chat.transcripts.items() for posted in transcript]


# --- The whole method ---------------------------------------------------------------------------------------

# Each person's own words carry a token no one else wrote, so the test can follow where a person's picks go.
DIMENSIONS = ("FE", "YI", "PL", "SW", "CO", "LE", "PR", "OC")


def everyone_picks(chat: FakeChat, members: list[Member]) -> dict[int, str]:
    tokens = {}
    for number, member in enumerate(members):
        tokens[member.id] = f"Ajatus-{number:02d}"
        strengths = ",".join((DIMENSIONS[number % 4], "YI"))  # YI by everyone: the clear winner
        send_picks(chat, member, strengths, DIMENSIONS[6 + number % 2], own_t=tokens[member.id])
    return tokens


def test_the_whole_team_chooses_together_and_the_plan_gets_what_they_agreed(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    clock.now = BEFORE_THE_PLAN_STEP
    pirjo, team, members = demo.supervisor("kotihoito"), demo.team("kotihoito"), demo.staff("kotihoito")
    assert len(members) == 14

    # Me: the supervisor starts; every member gets their own card in their language.
    started = chat.say(pirjo, "valitaan")
    control = started[0]
    assert control.card.kind == "choose.control"
    assert "14" in control.text and "Muodosta parit" in control.text
    for member in members:
        assert len(cards(chat, member, "choose.me")) == 1
    assert "Vahvuudet" in cards(chat, demo.person("Anna"), "choose.me")[0].text
    assert "Styrkor" in cards(chat, demo.person("Maria"), "choose.me")[0].text
    assert "Strengths" in cards(chat, demo.person("Ahmed"), "choose.me")[0].text

    tokens = everyone_picks(chat, members)
    saved = cards(chat, demo.person("Anna"), "choose.me")[-1]
    assert saved.versions == 2 and "Kiitos" in saved.text and "Ajatus-" in saved.text  # updated in place
    status = chat.say(pirjo, "valitaan")[0]
    assert "jo valinta käynnissä" in status.text and "14 / 14" in status.text

    # Us: pairs at random; each gets their pair's picks.
    step(chat, pirjo, "choose.pair")
    session = session_of(demo, team, clock)
    assert session.stage is Stage.US
    pairs = ChooseRepository(demo.db).pairs(session.id)
    assert sorted(len(p) for p in pairs) == [2] * 7
    assert sorted(m for p in pairs for m in p) == sorted(m.id for m in members)
    names = {m.id: m.name for m in members}
    for pair in pairs:
        for member_id in pair:
            member = next(m for m in members if m.id == member_id)
            (card,) = cards(chat, member, "choose.pair")
            assert all(names[other] in card.text and tokens[other] in card.text for other in pair)
    assert "Näytä yhteenveto" in cards(chat, pirjo, "choose.control")[-1].text

    # All of us: the tally in the channel, no names; the supervisor confirms into the plan.
    step(chat, pirjo, "choose.tally")
    (tally,) = chat.channel(team)
    assert tally.card.kind == "choose.tally"
    assert "Yhteenkuuluvuus ja identiteetti – 14" in tally.text
    assert not any(m.name.split()[0] in tally.text for m in members)
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    assert "lisätä voi vielä 1 + 1" in confirm.text and "Yhteenveto näkyy pian tiimin kanavalla" in confirm.text

    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "YI", "confirm_targets": "PR"})
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    assert plan.strengths[-1].text == "Yhteenkuuluvuus ja identiteetti" and plan.strengths[-1].dimension == "YI"
    assert plan.targets[-1].title == "Prosessit" and plan.targets[-1].dimensions == ("PR",)
    assert len(plan.strengths) == len(plan.targets) == 3
    chosen = chat.channel(team)[-1]
    assert chosen.card.kind == "choose.chosen" and "Prosessit" in chosen.text and "kehittämistyöpaja" in chosen.text
    assert chat.last_card(pirjo).card.kind == "plan" and "Prosessit" in chat.last_card(pirjo).text
    # The dimensions are kept as codes: a reader of another language sees them named in theirs.
    chat.say(pirjo, "kieli en")
    (view,) = chat.say(pirjo, "plan")
    assert "  3. Processes\n" in view.text and "  • Belonging and identity\n" in view.text
    assert "Prosessit" not in view.text
    chat.say(pirjo, "language fi")
    done = ChooseRepository(demo.db).get(session.id)
    assert done is not None and done.stage is Stage.DONE

    # The whole run kept every card within both platforms' limits, and a new round can start.
    assert all(card_problems(p.card) == [] for _, p in everything(chat) if p.message.card is not None)
    assert "Valinta alkoi" in chat.say(pirjo, "valitaan")[0].text


def test_a_persons_picks_reach_only_their_own_pair_and_the_tally_names_no_one(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo, team, members = demo.supervisor("kotihoito"), demo.team("kotihoito"), demo.staff("kotihoito")
    chat.say(pirjo, "valitaan")
    session = session_of(demo, team, clock)
    tokens = everyone_picks(chat, members[:-1])  # 13 pick: one trio too
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "YI", "confirm_targets": "PR"})

    pairs = ChooseRepository(demo.db).pairs(session.id)
    pair_of = {member_id: pair for pair in pairs for member_id in pair}
    named = {m.id: m.name for m in demo.members}
    anonymous_kinds = {"choose.tally", "choose.confirm", "choose.chosen"}
    for key, posted in everything(chat):
        text = posted.text
        kind = posted.card.kind if posted.message.card is not None else "text"
        if kind in anonymous_kinds:
            assert not any(name in text or name.split()[0] in text for name in named.values()), kind
            continue
        for member_id, token in tokens.items():
            if token in text:
                # Anywhere else a person's own words show, it is in the direct messages of their pair or trio.
                assert key in {f"dm-{other}" for other in pair_of[member_id]}, (kind, key, token)


def test_an_odd_number_makes_one_trio_and_those_who_did_not_pick_get_no_pair(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo, members = demo.supervisor("kotihoito"), demo.staff("kotihoito")
    chat.say(pirjo, "valitaan")
    jari = demo.person("Jari")
    everyone_picks(chat, [m for m in members if m.id != jari.id])
    step(chat, pirjo, "choose.pair")
    pairs = ChooseRepository(demo.db).pairs(session_of(demo, demo.team("kotihoito"), clock).id)
    assert sorted(len(p) for p in pairs) == [2, 2, 2, 2, 2, 3]
    assert cards(chat, jari, "choose.pair") == []
    trio = next(p for p in pairs if len(p) == 3)
    card = cards(chat, next(m for m in members if m.id == trio[0]), "choose.pair")[0]
    assert all(m.name in card.text for m in members if m.id in trio)
    assert "Pareja: 6" in cards(chat, pirjo, "choose.control")[-1].text


def test_the_same_seed_draws_the_same_pairs(demo: Demo, clock: Clock) -> None:
    drawn = []
    for _ in range(2):
        directory, plans = OrganisationRepository(demo.db), PlanRepository(demo.db)
        flow = ChooseFlow(directory, ChooseRepository(demo.db), plans, clock, random.Random(5))
        chat = FakeChat(Conversation(directory, clock, [flow]))
        pirjo = demo.supervisor("kotihoito")
        chat.say(pirjo, "valitaan")
        everyone_picks(chat, demo.staff("kotihoito"))
        step(chat, pirjo, "choose.pair")
        session = session_of(demo, demo.team("kotihoito"), clock)
        drawn.append(ChooseRepository(demo.db).pairs(session.id))
        step(chat, pirjo, "choose.cancel")
    assert drawn[0] == drawn[1]


# --- A person's own picks -----------------------------------------------------------------------------------


def test_more_than_three_of_a_kind_is_refused_and_nothing_is_saved(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna, ahmed = demo.supervisor("kotihoito"), demo.person("Anna"), demo.person("Ahmed")
    chat.say(pirjo, "valitaan")
    send_picks(chat, anna, "FE", "PR")
    session = session_of(demo, demo.team("kotihoito"), clock)
    before = ChooseRepository(demo.db).picks(session.id)

    refused = send_picks(chat, anna, "FE,YI", "PR", own_s="Huumori\nKahvitauot")
    assert "enintään 3 vahvuutta" in refused[0].text and "Mitään ei tallennettu" in refused[0].text
    refused = send_picks(chat, anna, "FE", "PR,SW,CO,LE")
    assert "enintään 3 kehittämiskohdetta" in refused[0].text
    assert "at most 3 strengths" in send_picks(chat, ahmed, "FE,YI,PL,SW")[0].text
    assert ChooseRepository(demo.db).picks(session.id) == before


def test_a_refused_card_comes_back_with_what_the_person_picked_and_wrote(chat: FakeChat, demo: Demo) -> None:
    pirjo, anna, ahmed = demo.supervisor("kotihoito"), demo.person("Anna"), demo.person("Ahmed")
    chat.say(pirjo, "valitaan")
    (refused,) = send_picks(chat, anna, "FE,YI", "PR", own_s="Huumori\nKahvitauot", own_t="Perehdytys")
    assert refused.card.kind == "choose.me" and refused.versions == 2  # the same card, drawn again
    assert "enintään 3 vahvuutta – nyt niitä oli 4" in refused.text
    assert select(refused, "strengths").selected == ("FE", "YI")
    assert select(refused, "targets").selected == ("PR",)
    assert own_words_field(refused, "strengths_own").initial == "Huumori\nKahvitauot"
    assert own_words_field(refused, "targets_own").initial == "Perehdytys"

    (refused,) = send_picks(chat, ahmed, "FE,YI,PL,SW", own_t="x" * 201)
    assert "at most 3 strengths" in refused.text and select(refused, "strengths").selected == ("FE", "YI", "PL", "SW")
    assert own_words_field(refused, "targets_own").initial == "x" * 201


def own_words_field(posted: Posted, field_id: str) -> TextInput:
    return next(b for b in posted.card.blocks if isinstance(b, TextInput) and b.id == field_id)


def test_sending_again_replaces_ones_picks_and_own_words_count_with_the_dimensions(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    chat.say(pirjo, "valitaan")
    send_picks(chat, anna, "FE,YI", "PR")
    send_picks(chat, anna, "CO", "", own_s="  Huumori  \nhuumori", own_t="Perehdytys; Palaverit")
    session = session_of(demo, demo.team("kotihoito"), clock)
    picks = ChooseRepository(demo.db).picks(session.id)
    assert [(p.kind.value, p.choice) for p in picks] == [
        ("strength", "CO"),
        ("strength", "Huumori"),
        ("target", "Perehdytys"),
        ("target", "Palaverit"),
    ]
    card = cards(chat, anna, "choose.me")[-1]
    assert card.versions == 3 and "Osaaminen · Huumori" in card.text


def test_nothing_picked_unknown_codes_and_long_words_are_refused(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    chat.say(pirjo, "valitaan")
    assert "ainakin yksi" in send_picks(chat, anna)[0].text
    assert "en tunnista" in send_picks(chat, anna, "FE,XX")[0].text
    assert "enintään 200 merkkiä" in send_picks(chat, anna, own_t="x" * 201)[0].text
    assert ChooseRepository(demo.db).picks(session_of(demo, demo.team("kotihoito"), clock).id) == []


def test_a_member_who_lost_the_card_gets_it_back_with_their_picks(chat: FakeChat, demo: Demo) -> None:
    chat.say(demo.supervisor("kotihoito"), "valitaan")
    anna = demo.person("Anna")
    send_picks(chat, anna, "SW", "OC")
    again = chat.say(anna, "valitaan")[0]
    assert again.card.kind == "choose.me" and "Esihenkilötyö" in again.text
    assert select(again, "strengths").selected == ("SW",)


def test_picks_are_closed_once_the_pairs_are_drawn(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna, juha = demo.supervisor("kotihoito"), demo.person("Anna"), demo.person("Juha")
    chat.say(pirjo, "valitaan")
    send_picks(chat, anna, "FE")
    send_picks(chat, juha, "YI")
    step(chat, pirjo, "choose.pair")
    assert "Parit on jo muodostettu" in send_picks(chat, anna, "PL")[0].text
    session = session_of(demo, demo.team("kotihoito"), clock)
    assert [p.choice for p in ChooseRepository(demo.db).picks(session.id, [anna.id])] == ["FE"]


# --- Who may lead, and stale or forged buttons ---------------------------------------------------------------


def test_staff_cannot_start_and_are_told_kindly_in_their_language(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    assert "esihenkilö" in chat.say(demo.person("Anna"), "valitaan")[0].text
    assert "chef" in chat.say(demo.person("Maria"), "välj")[0].text
    assert "supervisor" in chat.say(demo.person("Ahmed"), "choose")[0].text
    assert ChooseRepository(demo.db).open_for_team(demo.team("kotihoito").id, clock()) is None
    assert all(cards(chat, m, "choose.me") == [] for m in demo.staff("kotihoito"))


def test_forged_steps_by_staff_or_another_teams_supervisor_change_nothing(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo, anna, juha = demo.supervisor("kotihoito"), demo.person("Anna"), demo.person("Juha")
    marja, petri = demo.supervisor("ruokapalvelu"), demo.person("Petri")
    chat.say(pirjo, "valitaan")
    send_picks(chat, anna, "FE,YI", "PR")
    send_picks(chat, juha, "YI", "SW")
    session = session_of(demo, demo.team("kotihoito"), clock)
    value = str(session.id)

    assert "esihenkilö" in chat.press(anna, "choose.pair", value)[0].text
    assert "Kotihoito" in chat.press(marja, "choose.pair", value)[0].text  # not her team
    assert "Kotihoito" in chat.press(petri, "choose.send", value, form={"strengths": "FE"})[0].text
    assert "en enää löydä" in chat.press(anna, "choose.pair", "abc")[0].text
    assert "en enää löydä" in chat.press(anna, "choose.pair", "99999")[0].text
    assert session_of(demo, demo.team("kotihoito"), clock).stage is Stage.ME

    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    plan_before = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    form = {"confirm_strengths": "YI", "confirm_targets": "PR"}
    assert "esihenkilö" in chat.press(anna, "choose.confirm", value, form=form)[0].text
    assert "esihenkilö" in chat.press(anna, "choose.cancel", value)[0].text
    assert PlanRepository(demo.db).current(demo.team("kotihoito").id) == plan_before
    assert session_of(demo, demo.team("kotihoito"), clock).stage is Stage.ALL


def test_a_supervisor_cannot_start_another_teams_round_but_the_wellbeing_officer_can(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    assert "Kotihoito" in chat.say(demo.supervisor("ruokapalvelu"), "valitaan kotihoito")[0].text
    assert "ei-ole" in chat.say(demo.person("Outi"), "valitaan ei-ole")[0].text
    assert ChooseRepository(demo.db).open_for_team(demo.team("kotihoito").id, clock()) is None
    started = chat.say(demo.person("Outi"), "valitaan kotihoito")
    assert started[0].card.kind == "choose.control" and "Kotihoito" in started[0].text
    assert cards(chat, demo.person("Outi"), "choose.me") == []  # not in kotihoito: she leads, she does not pick
    assert len(cards(chat, demo.person("Anna"), "choose.me")) == 1


def test_a_second_round_is_refused_while_one_is_open(chat: FakeChat, demo: Demo) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    chat.say(pirjo, "valitaan")
    again = chat.say(pirjo, "valitaan")
    assert len(again) == 1 and "jo valinta käynnissä" in again[0].text
    assert len(cards(chat, anna, "choose.me")) == 1


def test_a_double_tap_acts_once_and_too_few_cannot_pair(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna, juha = demo.supervisor("kotihoito"), demo.person("Anna"), demo.person("Juha")
    chat.say(pirjo, "valitaan")
    send_picks(chat, anna, "FE")
    assert "vasta 1" in step(chat, pirjo, "choose.pair")[0].text
    assert session_of(demo, demo.team("kotihoito"), clock).stage is Stage.ME
    send_picks(chat, juha, "YI")
    step(chat, pirjo, "choose.pair")
    value = str(session_of(demo, demo.team("kotihoito"), clock).id)
    assert "jo tehty" in chat.press(pirjo, "choose.pair", value)[0].text
    assert len(cards(chat, anna, "choose.pair")) == 1


def test_a_round_left_open_closes_by_itself_and_one_can_be_ended(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    chat.say(pirjo, "valitaan")
    clock.advance(days=15)
    assert "päättynyt" in send_picks(chat, anna, "FE")[0].text
    assert "Valinta alkoi" in chat.say(pirjo, "valitaan")[0].text
    step(chat, pirjo, "choose.cancel")
    assert "lopetettiin" in chat.last(pirjo).text
    assert "Valinta alkoi" in chat.say(pirjo, "valitaan")[0].text


# --- Confirming into the plan ---------------------------------------------------------------------------------


def test_confirming_more_than_three_or_more_than_the_plan_holds_is_refused(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    clock.now = BEFORE_THE_PLAN_STEP
    pirjo, team, members = demo.supervisor("kotihoito"), demo.team("kotihoito"), demo.staff("kotihoito")
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, members)
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    plans = PlanRepository(demo.db)
    before = plans.current(team.id)

    four = {"confirm_strengths": "YI,FE,PL,SW", "confirm_targets": ""}
    assert "enää 1 – valitsit 4" in step(chat, pirjo, "choose.confirm", form=four)[0].text
    two = {"confirm_strengths": "YI,FE", "confirm_targets": ""}  # the plan has room for one more
    assert "mahtuu suunnitelmaan enää 1 – valitsit 2" in step(chat, pirjo, "choose.confirm", form=two)[0].text
    assert "ainakin yksi" in step(chat, pirjo, "choose.confirm", form={})[0].text
    forged = {"confirm_strengths": "ZZ"}
    assert "en tunnista" in step(chat, pirjo, "choose.confirm", form=forged)[0].text
    assert plans.current(team.id) == before
    assert session_of(demo, team, clock).stage is Stage.ALL

    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "", "confirm_targets": "OC"})
    after = plans.current(team.id)
    assert before is not None and after is not None and after.strengths == before.strengths
    assert [t.title for t in after.targets][-1] == "Toimintakulttuuri"


@pytest.mark.parametrize(
    ("command", "room", "label", "refusal"),
    [
        (
            "kieli fi",
            "lisätä voi vielä 1 + 1",
            "Vahvuudet suunnitelmaan (tilaa vielä 1)",
            "Vahvuuksia mahtuu suunnitelmaan enää 1 – valitsit 2",
        ),
        (
            "språk sv",
            "Det ryms alltså 1 + 1 till",
            "Styrkor till planen (plats för 1 till)",
            "Styrkor: planen har plats för bara 1 till – du valde 2",
        ),
        (
            "language en",
            "there is room for 1 + 1 more",
            "Strengths into the plan (room for 1 more)",
            "Strengths: the plan has room for only 1 more – you picked 2",
        ),
    ],
)
def test_the_confirmation_says_how_many_more_fit_and_a_refusal_names_it_and_keeps_the_picks(
    chat: FakeChat, demo: Demo, clock: Clock, command: str, room: str, label: str, refusal: str
) -> None:
    clock.now = BEFORE_THE_PLAN_STEP
    pirjo, team = demo.supervisor("kotihoito"), demo.team("kotihoito")
    chat.say(pirjo, command)
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, demo.staff("kotihoito"))
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    assert room in confirm.text and select(confirm, "confirm_strengths").label == label
    assert "3" not in select(confirm, "confirm_targets").label  # no "at most 3" where only one more fits
    before, versions = PlanRepository(demo.db).current(team.id), confirm.versions

    (refused,) = step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "YI,FE", "confirm_targets": "PR"})
    assert refused is confirm and refused.versions == versions + 1 and refusal in refused.text
    assert select(refused, "confirm_strengths").selected == ("YI", "FE")
    assert select(refused, "confirm_targets").selected == ("PR",)
    assert PlanRepository(demo.db).current(team.id) == before
    assert session_of(demo, team, clock).stage is Stage.ALL


def test_a_kind_the_plan_is_full_of_is_not_offered(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    clock.now = BEFORE_THE_PLAN_STEP
    pirjo, team = demo.supervisor("kotihoito"), demo.team("kotihoito")
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, demo.staff("kotihoito"))
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "YI", "confirm_targets": ""})
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, demo.staff("kotihoito"))
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    confirm = cards(chat, pirjo, "choose.confirm")[-1]
    assert "lisätä voi vielä 0 + 1" in confirm.text
    assert [b.id for b in confirm.card.blocks if isinstance(b, Select)] == ["confirm_targets"]
    forged = step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "FE", "confirm_targets": "PR"})
    assert "Vahvuuksia mahtuu suunnitelmaan enää 0 – valitsit 1" in forged[0].text
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None and len(plan.strengths) == 3 and len(plan.targets) == 2


@pytest.mark.parametrize(
    ("command", "offer", "button", "merged"),
    [
        (
            "kieli fi",
            "Näyttävät samalta asialta",
            "Yhdistä nimellä ”Perehdytys”",
            "Yhdistetty: ”Perehdytys uusille sijaisille” on nyt osa kohtaa ”Perehdytys” (4).",
        ),
        (
            "språk sv",
            "Ser ut som samma sak",
            "Slå ihop som ”Perehdytys”",
            "Ihopslaget: ”Perehdytys uusille sijaisille” ingår nu i ”Perehdytys” (4).",
        ),
        (
            "language en",
            "These look like the same thing",
            "Merge as “Perehdytys”",
            "Merged: “Perehdytys uusille sijaisille” is now part of “Perehdytys” (4).",
        ),
    ],
)
def test_look_alike_picks_are_offered_for_merging_in_the_confirmation(
    chat: FakeChat, demo: Demo, clock: Clock, command: str, offer: str, button: str, merged: str
) -> None:
    pirjo, team, members = demo.supervisor("kotihoito"), demo.team("kotihoito"), demo.staff("kotihoito")
    chat.say(pirjo, command)
    chat.say(pirjo, "valitaan")
    for number, member in enumerate(members[:6]):
        # Three write "Perehdytys", two "Perehdytys uusille sijaisille", and one of them both.
        own = ("Perehdytys", "Perehdytys", "Perehdytys\nPerehdytys uusille sijaisille", "Perehdytys uusille sijaisille")
        send_picks(chat, member, "YI", "PR", own_t=own[number] if number < len(own) else "Työrauha")
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    assert (
        offer in confirm.text
        and "Perehdytys – 3" in confirm.text
        and "Perehdytys uusille sijaisille – 2" in confirm.text
    )
    assert "Työrauha" not in confirm.text.split(offer)[1].split("\n")[1]  # offered: the look-alikes only

    picked = {"confirm_strengths": "YI", "confirm_targets": "PR," + choice_value(confirm, "confirm_targets", "uusille")}
    (redrawn,) = chat.tap(pirjo, button, on=confirm, form=picked)
    assert redrawn is confirm and merged in redrawn.text and offer not in redrawn.text
    assert "Perehdytys – 4" in redrawn.text and "uusille" not in redrawn.text.split(merged)[1]
    kept = choice_value(redrawn, "confirm_targets", "Perehdytys")
    assert select(redrawn, "confirm_targets").selected == ("PR", kept)  # the supervisor's picks follow the merge
    assert select(redrawn, "confirm_strengths").selected == ("YI",)

    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "", "confirm_targets": kept})
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None and plan.targets[-1].title == "Perehdytys"


def test_a_stale_or_forged_merge_changes_nothing(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo, anna, team, members = (
        demo.supervisor("kotihoito"),
        demo.person("Anna"),
        demo.team("kotihoito"),
        demo.staff("kotihoito"),
    )
    chat.say(pirjo, "valitaan")
    for number, member in enumerate(members[:6]):
        send_picks(chat, member, "YI", own_t="Perehdytys" if number % 2 else "Perehdytys uusille sijaisille")
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    merge = next(b for b in confirm.card.blocks if isinstance(b, Buttons) and b.buttons[0].action == "choose.merge")
    value = merge.buttons[0].value
    session = session_of(demo, team, clock)
    before = ChooseRepository(demo.db).picks(session.id)
    assert "esihenkilö" in chat.press(anna, "choose.merge", value)[0].text
    session_id, kind, source, into = value.split(":")
    assert "en tunnista" in chat.press(pirjo, "choose.merge", f"{session_id}:{kind}:{source}")[0].text
    assert "ei voi enää yhdistää" in chat.press(pirjo, "choose.merge", f"{session_id}:{kind}:{source}:wnothere")[0].text
    assert "ei voi enää yhdistää" in chat.press(pirjo, "choose.merge", f"{session_id}:strength:{source}:{into}")[0].text
    assert ChooseRepository(demo.db).picks(session.id) == before

    chat.press(pirjo, "choose.merge", value, on=confirm)
    assert "ei voi enää yhdistää" in chat.press(pirjo, "choose.merge", value)[0].text  # a second tap: done already


def test_fewer_senders_than_the_threshold_get_no_tally_and_are_sent_to_the_workshop(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo, team, members = demo.supervisor("kotihoito"), demo.team("kotihoito"), demo.staff("kotihoito")
    chat.say(pirjo, "valitaan")
    (me,) = cards(chat, members[0], "choose.me")
    # The card says when the tally shows, in the person's language.
    assert any(translate(language, "choose.me.intro", max=3, threshold=5) in me.text for language in ("fi", "sv", "en"))
    send_picks(chat, members[0], "FE,YI", "PR", own_t="Esihenkilö ei kuuntele meitä")
    send_picks(chat, members[1], "FE", "CO")
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")

    (posted,) = chat.channel(team)
    too_few = translate("fi", "choose.tally.too_few", count=2, threshold=5)
    assert posted.card.kind == "choose.tally" and too_few in posted.text
    assert "kuuntele" not in posted.text and "– 1" not in posted.text and "– 2" not in posted.text
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    assert too_few in confirm.text and "kuuntele" not in confirm.text and "– 2" not in confirm.text
    assert not any(isinstance(block, Select) for block in confirm.card.blocks)
    assert not _has(confirm, "choose.confirm")

    before = PlanRepository(demo.db).current(team.id)
    value = str(session_of(demo, team, clock).id)
    forged = chat.press(pirjo, "choose.confirm", value, form={"confirm_strengths": "FE", "confirm_targets": ""})
    assert too_few in forged[0].text
    assert PlanRepository(demo.db).current(team.id) == before


def test_a_team_without_a_plan_gets_a_new_one_with_three_and_three(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    helena, team = demo.supervisor("perusturva"), demo.team("perusturva")
    people = demo.staff("perusturva")
    assert len(people) == 4
    # Four people: the organisation's threshold is lowered to four, so their tally may show.
    with demo.db.engine.begin() as connection:
        connection.execute(text("UPDATE organisations SET anonymity_threshold = 4"))
    organisation_changed()
    chat.say(helena, "valitaan")
    own = ("Avoin ilmapiiri", "Joustavuus", "Kahvihuoneen keskustelut", "Selkeät roolit")
    for number, member in enumerate(people):
        send_picks(chat, member, "FE,YI", "PR,CO", own_t=own[number])
    step(chat, helena, "choose.pair")
    step(chat, helena, "choose.tally")
    (confirm,) = cards(chat, helena, "choose.confirm")
    assert "vuodelle 2027" in confirm.text  # November: the 2026 plan was written in March
    words = choice_value(confirm, "confirm_targets", "Joustavuus")
    form = {"confirm_strengths": "FE,YI", "confirm_targets": f"PR,CO,{words}"}
    step(chat, helena, "choose.confirm", form=form)
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None and plan.year == 2027 and plan.agreed_on is None
    assert [s.text for s in plan.strengths] == [
        "Fyysinen ja emotionaalinen turvallisuus",
        "Yhteenkuuluvuus ja identiteetti",
    ]
    assert [t.title for t in plan.targets] == ["Prosessit", "Osaaminen", "Joustavuus"]
    assert plan.targets[2].dimensions == ()
    assert "Joustavuus" in chat.last_card(helena).text


# --- Which year's plan -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "new_plan"),
    [
        ("kieli fi", "Valinnat aloittavat tiimin suunnitelman vuodelle 2027, joten tilaa on 3 + 3"),
        ("språk sv", "Valen blir början på teamets plan för 2027, så det finns plats för 3 + 3"),
        ("language en", "These start the team's plan for 2027, so there is room for 3 + 3"),
    ],
)
def test_a_choosing_after_the_years_plan_step_starts_next_years_draft_and_leaves_this_years_plan(
    chat: FakeChat, demo: Demo, clock: Clock, command: str, new_plan: str
) -> None:
    clock.now = datetime(2026, 12, 7, 8, tzinfo=UTC)  # December: the 2026 plan has been followed since March
    pirjo, team = demo.supervisor("kotihoito"), demo.team("kotihoito")
    plans = PlanRepository(demo.db)
    this_year = plans.current(team.id)
    assert this_year is not None and this_year.year == 2026 and this_year.id is not None
    chat.say(pirjo, command)
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, demo.staff("kotihoito"))
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    (confirm,) = cards(chat, pirjo, "choose.confirm")
    assert new_plan in confirm.text
    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "YI", "confirm_targets": "PR,OC"})

    draft = plans.current(team.id)
    assert draft is not None and draft.year == 2027 and draft.agreed_on is None and draft.id != this_year.id
    assert [s.dimension for s in draft.strengths] == ["YI"] and [t.dimensions for t in draft.targets] == [
        ("PR",),
        ("OC",),
    ]
    assert plans.get(this_year.id) == this_year  # the plan being followed is untouched

    # A second choosing before next year's plan step fills the same draft.
    clock.now = datetime(2027, 1, 20, 8, tzinfo=UTC)
    chat.say(pirjo, "valitaan")
    everyone_picks(chat, demo.staff("kotihoito"))
    step(chat, pirjo, "choose.pair")
    step(chat, pirjo, "choose.tally")
    confirm = cards(chat, pirjo, "choose.confirm")[-1]
    assert "2027" in confirm.text and select(confirm, "confirm_targets").choices
    step(chat, pirjo, "choose.confirm", form={"confirm_strengths": "FE", "confirm_targets": ""})
    again = plans.current(team.id)
    assert again is not None and again.id == draft.id and [s.dimension for s in again.strengths] == ["YI", "FE"]
