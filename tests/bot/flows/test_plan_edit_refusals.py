"""Plan editing refuses clearly and changes nothing: limits, bad input, staff, forged and foreign ids."""

from __future__ import annotations

import pytest

from bot.card_limits import MAX_TEXT
from bot.conversation import Conversation
from bot.flows.plan_edit import PlanEditFlow
from bot.flows.plan_edit_forms import (
    ACTION_DUE,
    ACTION_OWNER,
    ACTION_STATUS,
    ACTION_TEXT,
    MAX_TITLE,
    STRENGTH_DIMENSION,
    STRENGTH_TEXT,
    TARGET_DIMENSIONS,
    TARGET_FOLLOW_UP,
    TARGET_GOAL,
    TARGET_PRACTICE,
    TARGET_TITLE,
)
from bot.flows.plan_view import PlanViewFlow
from bot.messages import Card, Select, TextInput
from bot.plan import DevelopmentPlan
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


def only_text(posted: list[Posted]) -> str:
    """The single text reply of a refusal: no card was sent or replaced."""
    assert len(posted) == 1 and posted[0].message.card is None, [p.text for p in posted]
    return posted[0].text


def form_refusal(posted: list[Posted]) -> tuple[Card, str]:
    """A refused save: the form drawn again in place, with what was typed and the reason on top, and the reason."""
    assert len(posted) == 2, [p.text for p in posted]
    form, text = posted
    assert form.card.kind == "plan_edit_form" and text.message.card is None
    assert text.text in form.text  # the reason is on the form too, where the person looks
    return form.card, text.text


def refusal_of(posted: list[Posted]) -> str:
    return form_refusal(posted)[1]


def typed_in(card: Card) -> dict[str, str]:
    """What the form shows in its fields: text as it stands, picks joined with commas as they are sent."""
    shown = {b.id: b.initial for b in card.blocks if isinstance(b, TextInput)}
    return shown | {b.id: ",".join(b.selected) for b in card.blocks if isinstance(b, Select)}


