"""Plan editing through the chat: a supervisor adds, changes, removes, starts and agrees; staff see the result."""

from __future__ import annotations

from datetime import date

import pytest

from bot.conversation import Conversation
from bot.dimensions import Dimension
from bot.flows.plan_edit import PlanEditFlow
from bot.flows.plan_edit_forms import (
    ACTION_DUE,
    ACTION_OWNER,
    ACTION_STATUS,
    ACTION_TEXT,
    STRENGTH_DIMENSION,
    STRENGTH_TEXT,
    TARGET_DIMENSIONS,
    TARGET_FOLLOW_UP,
    TARGET_GOAL,
    TARGET_PRACTICE,
    TARGET_TITLE,
)
from bot.flows.plan_view import PlanViewFlow
from bot.formatting import format_date
from bot.messages import Select, TextInput
from bot.plan import ActionStatus, DevelopmentPlan
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted


@pytest.fixture
def chat(demo: Demo, clock: Clock) -> FakeChat:
    """The chat with plan editing and plan viewing (the conftest chat is the lead's full wiring)."""
    directory, plans = OrganisationRepository(demo.db), PlanRepository(demo.db)
    flows = [PlanEditFlow(directory, plans, clock), PlanViewFlow(directory, plans, clock)]
    return FakeChat(Conversation(directory, clock, flows))


def plan_of(demo: Demo, key: str) -> DevelopmentPlan:
    plan = PlanRepository(demo.db).current(demo.team(key).id)
    assert plan is not None
    return plan


def open_editor(chat: FakeChat, demo: Demo, command: str = "päivitä") -> Posted:
    [card] = chat.say(demo.supervisor("kotihoito"), command)
    assert card.card.kind == "plan_edit"
    return card


def texts_after(chat: FakeChat, member_name: str, demo: Demo, count: int) -> list[str]:
    return [p.text for p in chat.inbox(demo.person(member_name))[-count:]]


def test_the_supervisor_gets_the_plan_with_a_button_per_item(chat: FakeChat, demo: Demo) -> None:
    card = open_editor(chat, demo)
    text = card.text
    assert "Suunnitelman muokkaus 2026: Kotihoito" in text
    assert "Autamme toisiamme kiireen keskellä." in text and "Työvuorot ennakoitaviksi" in text
    for label in ("Muokkaa vahvuutta 2", "Poista vahvuus 1", "Muokkaa kohdetta 2", "Lisää toimenpide kohteeseen 1"):
        assert label in text
    assert "Muokkaa toimenpidettä 2.2" in text and "Poista toimenpide 1.1" in text
    assert "Lisää vahvuus" in text and "Lisää kehittämiskohde" in text
    assert "Suunnitelma on sovittu yhdessä" not in text  # already agreed
    # Forgiving: without the dots, in capitals, with a mention.
    assert open_editor(chat, demo, "paivita").text == text
    assert open_editor(chat, demo, "<@U0BOT> PÄIVITÄ").text == text


