"""Adaptive Cards from the real flows match the reviewed goldens and keep the rules Teams checks."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.markdown import card_markdown, text_markdown
from adapters.teams.render import (
    ACTION_KEY,
    ADAPTIVE_CARD,
    MAX_ACTIONS_PER_SET,
    VALUE_KEY,
    render_activity,
    render_card,
)
from bot.calendar import StepKind
from bot.card_limits import MAX_CARD_BYTES
from bot.flows.calendar_prompts import step_prompt
from bot.messages import (
    Address,
    Button,
    Buttons,
    Card,
    Choice,
    Facts,
    Heading,
    OutboundMessage,
    Question,
    Select,
    Text,
    TextInput,
)
from bot.organisation import HomeChannel, Platform
from bot.welcome import team_welcome
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat
from tests.bot.flows.test_pulse_support import pulse_world

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TYHY_UPDATE_GOLDEN") == "1"
TO = Address(Platform.TEAMS, user_id="29:someone", workspace="tenant")

# Adaptive Card 1.5 element and action types this renderer may use (adaptivecards.io/explorer).
ELEMENTS = {"TextBlock", "FactSet", "ActionSet", "Input.Text", "Input.ChoiceSet"}
ACTIONS = {"Action.Submit"}
TEXT_STYLES = {"positive", "destructive"}


# --- The real cards -------------------------------------------------------------------------------------------


def _pulse(demo: Demo, clock: Clock, name: str, picks: int = 0) -> OutboundMessage:
    """The member's card; with `picks`, as a Send with that many answers brings it back (the rest still open)."""
    pulse = pulse_world(demo, clock)
    pulse.open()
    member = demo.person(name)
    for question in range(1, picks + 1):
        pulse.pick(member, 4, question)
    if picks:
        pulse.chat.tap(member, pulse.send_label(member))
    return pulse.chat.last_card(member).message