def test_a_fourth_strength_or_target_is_refused_before_and_at_saving(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    card = chat.say(pirjo, "päivitä")[0]
    chat.tap(pirjo, "Lisää vahvuus")
    chat.tap(pirjo, "Tallenna", form={STRENGTH_TEXT: "Kolmas vahvuus."})
    before = plan_of(demo, "kotihoito")
    assert len(before.strengths) == 3
    shown = card.text
    # The button stays, so the limit is told rather than a button silently missing.
    assert "Vahvuuksia voi olla enintään 3." in only_text(chat.tap(pirjo, "Lisää vahvuus"))
    assert card.text == shown
    # A form opened before the third was saved (or a forged one) is refused at saving too.
    team = f"team:{demo.team('kotihoito').id}"
    form, refusal = form_refusal(
        chat.press(pirjo, "plan.edit.strength.save", team, on=card, form={STRENGTH_TEXT: "Neljäs."})
    )
    assert "enintään 3" in refusal and plan_of(demo, "kotihoito") == before
    assert typed_in(form)[STRENGTH_TEXT] == "Neljäs."  # kept, to be copied elsewhere
    chat.tap(pirjo, "Peruuta", on=card)

    chat.tap(pirjo, "Lisää kehittämiskohde")
    chat.tap(pirjo, "Tallenna", form={TARGET_TITLE: "Kolmas kohde."})
    full = plan_of(demo, "kotihoito")
    assert "Kehittämiskohteita voi olla enintään 3." in only_text(chat.tap(pirjo, "Lisää kehittämiskohde"))
    chat.press(pirjo, "plan.edit.target.save", team, on=card, form={TARGET_TITLE: "Neljäs kohde."})
    assert plan_of(demo, "kotihoito") == full


def test_a_sixth_action_is_refused(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    for number in range(3):
        chat.tap(pirjo, "Lisää toimenpide kohteeseen 1")
        chat.tap(pirjo, "Tallenna", form={ACTION_TEXT: f"Askel {number}"})
    before = plan_of(demo, "kotihoito")
    assert len(before.targets[0].actions) == 5
    assert "enintään 5 toimenpidettä" in only_text(chat.tap(pirjo, "Lisää toimenpide kohteeseen 1"))
    target = f"target:{before.targets[0].id}"
    form, refusal = form_refusal(chat.press(pirjo, "plan.edit.action.save", target, form={ACTION_TEXT: "Kuudes"}))
    assert "enintään 5 toimenpidettä" in refusal and typed_in(form)[ACTION_TEXT] == "Kuudes"
    assert plan_of(demo, "kotihoito") == before


FI_EXAMPLES = ("”maaliskuun loppuun mennessä”", "”viikolla 12”", "”ensi perjantaina”")
SV_EXAMPLES = ("”i slutet av mars”", "”vecka 12”", "”nästa fredag”")
EN_EXAMPLES = ("“by the end of March”", "“week 12”", "“next Friday”")


@pytest.mark.parametrize(
    ("switch", "due", "examples", "word"),
    [
        ("kieli fi", "joskus keväällä", FI_EXAMPLES, "En saanut aikataulusta"),
        ("kieli fi", "maaliskuussa tai huhtikuussa", FI_EXAMPLES, "En saanut aikataulusta"),
        ("kieli fi", "viikolla 54", FI_EXAMPLES, "En saanut aikataulusta"),
        ("kieli fi", "1.1.2026", FI_EXAMPLES, "jo mennyt"),
        ("kieli fi", "tämän kuun alussa", FI_EXAMPLES, "jo mennyt"),
        ("kieli fi", "1.1.2031", FI_EXAMPLES, "enintään 2 vuoden"),
        ("kieli sv", "nån gång i vår", SV_EXAMPLES, "Jag förstod inte tidtabellen"),
        ("kieli en", "someday", EN_EXAMPLES, "couldn't read that due date"),
        ("kieli en", "end of Marchember", EN_EXAMPLES, "couldn't read that due date"),
    ],
)
def test_a_bad_due_date_is_refused_with_working_examples(
    chat: FakeChat, demo: Demo, switch: str, due: str, examples: tuple[str, str], word: str
) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, switch)
    card = chat.say(pirjo, "päivitä")[0]
    before = plan_of(demo, "kotihoito")
    target = f"target:{before.targets[0].id}"
    chat.press(pirjo, "plan.edit.action.add", target, on=card)
    form = {ACTION_TEXT: "Vuorolistan tarkistus", ACTION_DUE: due}
    shown, refusal = form_refusal(chat.press(pirjo, "plan.edit.action.save", target, on=card, form=form))
    assert word in refusal and all(example in refusal for example in examples)
    assert plan_of(demo, "kotihoito") == before
    assert typed_in(shown)[ACTION_DUE] == due  # the form stays as typed, to be fixed and saved again


def test_a_form_refused_for_one_field_keeps_everything_else_typed(chat: FakeChat, demo: Demo) -> None:
    pirjo, ahmed = demo.supervisor("kotihoito"), demo.person("Ahmed")
    card = chat.say(pirjo, "päivitä")[0]
    before = plan_of(demo, "kotihoito")
    chat.tap(pirjo, "Lisää toimenpide kohteeseen 1", on=card)
    typed = {
        ACTION_TEXT: "Vuorolistat kahdeksi viikoksi eteenpäin",
        ACTION_OWNER: str(ahmed.id),
        ACTION_DUE: "joskus keväällä",
        ACTION_STATUS: "in_progress",
    }
    form, refusal = form_refusal(chat.tap(pirjo, "Tallenna", on=card, form=typed))
    assert typed_in(form) == typed and "En saanut aikataulusta selvää" in form.blocks[1].text  # type: ignore[attr-defined]
    assert plan_of(demo, "kotihoito") == before
    # Fixing the one field and saving again is all it takes.
    chat.tap(pirjo, "Tallenna", on=card, form={**typed, ACTION_DUE: "maaliskuun loppuun mennessä"})
    saved = plan_of(demo, "kotihoito").targets[0].actions[-1]
    assert (saved.text, saved.owner_id, saved.status.value) == (typed[ACTION_TEXT], ahmed.id, "in_progress")
    assert str(saved.due_on) == "2027-03-31"

    # A target's form: the target left empty keeps what was typed in the goal, practice, follow-up and dimensions.
    chat.tap(pirjo, "Muokkaa kohdetta 1", on=card)
    target = {
        TARGET_TITLE: " ",
        TARGET_GOAL: "Vuorolista valmiina kolme viikkoa etukäteen",
        TARGET_PRACTICE: "Vuorolistat ajoissa",
        TARGET_FOLLOW_UP: "Kuukausittain",
        TARGET_DIMENSIONS: "FE,CO",
    }
    form, refusal = form_refusal(chat.tap(pirjo, "Tallenna", on=card, form=target))
    assert typed_in(form) == target and "Kirjoita kehittämiskohde" in refusal
    # A strength's: the dimension picked stays with a text too long.
    chat.tap(pirjo, "Peruuta", on=card)
    chat.tap(pirjo, "Muokkaa vahvuutta 1", on=card)
    strength = {STRENGTH_TEXT: "x" * (MAX_TEXT + 1), STRENGTH_DIMENSION: "YI"}
    form, refusal = form_refusal(chat.tap(pirjo, "Tallenna", on=card, form=strength))
    assert typed_in(form) == {STRENGTH_TEXT: "x" * MAX_TEXT, STRENGTH_DIMENSION: "YI"}  # as much as the field holds
    assert plan_of(demo, "kotihoito").strengths == before.strengths


def test_empty_and_too_long_texts_are_refused_and_nothing_is_saved(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    before = plan_of(demo, "kotihoito")
    chat.tap(pirjo, "Lisää vahvuus")
    assert "Kirjoita muutama sana" in refusal_of(chat.tap(pirjo, "Tallenna", form={STRENGTH_TEXT: "   "}))
    refusal = refusal_of(chat.tap(pirjo, "Tallenna", form={STRENGTH_TEXT: "x" * (MAX_TEXT + 1)}))
    assert "enintään 3000 merkkiä" in refusal and "mitään ei tallennettu" in refusal
    chat.tap(pirjo, "Peruuta")
    chat.tap(pirjo, "Muokkaa kohdetta 1")
    long_practice = {TARGET_TITLE: "Lyhyt kohde", TARGET_PRACTICE: "y" * (MAX_TEXT + 1)}
    assert "enintään 3000" in refusal_of(chat.tap(pirjo, "Tallenna", form=long_practice))
    long_title = {TARGET_TITLE: "t" * (MAX_TITLE + 1), TARGET_GOAL: "Lyhyt tavoite"}
    assert "enintään 300 merkkiä" in refusal_of(chat.tap(pirjo, "Tallenna", form=long_title))
    # The target itself is required, and the refusal says what it is; the goal may wait.
    no_title = {TARGET_TITLE: "  ", TARGET_GOAL: "Tavoite ilman kohdetta"}
    assert refusal_of(chat.tap(pirjo, "Tallenna", form=no_title)) == (
        "Kirjoita kehittämiskohde: mitä kehitätte (esim. ”Perehdytys”). Muut kentät voivat odottaa."
    )
    assert plan_of(demo, "kotihoito") == before
    # Exactly at the limits is fine, and the card still fits the platforms (FakeChat checks every card).
    chat.tap(pirjo, "Tallenna", form={TARGET_TITLE: "t" * MAX_TITLE, TARGET_GOAL: "z" * MAX_TEXT})
    target = plan_of(demo, "kotihoito").targets[0]
    assert (target.title, target.goal) == ("t" * MAX_TITLE, "z" * MAX_TEXT)


def test_staff_are_told_kindly_who_edits_and_where_to_see_the_plan(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    text = only_text(chat.say(anna, "päivitä"))
    assert "esihenkilö" in text and "”suunnitelma”" in text
    assert (
        "”plan”" in only_text(chat.say(demo.person("Maria"), "uppdatera"))
        and "chef" in chat.last(demo.person("Maria")).text
    )
    assert "supervisor" in only_text(chat.say(demo.person("Ahmed"), "update"))


def test_a_forged_edit_from_staff_changes_nothing(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    before = plan_of(demo, "kotihoito")
    team = f"team:{demo.team('kotihoito').id}"
    forged = [
        ("plan.edit.strength.save", team, {STRENGTH_TEXT: "Anna päättää."}),
        ("plan.edit.remove.confirmed", f"strength:{before.strengths[0].id}", {}),
        ("plan.edit.remove.confirmed", f"target:{before.targets[0].id}", {}),
        (
            "plan.edit.action.save",
            f"action:{before.targets[0].actions[0].id}",
            {ACTION_TEXT: "x", ACTION_STATUS: "done"},
        ),
        ("plan.edit.agree", team, {}),
    ]
    for action, value, form in forged:
        text = only_text(chat.press(anna, action, value, form=form))
        assert "Suunnitelmaa muokkaa tiimin esihenkilö" in text
    assert plan_of(demo, "kotihoito") == before


def test_ids_from_another_team_or_malformed_values_are_refused(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    card = chat.say(pirjo, "päivitä")[0]
    mine, theirs = plan_of(demo, "kotihoito"), plan_of(demo, "ruokapalvelu")
    other = theirs.targets[0]
    forged = [
        ("plan.edit.remove.confirmed", f"strength:{theirs.strengths[0].id}", {}),
        ("plan.edit.target.save", f"target:{other.id}", {TARGET_TITLE: "Kaapattu"}),
        ("plan.edit.action.save", f"target:{other.id}", {ACTION_TEXT: "Kaapattu"}),
        ("plan.edit.action.save", f"action:{other.actions[0].id}", {ACTION_TEXT: "Kaapattu"}),
        ("plan.edit.strength.save", f"team:{demo.team('ruokapalvelu').id}", {STRENGTH_TEXT: "Kaapattu"}),
        ("plan.edit.agree", f"team:{demo.team('perusturva').id}", {}),
        ("plan.edit.strength.edit", f"target:{mine.targets[0].id}", {}),  # a row of the wrong kind
        ("plan.edit.remove.confirmed", "strength:999999", {}),
        ("plan.edit.remove.confirmed", "strength:abc", {}),
        ("plan.edit.remove.confirmed", "strength:²", {}),
        ("plan.edit.cancel", "", {}),
        ("plan.edit.cancel", "team:1:2", {}),
    ]
    for action, value, form in forged:
        text = only_text(chat.press(pirjo, action, value, on=card, form=form))
        assert "En löydä tätä kohtaa tiimisi suunnitelmasta" in text, (action, value, text)
    assert plan_of(demo, "kotihoito") == mine and plan_of(demo, "ruokapalvelu") == theirs
    assert PlanRepository(demo.db).current(demo.team("perusturva").id) is None
    assert "Tätä painiketta en enää tunnista" in only_text(chat.press(pirjo, "plan.edit.nonsense", "team:1"))


def test_a_removed_row_pressed_again_is_refused(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    strength = plan_of(demo, "kotihoito").strengths[1]
    chat.tap(pirjo, "Poista vahvuus 2")
    chat.tap(pirjo, "Poista")
    after = plan_of(demo, "kotihoito")
    stale = chat.press(pirjo, "plan.edit.remove.confirmed", f"strength:{strength.id}")
    assert "se on ehkä jo poistettu" in only_text(stale)
    assert plan_of(demo, "kotihoito") == after


def test_forged_choices_are_refused(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    before = plan_of(demo, "kotihoito")
    outsider = demo.supervisor("ruokapalvelu")
    chat.tap(pirjo, "Lisää toimenpide kohteeseen 1")
    for form in (
        {ACTION_TEXT: "x", ACTION_OWNER: str(outsider.id)},  # not in the team
        {ACTION_TEXT: "x", ACTION_OWNER: "Anna"},
        {ACTION_TEXT: "x", ACTION_STATUS: "finished"},
    ):
        assert "En tunnistanut valintaa" in refusal_of(chat.tap(pirjo, "Tallenna", form=form))
    chat.tap(pirjo, "Peruuta")
    chat.tap(pirjo, "Lisää vahvuus")
    for form in ({STRENGTH_TEXT: "x", STRENGTH_DIMENSION: "XX"}, {STRENGTH_TEXT: "x", STRENGTH_DIMENSION: "FE,YI"}):
        assert "En tunnistanut valintaa" in refusal_of(chat.tap(pirjo, "Tallenna", form=form))
    chat.tap(pirjo, "Peruuta")
    chat.tap(pirjo, "Lisää kehittämiskohde")
    assert "En tunnistanut" in refusal_of(
        chat.tap(pirjo, "Tallenna", form={TARGET_TITLE: "x", TARGET_DIMENSIONS: "FE,ZZ"})
    )
    assert plan_of(demo, "kotihoito") == before


def test_the_supervisor_of_a_parent_unit_does_not_edit_its_units_plans(chat: FakeChat, demo: Demo) -> None:
    before = plan_of(demo, "ruokapalvelu")
    text = only_text(chat.say(demo.supervisor("perusturva"), "päivitä ruokapalvelu"))
    assert "Ruokapalvelu-tiimin suunnitelmaa muokkaa tiimin oma esihenkilö" in text
    assert plan_of(demo, "ruokapalvelu") == before