def test_adding_a_strength_replaces_the_card_in_place_and_confirms(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    card = open_editor(chat, demo)
    [form] = chat.tap(pirjo, "Lisää vahvuus")
    assert form is card and form.card.kind == "plan_edit_form" and "Uusi vahvuus" in form.text
    selects = [b for b in form.card.blocks if isinstance(b, Select)]
    assert "Esihenkilötyö" in [c.label for c in selects[0].choices]
    saved = chat.tap(
        pirjo,
        "Tallenna",
        form={STRENGTH_TEXT: "  Uudet työntekijät otetaan lämpimästi vastaan. ", STRENGTH_DIMENSION: "YI"},
    )
    assert saved[0] is card and card.versions == 3 and card.card.kind == "plan_edit"
    assert "3. Uudet työntekijät otetaan lämpimästi vastaan." in card.text
    assert saved[1].text == "Vahvuus lisätty."
    strengths = plan_of(demo, "kotihoito").strengths
    assert [s.text for s in strengths][-1] == "Uudet työntekijät otetaan lämpimästi vastaan."
    assert strengths[-1].dimension is Dimension.BELONGING


def test_adding_a_target_with_dimensions_and_practice(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    open_editor(chat, demo)
    [form_card] = chat.tap(pirjo, "Lisää kehittämiskohde")
    # The model's columns in its order: the target, its goal, what is done in practice, follow-up and evaluation.
    labels = [b.label for b in form_card.card.blocks if isinstance(b, TextInput)]
    assert labels == ["Kehittämiskohde", "Tavoite", "Mitä tehdään käytännössä", "Miten seurataan ja arvioidaan"]
    form = {
        TARGET_TITLE: "Tauot",
        TARGET_GOAL: "Tauot pidetään joka päivä.",
        TARGET_PRACTICE: "Taukovuorot merkitään aamupalaverissa.",
        TARGET_FOLLOW_UP: "Kysytään pulssissa kuukausittain.",
        TARGET_DIMENSIONS: "FE,CO",
    }
    card, confirmation = chat.tap(pirjo, "Tallenna", form=form)
    assert confirmation.text == "Kehittämiskohde lisätty."
    assert "*3. Tauot*\nTavoite: Tauot pidetään joka päivä.\nKäytännössä:" in card.text
    assert "Muokkaa kohdetta 3" in card.text
    assert "Osa-alueet: Fyysinen ja emotionaalinen turvallisuus, Osaaminen" in card.text
    target = plan_of(demo, "kotihoito").targets[-1]
    assert (target.title, target.goal, target.practice, target.follow_up) == (
        "Tauot",
        "Tauot pidetään joka päivä.",
        "Taukovuorot merkitään aamupalaverissa.",
        "Kysytään pulssissa kuukausittain.",
    )
    # The form to change it brings both fields back as they were.
    [edit] = chat.tap(pirjo, "Muokkaa kohdetta 3")
    initial = {b.id: b.initial for b in edit.card.blocks if isinstance(b, TextInput)}
    assert initial[TARGET_TITLE] == "Tauot" and initial[TARGET_GOAL] == "Tauot pidetään joka päivä."
    assert target.dimensions == (Dimension.SAFETY, Dimension.COMPETENCE) and target.actions == ()


def test_an_action_with_an_owner_and_a_due_date_in_finnish_words(chat: FakeChat, demo: Demo) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    open_editor(chat, demo)
    [form] = chat.tap(pirjo, "Lisää toimenpide kohteeseen 2")
    assert "Uusi toimenpide kohteeseen 2" in form.text
    assert "Kehittämiskohde 2: Palautetta säännöllisesti" in form.text
    owners = next(b for b in form.card.blocks if isinstance(b, Select) and b.id == ACTION_OWNER)
    assert "Anna Korhonen" in [c.label for c in owners.choices]
    assert "Helena Kivinen" not in [c.label for c in owners.choices]  # only the team's own people
    card, confirmation, told = chat.tap(
        pirjo,
        "Tallenna",
        form={ACTION_TEXT: "Palautekortit kahvihuoneeseen", ACTION_OWNER: str(anna.id), ACTION_DUE: "ensi perjantaina"},
    )
    assert confirmation.text == "Toimenpide lisätty. Aikatauluksi kirjattiin 27.11.2026 (”ensi perjantaina”)."
    # The new owner hears of it in their own chat, saved first.
    assert told in chat.inbox(anna) and told.card.kind == "plan_action_given"
    assert told.text == (
        "Sinulle on annettu toimenpide – Kotihoito\n"
        "Pirjo Mäkelä kirjasi sinut vastuuhenkilöksi Kotihoito-tiimin kehittämissuunnitelmaan:\n"
        "*Palautekortit kahvihuoneeseen*\n"
        "Kehittämiskohde: Palautetta säännöllisesti\n"
        "Aikataulu: 27.11.2026\n"
        "Muistutan viikkoa ennen määräpäivää. Kerro edistymisestä tiimipalaverissa tai esihenkilöllesi."
    )
    assert (
        "2.3 Palautekortit kahvihuoneeseen · vastuu: Anna Korhonen · aikataulu: 27.11.2026 · suunniteltu" in card.text
    )
    action = plan_of(demo, "kotihoito").targets[1].actions[-1]
    assert (action.owner_id, action.due_on, action.status) == (anna.id, date(2026, 11, 27), ActionStatus.PLANNED)


@pytest.mark.parametrize(
    ("switch", "command", "due", "expected", "shown"),
    [
        ("kieli sv", "uppdatera", "nästa fredag", date(2026, 11, 27), "27.11.2026"),
        ("kieli sv", "uppdatera", "om två veckor", date(2026, 12, 7), "7.12.2026"),
        ("kieli en", "update", "in two weeks", date(2026, 12, 7), "7 Dec 2026"),
        ("kieli en", "update", "next Friday", date(2026, 11, 27), "27 Nov 2026"),
    ],
)
def test_due_dates_in_swedish_and_english_words(
    chat: FakeChat, demo: Demo, switch: str, command: str, due: str, expected: date, shown: str
) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, switch)
    chat.say(pirjo, command)
    add = "Lägg till åtgärd i område 1" if command == "uppdatera" else "Add an action to target 1"
    save = "Spara" if command == "uppdatera" else "Save"
    chat.tap(pirjo, add)
    card, _ = chat.tap(
        pirjo, save, form={ACTION_TEXT: "Vuorolistan kommentit", ACTION_DUE: due, ACTION_STATUS: "in_progress"}
    )
    assert shown in card.text
    action = plan_of(demo, "kotihoito").targets[0].actions[-1]
    assert (action.due_on, action.owner_id, action.status) == (expected, None, ActionStatus.IN_PROGRESS)


@pytest.mark.parametrize(
    ("switch", "command", "due", "expected", "confirmation"),
    [
        ("kieli fi", "päivitä", "maaliskuun loppuun mennessä", date(2027, 3, 31), "kirjattiin 31.3.2027"),
        ("kieli fi", "päivitä", "vko 12", date(2027, 3, 22), "Aikatauluksi kirjattiin 22.3.2027 (”vko 12”)."),
        ("kieli fi", "päivitä", "kevään aikana", date(2027, 5, 31), "31.5.2027 (”kevään aikana”)"),
        ("kieli sv", "uppdatera", "i slutet av mars", date(2027, 3, 31), "med tidtabellen 31.3.2027"),
        ("kieli sv", "uppdatera", "vecka 12", date(2027, 3, 22), "med tidtabellen 22.3.2027 (”vecka 12”)."),
        ("kieli en", "update", "by the end of March", date(2027, 3, 31), "Action added, due 31 Mar 2027"),
        ("kieli en", "update", "week 12", date(2027, 3, 22), "Action added, due 22 Mar 2027 (“week 12”)."),
    ],
)
def test_a_schedule_as_planners_write_it_is_saved_and_told_back_as_a_day(
    chat: FakeChat, demo: Demo, switch: str, command: str, due: str, expected: date, confirmation: str
) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, switch)
    [card] = chat.say(pirjo, command)
    add = {"päivitä": "Lisää toimenpide kohteeseen 1", "uppdatera": "Lägg till åtgärd i område 1"}
    chat.tap(pirjo, add.get(command, "Add an action to target 1"))
    save = {"päivitä": "Tallenna", "uppdatera": "Spara"}.get(command, "Save")
    card, told = chat.tap(pirjo, save, form={ACTION_TEXT: "Perehdytyskansio ajan tasalle", ACTION_DUE: due})
    assert confirmation in told.text
    assert plan_of(demo, "kotihoito").targets[0].actions[-1].due_on == expected
    # Opened again, the form shows the day, so saving it untouched keeps that day whatever the date then.
    shown = format_date(expected, switch[-2:])
    assert shown in card.text
    edit = {"päivitä": "Muokkaa toimenpidettä", "uppdatera": "Ändra åtgärd"}.get(command, "Edit action")
    number = len(plan_of(demo, "kotihoito").targets[0].actions)
    [form] = chat.tap(pirjo, f"{edit} 1.{number}")
    assert next(b.initial for b in form.card.blocks if isinstance(b, TextInput) and b.id == ACTION_DUE) == shown