def pulse_card(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _pulse(demo, clock, "Anna")


def pulse_card_missing(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _pulse(demo, clock, "Anna", picks=2)


def pulse_card_en(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    return _pulse(demo, clock, "Ahmed")


def followup(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [card] = chat.say(demo.supervisor("kotihoito"), "seuranta")
    return card.message


def plan_view(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [card] = chat.say(demo.person("Anna"), "suunnitelma")
    return card.message


def plan_edit(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [card] = chat.say(demo.supervisor("kotihoito"), "päivitä")
    return card.message


def plan_edit_action_form(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    [form] = chat.tap(pirjo, "Muokkaa toimenpidettä 1.1")
    return form.message


def plan_edit_target_form(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "päivitä")
    [form] = chat.tap(pirjo, "Muokkaa kohdetta 1")
    return form.message


def _share_success(chat: FakeChat, demo: Demo) -> None:
    chat.say(demo.person("Anna"), "onnistuminen Joulukuun vuorolista valmis jo nyt! Kiitos @Elina Salo ja @juha")


def success_post(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    _share_success(chat, demo)
    [celebration] = chat.channel(demo.team("kotihoito"))
    return celebration.message


def success_receipt(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    _share_success(chat, demo)
    return chat.last_card(demo.person("Anna")).message


def calendar_prompt(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    chat.deliver(step_prompt(StepKind.EVALUATION, demo.team("kotihoito"), demo.org, demo.members))
    return chat.last(demo.supervisor("kotihoito")).message


def help_text(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [reply] = chat.say(demo.supervisor("kotihoito"), "apua")
    return reply.message


def evaluation_form(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    [form] = chat.say(demo.supervisor("kotihoito"), "arviointi")
    return form.message


def evaluation_draft(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    pirjo = demo.supervisor("kotihoito")
    [form] = chat.say(pirjo, "arviointi")
    fields = [getattr(b, "id", "") for b in form.card.blocks]
    fields = [f for f in fields if f.startswith(("eval_outcome_", "eval_kept_"))]
    answers = {f: "partly" if f.startswith("eval_outcome_") else "yes" for f in fields}
    _, draft = chat.tap(pirjo, "Tallenna arviointi", on=form, form=answers)
    return draft.message


def welcome(chat: FakeChat, demo: Demo, clock: Clock) -> OutboundMessage:
    team = replace(demo.team("kotihoito"), home_channels=(HomeChannel(Platform.TEAMS, "19:general@thread.tacv2"),))
    return team_welcome(demo.org, team, Platform.TEAMS)


SCENES: dict[str, Callable[[FakeChat, Demo, Clock], OutboundMessage]] = {
    scene.__name__: scene
    for scene in (
        pulse_card,
        pulse_card_missing,
        pulse_card_en,
        followup,
        plan_view,
        plan_edit,
        plan_edit_action_form,
        plan_edit_target_form,
        success_post,
        success_receipt,
        calendar_prompt,
        help_text,
        evaluation_form,
        evaluation_draft,
        welcome,
    )
}


@pytest.mark.parametrize("name", SCENES)
def test_real_cards_render_as_the_reviewed_golden(name: str, chat: FakeChat, demo: Demo, clock: Clock) -> None:
    message = SCENES[name](chat, demo, clock)
    activity = render_activity(message)
    if message.card is not None:
        assert_valid_card(activity["attachments"][0]["content"])
        assert activity["summary"] == message.card.fallback_text and "text" not in activity
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.write_text(json.dumps(activity, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden {path.name}: run with TYHY_UPDATE_GOLDEN=1 and review the file"
    assert activity == json.loads(path.read_text(encoding="utf-8"))


def assert_valid_card(card: dict[str, Any]) -> None:
    """The Adaptive Card rules we can check without Teams: version, known types, unique ids, data on every submit."""
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert isinstance(card["fallbackText"], str) and card["fallbackText"].strip()
    ids: list[str] = []
    for element in card["body"]:
        assert element["type"] in ELEMENTS, element["type"]
        if element["type"] == "TextBlock":
            assert element["text"].strip() and element["wrap"] is True
        elif element["type"] == "FactSet":
            assert element["facts"] and all(set(f) == {"title", "value"} for f in element["facts"])
        elif element["type"] == "ActionSet":
            assert 1 <= len(element["actions"]) <= MAX_ACTIONS_PER_SET
            for action in element["actions"]:
                assert action["type"] in ACTIONS and action["title"].strip()
                assert set(action["data"]) == {ACTION_KEY, VALUE_KEY}
                assert isinstance(action["data"][ACTION_KEY], str) and action["data"][ACTION_KEY]
                assert isinstance(action["data"][VALUE_KEY], str)
                assert action.get("style", "positive") in TEXT_STYLES
        else:
            assert element["id"] and "tyhy." not in element["id"] and element["label"].strip()
            ids.append(element["id"])
            if element["type"] == "Input.ChoiceSet":
                values = [choice["value"] for choice in element["choices"]]
                assert len(values) == len(set(values)) and all(choice["title"] for choice in element["choices"])
                assert set(filter(None, element.get("value", "").split(","))) <= set(values)
    assert len(ids) == len(set(ids)), ids


# --- The mapping, block by block ------------------------------------------------------------------------------


def card_of(*blocks: Any) -> dict[str, Any]:
    return render_card(Card("test", "Fallback", tuple(blocks)))


def test_a_card_goes_alone_with_its_fallback_as_summary_and_fallback_text() -> None:
    activity = render_activity(OutboundMessage(TO, card=Card("test", "Pulssikysely avautui", (Heading("Pulssi"),))))
    assert activity == {
        "type": "message",
        "summary": "Pulssikysely avautui",
        "attachments": [
            {
                "contentType": ADAPTIVE_CARD,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.5",
                    "fallbackText": "Pulssikysely avautui",
                    "msteams": {"width": "Full"},
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "Pulssi",
                            "wrap": True,
                            "size": "Large",
                            "weight": "Bolder",
                            "style": "heading",
                        }
                    ],
                },
            }
        ],
    }


def test_a_question_marks_the_chosen_answer_with_a_check_and_a_colour() -> None:
    choices = (Choice("Kyllä", "y"), Choice("Ei", "n"))
    body = card_of(Question("q1", "*Onko* selvää?", "pulse.answer", choices, selected="n"))["body"]
    assert body == [
        {"type": "TextBlock", "text": "**Onko** selvää?", "wrap": True},
        {
            "type": "ActionSet",
            "actions": [
                {"type": "Action.Submit", "title": "Kyllä", "data": {ACTION_KEY: "pulse.answer", VALUE_KEY: "y"}},
                {
                    "type": "Action.Submit",
                    "title": "✓ Ei",
                    "data": {ACTION_KEY: "pulse.answer", VALUE_KEY: "n"},
                    "style": "positive",
                },
            ],
        },
    ]


def test_button_styles_and_rows_longer_than_teams_shows_are_split() -> None:
    buttons = tuple(Button("x.go", f"B{n}", str(n)) for n in range(8))
    styled = (Button("plan.save", "Tallenna", "1", "primary"), Button("plan.remove", "Poista", "1", "danger"))
    body = card_of(Buttons(styled), Buttons(buttons))["body"]
    assert [a.get("style") for a in body[0]["actions"]] == ["positive", "destructive"]
    assert [len(s["actions"]) for s in body[1:]] == [6, 2]  # all eight in sight, none in an overflow menu
    assert [a["title"] for s in body[1:] for a in s["actions"]] == [f"B{n}" for n in range(8)]


def test_long_titles_get_rows_of_their_own_and_a_check_mark_moves_nothing() -> None:
    labels = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä"]
    choices = tuple(Choice(label, str(n)) for n, label in enumerate(labels))
    layouts = []
    for selected in (None, "0", "1", "2", "3"):
        sets = card_of(Question("q1", "Kysymys", "pulse.answer", choices, selected))["body"][1:]
        layouts.append([[a["title"].removeprefix("✓ ") for a in s["actions"]] for s in sets])
    assert layouts[0] == [[label] for label in labels]  # one a row: Teams cuts titles that do not fit side by side
    assert all(layout == layouts[0] for layout in layouts)
    alone = "Kohde 1: Työvuorot ennakoitaviksi: vuorolista valmiina kolme viikkoa etukä…"
    body = card_of(Buttons((Button("a", "Lyhyt"), Button("b", alone), Button("c", "Toinen"))))["body"]
    assert [[a["title"] for a in s["actions"]] for s in body] == [["Lyhyt"], [alone], ["Toinen"]]
    body = card_of(Buttons((Button("a", "Tehty"), Button("b", "Käynnissä"), Button("c", "Jumissa"))))["body"]
    assert [[a["title"] for a in s["actions"]] for s in body] == [["Tehty", "Käynnissä", "Jumissa"]]


def test_inputs_carry_their_ids_labels_limits_and_current_values() -> None:
    body = card_of(
        TextInput("comment", "Kommentti", placeholder="Vapaaehtoinen", multiline=True, max_length=1000),
        TextInput("due", "Aikataulu", initial="15.3."),
        Select("dims", "Ulottuvuudet", (Choice("Prosessit", "PR"), Choice("Turvallisuus", "SW")), True, ("PR", "SW")),
        Select("owner", "Vastuu", (Choice("Anna", "6"),)),
    )["body"]
    assert body == [
        {
            "type": "Input.Text",
            "id": "comment",
            "label": "Kommentti",
            "isMultiline": True,
            "maxLength": 1000,
            "placeholder": "Vapaaehtoinen",
        },
        {
            "type": "Input.Text",
            "id": "due",
            "label": "Aikataulu",
            "isMultiline": False,
            "maxLength": 3000,
            "value": "15.3.",
        },
        {
            "type": "Input.ChoiceSet",
            "id": "dims",
            "label": "Ulottuvuudet",
            "style": "compact",
            "isMultiSelect": True,
            "wrap": True,
            "choices": [{"title": "Prosessit", "value": "PR"}, {"title": "Turvallisuus", "value": "SW"}],
            "value": "PR,SW",
        },
        {
            "type": "Input.ChoiceSet",
            "id": "owner",
            "label": "Vastuu",
            "style": "compact",
            "isMultiSelect": False,
            "wrap": True,
            "choices": [{"title": "Anna", "value": "6"}],
        },
    ]


def test_radio_buttons_are_an_expanded_choice_set_whose_pick_comes_with_the_next_submit() -> None:
    choices = (Choice("Samaa mieltä", "4"), Choice("En osaa sanoa", "0"))
    fresh, redrawn = card_of(
        Select("q1", "*1/5* Viihdyn _työssäni_", choices, expanded=True),
        Select("q2", "*2/5* Saan tukea", choices, selected=("0",), expanded=True),
    )["body"]
    assert fresh == {
        "type": "Input.ChoiceSet",
        "id": "q1",
        "label": "1/5 Viihdyn työssäni",  # Teams shows an input's label as plain text
        "style": "expanded",
        "isMultiSelect": False,
        "wrap": True,
        "choices": [{"title": "Samaa mieltä", "value": "4"}, {"title": "En osaa sanoa", "value": "0"}],
    }
    assert redrawn["value"] == "0" and redrawn["style"] == "expanded"


def test_facts_become_a_fact_set_and_empty_blocks_draw_nothing() -> None:
    body = card_of(Facts((("*Jakoi*", "Anna"), ("Mukana", "Elina, Juha"))), Facts(()), Text(" \n "))["body"]
    assert body == [
        {
            "type": "FactSet",
            "facts": [{"title": "**Jakoi**", "value": "Anna"}, {"title": "Mukana", "value": "Elina, Juha"}],
        }
    ]


@pytest.mark.parametrize(
    ("ours", "teams"),
    [
        ("*Vahvuudet:* _(Yhteenkuuluvuus)_", "**Vahvuudet:** _(Yhteenkuuluvuus)_"),
        ("rivi 1\nrivi 2", "rivi 1\n\nrivi 2"),  # a lone \n would be lost in a TextBlock
        ("Otsikko:\n• yksi\n• *kaksi*\nloppu", "Otsikko:\n\n- yksi\n- **kaksi**\n\nloppu"),
        ("kappale\n\n\ntoinen", "kappale\n\ntoinen"),
        ("  1. Kohde\n     Käytännössä: x\n\n  • a", "1. Kohde\n\nKäytännössä: x\n\n- a"),  # no code blocks
        ("Windows\r\nrivit", "Windows\n\nrivit"),
    ],
)
def test_our_markdown_subset_becomes_teams_card_markdown(ours: str, teams: str) -> None:
    assert card_markdown(ours) == teams


@pytest.mark.parametrize(
    ("written", "teams"),
    [
        ("[klikkaa](https://evil.example)", r"\[klikkaa\]\(https://evil.example)"),  # no live link, nor on mobile
        ("**bold** ja __tämä__", r"\*\*bold\*\* ja \_\_tämä\_\_"),
        ("~~yliviivattu~~ ja `koodi`", r"\~\~yliviivattu\~\~ ja \`koodi\`"),
        ("<b>lihava</b> & &amp; &#38; <3 a > b", r"\<b>lihava\</b> & \&amp; \&#38; <3 a > b"),
        ("> lainaus", r"\> lainaus"),
        ("# Otsikko", r"\# Otsikko"),
        ("---", r"\---"),
        ("- oma lista\n+ toinen", "\\- oma lista\n\n\\+ toinen"),  # only the bot's "• " bullets are a list
        ("C:\\polku\\ ja snake_case_nimi, \\*", r"C:\polku\ ja snake_case_nimi, \\\*"),
        ("5 * 3 = 15 and *not bold *", r"5 * 3 = 15 and \*not bold *"),
        ("* oma lista", r"\* oma lista"),
        ("Kiitos @Elina Salo ja @juha! (20 %)", "Kiitos @Elina Salo ja @juha! (20 %)"),  # the bot's @names stay
    ],
)
def test_what_people_write_shows_in_a_card_as_they_wrote_it(written: str, teams: str) -> None:
    # CommonMark's backslash escapes, which Adaptive Cards' markdown follows (adaptive-cards text-features).
    assert card_markdown(written) == teams
    assert card_of(Text(written))["body"] == [{"type": "TextBlock", "text": teams, "wrap": True}]


@pytest.mark.parametrize(
    ("ours", "teams"),
    [
        ("*Tavoite:* _[linkki](x) ja *tähti*_", r"**Tavoite:** _\[linkki\]\(x) ja **tähti**_"),
        ("_{goal}_ ja *3/5*", "_{goal}_ ja **3/5**"),
        ("_snake_case_", r"\_snake_case\_"),  # an italic span cannot hold an underscore: its markers are shown
        ("• - ei lista\n• # ei otsikko", "- \\- ei lista\n- \\# ei otsikko"),
    ],
)
def test_our_subset_still_formats_around_and_inside_what_people_wrote(ours: str, teams: str) -> None:
    assert card_markdown(ours) == teams


def test_a_heading_and_facts_show_people_s_words_as_written_too() -> None:
    body = card_of(Heading("**Iso** [uutinen](x)"), Facts((("Jakoi", "Anna **A**"),)))["body"]
    assert body[0]["text"] == r"\*\*Iso\*\* \[uutinen\]\(x)"
    assert body[1]["facts"] == [{"title": "Jakoi", "value": r"Anna \*\*A\*\*"}]


def test_a_plain_text_message_keeps_its_bullets_and_its_angle_brackets() -> None:
    activity = render_activity(OutboundMessage(TO, text="Näin:\n• *apua* – tämä ohje\n• onnistuminen <teksti>"))
    assert activity == {
        "type": "message",
        "text": "Näin:\n\n• **apua** – tämä ohje\n\n• onnistuminen &lt;teksti&gt;",
        "textFormat": "markdown",
    }
    assert text_markdown("a < b") == "a &lt; b"
    assert text_markdown("[x](https://evil.example) **b**") == r"\[x\]\(https://evil.example) \*\*b\*\*"


def test_an_oversized_message_is_refused_never_cut() -> None:
    huge = Card("huge", "Iso", tuple(Text("ä" * 3000) for _ in range(6)))
    with pytest.raises(ValueError, match=rf"huge: the Teams message is \d+ bytes, at most {MAX_CARD_BYTES}"):
        render_activity(OutboundMessage(TO, card=huge))
    with pytest.raises(ValueError, match="text"):
        render_activity(OutboundMessage(TO, text="ö" * 15_000))


def test_input_ids_must_be_unique_and_never_collide_with_ours() -> None:
    with pytest.raises(ValueError, match="repeated or reserved"):
        card_of(TextInput("a", "A"), Select("a", "B", (Choice("x", "x"),)))
    with pytest.raises(ValueError, match="repeated or reserved"):
        card_of(TextInput("tyhy.action", "A"))


def test_the_fullest_plan_cards_the_core_allows_fit_teams_after_rendering() -> None:
    from datetime import date

    from bot.flows.plan_edit_cards import edit_card
    from bot.flows.plan_edit_form_cards import action_form, target_form
    from bot.i18n import SUPPORTED_LANGUAGES
    from tests.bot.flows.test_plan_edit_cards import MEMBERS, TEAM, fullest_plan

    for language in SUPPORTED_LANGUAGES:
        plan = fullest_plan()
        target = plan.targets[0]
        names = {m.id: m.name for m in MEMBERS}
        for card in (
            edit_card(TEAM, plan, names, language, date(2027, 1, 4)),
            target_form(TEAM, 3, target, language),
            action_form(TEAM, MEMBERS, language, target=(3, target), action=("3.5", target.actions[4])),
        ):
            activity = render_activity(OutboundMessage(TO, card=card))  # raises when over the limit
            assert_valid_card(activity["attachments"][0]["content"])