def test_a_schedule_naming_a_stretch_of_the_calendar_is_kept_in_the_planners_words(chat: FakeChat, demo: Demo) -> None:
    pirjo, anna = demo.supervisor("kotihoito"), demo.person("Anna")
    [card] = chat.say(pirjo, "päivitä")
    chat.tap(pirjo, "Lisää toimenpide kohteeseen 1")
    chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: "Perehdytyskansio ajan tasalle", ACTION_DUE: "kevään aikana"})
    line = "1.3 Perehdytyskansio ajan tasalle · vastuu: ei vielä nimetty · aikataulu: 31.5.2027 (kevään aikana)"
    assert line in card.text
    assert "aikataulu: 31.5.2027 (kevään aikana)" in chat.say(anna, "suunnitelma")[0].text  # staff see it too
    # Saved again untouched, the day and the words stay; a phrase counted from today keeps only the day.
    [form] = chat.tap(pirjo, "Muokkaa toimenpidettä 1.3")
    shown = next(b.initial for b in form.card.blocks if isinstance(b, TextInput) and b.id == ACTION_DUE)
    chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: "Perehdytyskansio ajan tasalle", ACTION_DUE: shown})
    saved = plan_of(demo, "kotihoito").targets[0].actions[-1]
    assert (saved.due_on, saved.due_words) == (date(2027, 5, 31), "kevään aikana")
    chat.tap(pirjo, "Muokkaa toimenpidettä 1.3")
    chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: "Perehdytyskansio ajan tasalle", ACTION_DUE: "kahden viikon päästä"})
    saved = plan_of(demo, "kotihoito").targets[0].actions[-1]
    assert (saved.due_on, saved.due_words) == (date(2026, 12, 7), "")  # "in two weeks" would not stay true
    assert "aikataulu: 7.12.2026 · suunniteltu" in card.text


def test_editing_a_strength_keeps_its_place_and_id(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = plan_of(demo, "kotihoito").strengths
    open_editor(chat, demo)
    [form] = chat.tap(pirjo, "Muokkaa vahvuutta 1")
    field = next(b for b in form.card.blocks if isinstance(b, TextInput))
    assert field.initial == "Autamme toisiamme kiireen keskellä."
    dimension = next(b for b in form.card.blocks if isinstance(b, Select))
    assert dimension.selected == ("YI",)
    card, confirmation = chat.tap(
        pirjo, "Tallenna", form={STRENGTH_TEXT: "Autamme toisiamme aina.", STRENGTH_DIMENSION: "-"}
    )
    assert confirmation.text == "Vahvuus tallennettu." and "1. Autamme toisiamme aina." in card.text
    after = plan_of(demo, "kotihoito").strengths
    assert [s.id for s in after] == [s.id for s in before]
    assert (after[0].text, after[0].dimension) == ("Autamme toisiamme aina.", None)
    assert after[1] == before[1]


def test_editing_a_target_keeps_its_actions(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = plan_of(demo, "kotihoito").targets[0]
    open_editor(chat, demo)
    [form] = chat.tap(pirjo, "Muokkaa kohdetta 1")
    initial = {b.id: b.initial for b in form.card.blocks if isinstance(b, TextInput)}
    assert initial[TARGET_TITLE] == before.title and initial[TARGET_GOAL] == before.goal
    assert initial[TARGET_PRACTICE] == before.practice
    chat.tap(
        pirjo,
        "Tallenna",
        form={**initial, TARGET_GOAL: "Vuorolista valmiina neljä viikkoa etukäteen.", TARGET_DIMENSIONS: "PR"},
    )
    after = plan_of(demo, "kotihoito").targets[0]
    assert after.goal == "Vuorolista valmiina neljä viikkoa etukäteen." and after.dimensions == (Dimension.PROCESSES,)
    assert (after.id, after.actions, after.practice) == (before.id, before.actions, before.practice)


def test_editing_an_action_keeps_a_past_due_date_left_as_it_was(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = plan_of(demo, "kotihoito").targets[0].actions[1]
    assert before.due_on is not None and before.due_on < date(2026, 11, 23)
    open_editor(chat, demo)
    [form] = chat.tap(pirjo, "Muokkaa toimenpidettä 1.2")
    initial = {b.id: b.initial for b in form.card.blocks if isinstance(b, TextInput)}
    assert initial[ACTION_DUE] == f"{before.due_on.day}.{before.due_on.month}.{before.due_on.year}"
    status = next(b for b in form.card.blocks if isinstance(b, Select) and b.id == ACTION_STATUS)
    assert status.selected == ("in_progress",)
    owner = str(before.owner_id)
    chat.tap(pirjo, "Tallenna", form={**initial, ACTION_OWNER: owner, ACTION_STATUS: "done"})
    after = plan_of(demo, "kotihoito").targets[0].actions[1]
    assert (after.id, after.due_on, after.status, after.text) == (
        before.id,
        before.due_on,
        ActionStatus.DONE,
        before.text,
    )


def test_removing_asks_first_and_cancel_keeps_everything(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = plan_of(demo, "kotihoito")
    card = open_editor(chat, demo)
    [question] = chat.tap(pirjo, "Poista kohde 1")
    assert question is card and "Poistetaanko kehittämiskohde 1?" in question.text
    assert "Työvuorot ennakoitaviksi" in question.text and "toimenpiteet, yhteensä 2." in question.text
    chat.tap(pirjo, "Peruuta")
    assert card.card.kind == "plan_edit" and plan_of(demo, "kotihoito") == before
    chat.tap(pirjo, "Poista kohde 1")
    card, confirmation = chat.tap(pirjo, "Poista")
    assert confirmation.text == "Kehittämiskohde poistettu."
    after = plan_of(demo, "kotihoito")
    assert [t.id for t in after.targets] == [before.targets[1].id]
    assert "Työvuorot ennakoitaviksi" not in card.text and "1. Palautetta säännöllisesti" in card.text


def test_removing_a_strength_and_an_action(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    before = plan_of(demo, "kotihoito")
    open_editor(chat, demo)
    chat.tap(pirjo, "Poista vahvuus 2")
    assert chat.tap(pirjo, "Poista")[1].text == "Vahvuus poistettu."
    chat.tap(pirjo, "Poista toimenpide 2.1")
    assert "Poistetaanko toimenpide 2.1?" in chat.last_card(pirjo).text
    assert chat.tap(pirjo, "Poista")[1].text == "Toimenpide poistettu."
    after = plan_of(demo, "kotihoito")
    assert after.strengths == before.strengths[:1]
    assert after.targets[1].actions == before.targets[1].actions[1:]
    assert after.targets[0] == before.targets[0]


def test_starting_a_plan_filling_it_and_agreeing_it(chat: FakeChat, demo: Demo) -> None:
    helena = demo.supervisor("perusturva")
    [card] = chat.say(helena, "päivitä")
    assert "Perusturva-tiimillä ei ole vielä kehittämissuunnitelmaa" in card.text
    card, started = chat.tap(helena, "Aloita suunnitelma vuodelle 2026")
    assert "Suunnitelma vuodelle 2026 aloitettu" in started.text
    assert "Ei vielä vahvuuksia" in card.text and "Suunnitelma on sovittu yhdessä" in card.text
    assert plan_of(demo, "perusturva") == DevelopmentPlan(
        team_id=demo.team("perusturva").id, year=2026, id=plan_of(demo, "perusturva").id
    )
    # Agreeing an empty plan is refused with the rule's own words, and nothing changes.
    [refusal] = chat.tap(helena, "Suunnitelma on sovittu yhdessä")
    assert "vähintään yksi kehittämiskohde" in refusal.text and plan_of(demo, "perusturva").agreed_on is None
    chat.tap(helena, "Lisää vahvuus")
    chat.tap(helena, "Tallenna", form={STRENGTH_TEXT: "Asiakkaan asia hoidetaan loppuun asti."})
    chat.tap(helena, "Lisää kehittämiskohde")
    chat.tap(helena, "Tallenna", form={TARGET_TITLE: "Tiedonkulku", TARGET_GOAL: "Kaikki tietävät, mitä sovittiin."})
    # A target nobody acts on is a wish: agreeing is refused, naming the target, and nothing changes.
    [refusal] = chat.tap(helena, "Suunnitelma on sovittu yhdessä")
    assert refusal.text == (
        "Suunnitelmasta ei voi vielä sopia: kehittämiskohteella 1 ”Tiedonkulku” ei ole yhtään toimenpidettä. "
        "Lisää sille toimenpide ja vastuuhenkilö, niin kohde ei jää toiveeksi."
    )
    assert plan_of(demo, "perusturva").agreed_on is None
    chat.tap(helena, "Lisää toimenpide kohteeseen 1")
    chat.tap(helena, "Tallenna", form={ACTION_TEXT: "Yhteinen viikkopalaveri kaikille yksiköille."})
    card, agreed = chat.tap(helena, "Suunnitelma on sovittu yhdessä")
    assert "Suunnitelma on sovittu 23.11.2026." in agreed.text and "viimeistään 23.2.2027" in agreed.text
    assert "Sovittu 23.11.2026. Seuraava seuranta viimeistään 23.2.2027." in card.text
    assert "Suunnitelma on sovittu yhdessä" not in card.text
    assert plan_of(demo, "perusturva").agreed_on == date(2026, 11, 23)


def test_a_second_tap_on_start_does_not_start_twice(chat: FakeChat, demo: Demo) -> None:
    helena = demo.supervisor("perusturva")
    [card] = chat.say(helena, "päivitä")
    chat.tap(helena, "Aloita suunnitelma vuodelle 2026", on=card)
    stale = chat.press(helena, "plan.edit.start", f"team:{demo.team('perusturva').id}", on=card)
    assert [p.card.kind for p in stale] == ["plan_edit"]  # shown again, no second plan, no error


def test_the_wellbeing_officer_edits_any_team_and_a_supervisor_only_their_own(chat: FakeChat, demo: Demo) -> None:
    outi = demo.person("Outi")
    [card] = chat.say(outi, "päivitä kotihoito")
    assert "Suunnitelman muokkaus 2026: Kotihoito" in card.text
    chat.tap(outi, "Lisää vahvuus")
    chat.tap(outi, "Tallenna", form={STRENGTH_TEXT: "Huumori kantaa kiireessä."})
    assert plan_of(demo, "kotihoito").strengths[-1].text == "Huumori kantaa kiireessä."
    [refusal] = chat.say(demo.supervisor("perusturva"), "päivitä kotihoito")
    assert "Kotihoito-tiimin suunnitelmaa muokkaa tiimin oma esihenkilö" in refusal.text
    assert "Tiimiä sosiaalityö ei ole." in chat.say(outi, "päivitä sosiaalityö")[0].text


def test_cancel_on_a_form_brings_the_plan_back_unchanged(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    card = open_editor(chat, demo)
    shown = card.text
    chat.tap(pirjo, "Muokkaa toimenpidettä 1.1")
    [back] = chat.tap(pirjo, "Peruuta")
    assert back is card and card.text == shown


def test_staff_see_the_edited_plan_with_suunnitelma(chat: FakeChat, demo: Demo) -> None:
    pirjo, juha = demo.supervisor("kotihoito"), demo.person("Juha")
    open_editor(chat, demo)
    chat.tap(pirjo, "Lisää toimenpide kohteeseen 1")
    chat.tap(
        pirjo,
        "Tallenna",
        form={
            ACTION_TEXT: "Vuorotoiveet viimeistään 15. päivä",
            ACTION_OWNER: str(juha.id),
            ACTION_DUE: "kahden viikon päästä",
        },
    )
    chat.tap(pirjo, "Poista vahvuus 2")
    chat.tap(pirjo, "Poista")
    [view] = chat.say(juha, "suunnitelma")
    assert "Vuorotoiveet viimeistään 15. päivä · vastuu: Juha Nieminen · aikataulu: 7.12.2026" in view.text
    assert "Asiakkaat kiittävät" not in view.text


def test_an_overdue_follow_up_shows_on_the_edit_card(chat: FakeChat, demo: Demo) -> None:
    [card] = chat.say(demo.supervisor("ruokapalvelu"), "päivitä")
    assert "Seuranta on myöhässä" in card.text


def test_a_new_year_starts_a_new_plan_and_last_years_stays(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    pirjo = demo.supervisor("kotihoito")
    last_year = plan_of(demo, "kotihoito")
    clock.advance(days=45)  # 7 Jan 2027
    card = open_editor(chat, demo)
    assert "Aloita suunnitelma vuodelle 2027" in card.text
    card, started = chat.tap(pirjo, "Aloita suunnitelma vuodelle 2027")
    assert "Suunnitelman muokkaus 2027: Kotihoito" in card.text and "2027" in started.text
    assert plan_of(demo, "kotihoito").year == 2027 and plan_of(demo, "kotihoito").strengths == ()
    assert PlanRepository(demo.db).get(last_year.id or 0) == last_year
