"""Neutral cards as Block Kit: escaping, splitting at Slack's limits, unique ids, modals and the Home tab."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.mrkdwn import escape, split_escaped
from adapters.slack.parse import parse_interaction
from adapters.slack.render import card_blocks, render_home, render_message, render_modal
from bot.events import ActionSubmitted
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
from bot.organisation import Platform
from tests.adapters.slack.golden_support import block_kit_problems, elements

TO = Address(Platform.SLACK, user_id="U07ANNA01")


def message(*blocks: Any, fallback: str = "Kortti") -> dict[str, Any]:
    return render_message(OutboundMessage(TO, Card("test", fallback, tuple(blocks))))


def test_a_plain_text_message_is_escaped_and_keeps_our_markdown() -> None:
    sent = render_message(OutboundMessage(TO, text="*Ohje*: onnistuminen <teksti> & _muuta_\n• apua"))
    assert sent == {"text": "*Ohje*: onnistuminen &lt;teksti&gt; &amp; _muuta_\n• apua"}


def test_a_card_has_its_escaped_fallback_as_text_and_a_header() -> None:
    sent = message(Heading("Tiimi <3 & kaikki"), Text("Moi *kaikki*"), fallback="A & <b>")
    assert sent == {
        "text": "A &amp; &lt;b&gt;",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Tiimi <3 & kaikki", "emoji": True}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "Moi *kaikki*"}},
        ],
    }


def test_a_long_heading_is_cut_with_an_ellipsis() -> None:
    [header] = message(Heading("x" * 200))["blocks"]
    assert header["text"]["text"] == "x" * 149 + "…"


def test_a_long_text_becomes_several_sections_split_at_line_breaks() -> None:
    lines = [f"{n:03d} " + "a" * 95 for n in range(70)]  # 70 lines of 99 characters: 6,999 with line breaks
    blocks = message(Text("\n".join(lines)))["blocks"]
    texts = [b["text"]["text"] for b in blocks]
    assert len(texts) == 3 and all(len(t) <= 3000 for t in texts)
    assert "\n".join(texts).split("\n") == lines  # nothing lost, nothing cut inside a line
    assert block_kit_problems({"text": "x", "blocks": blocks}) == []


def test_a_long_line_is_cut_at_a_space_and_never_inside_an_entity() -> None:
    assert split_escaped("aaaa bbbb cccc", 9) == ["aaaa bbbb", "cccc"]
    pieces = split_escaped("x" * 2998 + "&&", 3000)  # "&amp;" would straddle the limit at 2,999
    assert pieces == ["x" * 2998, "&amp;&amp;"]
    assert split_escaped("\n\n  \n", 3000) == []  # nothing to show is no section (Slack refuses empty text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab &<>\n", max_size=200), st.integers(min_value=5, max_value=40))
def test_split_pieces_fit_and_lose_nothing_but_spaces_at_cuts(text: str, limit: int) -> None:
    pieces = split_escaped(text, limit)
    assert all(0 < len(piece) <= limit and piece.strip() for piece in pieces)
    squeeze = str.maketrans("", "", " \n")
    assert "".join(pieces).translate(squeeze) == escape(text).translate(squeeze)


def test_facts_are_fields_ten_to_a_section() -> None:
    blocks = message(Facts(tuple((f"Kohta {n}", f"arvo <{n}>") for n in range(23))))["blocks"]
    assert [len(b["fields"]) for b in blocks] == [10, 10, 3]
    assert blocks[0]["fields"][0] == {"type": "mrkdwn", "text": "*Kohta 0*\narvo &lt;0&gt;"}


def test_a_question_is_a_prompt_and_a_row_of_buttons_with_the_choice_marked() -> None:
    question = Question(
        "q1", "*1/5* Viihdyn <töissä>", "pulse.answer", (Choice("Kyllä", "r:1"), Choice("Ei", "r:0")), "r:0"
    )
    assert message(question)["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*1/5* Viihdyn &lt;töissä&gt;"}},
        {
            "type": "actions",
            "block_id": "q1",
            "elements": [
                {
                    "type": "button",
                    "action_id": "pulse.answer:r:1",
                    "text": {"type": "plain_text", "text": "Kyllä", "emoji": True},
                    "value": "r:1",
                },
                {
                    "type": "button",
                    "action_id": "pulse.answer:r:0",
                    "text": {"type": "plain_text", "text": "✓ Ei", "emoji": True},
                    "value": "r:0",
                    "style": "primary",
                },
            ],
        },
    ]


def test_the_same_choice_value_in_two_questions_still_gets_two_action_ids() -> None:
    same = (Choice("Kyllä", "1"), Choice("Ei", "0"))
    body = message(Question("q1", "Yksi?", "poll.vote", same), Question("q2", "Kaksi?", "poll.vote", same))
    assert [e["action_id"] for e in elements(body["blocks"])] == [
        "poll.vote:1",
        "poll.vote:0",
        "poll.vote:q2:1",
        "poll.vote:q2:0",
    ]
    assert block_kit_problems(body) == []


def test_buttons_rows_split_at_25_and_every_action_id_is_unique_across_rows() -> None:
    row = Buttons(tuple(Button("plan.edit.remove", f"Poista {n}", f"action:{n}", "danger") for n in range(30)))
    body = message(
        row, Buttons((Button("plan.edit.remove", "Poista vielä", "action:99"), Button("command.plan", "Näytä")))
    )
    blocks = body["blocks"]
    assert [len(b["elements"]) for b in blocks] == [25, 5, 2]
    assert blocks[0]["elements"][0] == {
        "type": "button",
        "action_id": "plan.edit.remove:1",
        "text": {"type": "plain_text", "text": "Poista 0", "emoji": True},
        "value": "action:0",
        "style": "danger",
    }
    assert blocks[2]["elements"][1] == {  # default style and an empty value are left out
        "type": "button",
        "action_id": "command.plan:32",
        "text": {"type": "plain_text", "text": "Näytä", "emoji": True},
    }
    assert block_kit_problems(body) == []


def test_a_tapped_button_reads_back_as_its_action_and_value() -> None:
    """What render.py writes, parse.py reads: the suffix added for uniqueness is gone again."""
    body = message(Buttons((Button("followup.remind", "Muistuta", "plan:1"),)))
    button = body["blocks"][0]["elements"][0]
    payload = {
        "type": "block_actions",
        "user": {"id": "U07ANNA01"},
        "team": {"id": "T07TYHY01"},
        "container": {"type": "message", "channel_id": "D07ANNA01", "message_ts": "1.2"},
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"]}],
    }
    event = parse_interaction(payload)
    assert isinstance(event, ActionSubmitted) and (event.action, event.value) == ("followup.remind", "plan:1")


def test_a_long_label_is_cut_but_a_long_value_is_refused() -> None:
    [row] = message(Buttons((Button("a.b", "x" * 80, "v"),)))["blocks"]
    assert row["elements"][0]["text"]["text"] == "x" * 74 + "…"
    with pytest.raises(ValueError, match="2000"):
        message(Buttons((Button("a.b", "Ok", "v" * 2001),)))
    with pytest.raises(ValueError, match="150"):
        message(Select("s", "Valitse", (Choice("Ok", "v" * 151),)))
    with pytest.raises(ValueError, match="action name"):
        message(Buttons((Button("a:b", "Ok"),)))


def test_a_text_input_is_an_optional_input_block_named_by_its_id() -> None:
    field = TextInput("comment", "Kommentti", "Kirjoita…", multiline=True, max_length=5000, initial="Hei & moi")
    assert message(field)["blocks"] == [
        {
            "type": "input",
            "block_id": "comment",
            "optional": True,
            "dispatch_action": False,
            "label": {"type": "plain_text", "text": "Kommentti", "emoji": True},
            "element": {
                "type": "plain_text_input",
                "action_id": "comment",
                "multiline": True,
                "max_length": 3000,  # Slack's most
                "initial_value": "Hei & moi",
                "placeholder": {"type": "plain_text", "text": "Kirjoita…", "emoji": True},
            },
        }
    ]
    with pytest.raises(ValueError, match="initial"):
        message(TextInput("when", "Milloin", max_length=5, initial="huomenna"))


def test_selects_start_from_what_is_selected() -> None:
    choices = (Choice("Prosessit", "PR"), Choice("Osaaminen", "CO"), Choice("Johtaminen", "LE"))
    multi, single = message(
        Select("dims", "Ulottuvuudet", choices, multiple=True, selected=("LE", "gone", "PR")),
        Select("dim", "Ulottuvuus", choices, selected=("CO",)),
    )["blocks"]
    assert multi["element"]["type"] == "multi_static_select" and multi["block_id"] == "dims"
    assert [o["value"] for o in multi["element"]["initial_options"]] == ["LE", "PR"]  # an unknown value is dropped
    assert single["element"]["type"] == "static_select" and single["element"]["action_id"] == "dim"
    assert single["element"]["initial_option"] == {
        "text": {"type": "plain_text", "text": "Osaaminen", "emoji": True},
        "value": "CO",
    }
    assert "initial_option" not in message(Select("x", "X", choices))["blocks"][0]["element"]


def test_radio_buttons_are_an_input_that_sends_nothing_until_a_button_is_pressed() -> None:
    choices = tuple(Choice(f"Vaihtoehto {n}", str(n)) for n in range(6))
    [block] = message(Select("q1", "*1/5* Viihdyn _täällä_", choices, selected=("3",), expanded=True))["blocks"]
    assert block["type"] == "input" and block["block_id"] == "q1" and block["dispatch_action"] is False
    assert block["label"]["text"] == "1/5 Viihdyn täällä"  # a plain-text label: no marks left showing
    assert block["element"]["type"] == "radio_buttons" and block["element"]["action_id"] == "q1"
    assert block["element"]["initial_option"]["value"] == "3"
    assert block_kit_problems({"text": "x", "blocks": [block]}) == []
    [fresh] = message(Select("q1", "Kysymys", choices, expanded=True))["blocks"]
    assert "initial_option" not in fresh["element"]
    with pytest.raises(ValueError, match="1-10 choices"):
        message(Select("q1", "Kysymys", tuple(Choice(str(n), str(n)) for n in range(11)), expanded=True))


def test_two_inputs_with_one_id_or_too_many_blocks_are_refused() -> None:
    with pytest.raises(ValueError, match="two inputs"):
        message(TextInput("x", "A"), Select("x", "B", (Choice("b", "b"),)))
    with pytest.raises(ValueError, match="50"):
        message(*(Text(f"rivi {n}") for n in range(51)))
    assert len(message(*(Text(f"rivi {n}") for n in range(50)))["blocks"]) == 50


def test_a_modal_takes_its_title_from_the_heading() -> None:
    card = Card("form", "Lomake", (Heading("Toimenpiteen muokkaus: Kotihoito"), TextInput("t", "Teksti")))
    view = render_modal(
        card,
        callback_id="plan.edit.save",
        private_metadata="action:2",
        submit_label="Tallenna",
        close_label="Peruuta ja palaa takaisin alkuun",
    )
    assert view["type"] == "modal" and view["callback_id"] == "plan.edit.save"
    assert view["private_metadata"] == "action:2"
    assert view["title"]["text"] == "Toimenpiteen muokkaus:…" and len(view["title"]["text"]) <= 24
    assert view["submit"]["text"] == "Tallenna" and len(view["close"]["text"]) == 24
    assert [b["type"] for b in view["blocks"]] == ["input"]
    assert block_kit_problems(view, max_blocks=100) == []
    untitled = render_modal(
        Card("f", "Ilman otsikkoa", ()), callback_id="c", private_metadata="", submit_label="Ok", close_label="Pois"
    )
    assert untitled["title"]["text"] == "Ilman otsikkoa"
    with pytest.raises(ValueError, match="private_metadata"):
        render_modal(card, callback_id="c", private_metadata="x" * 3001, submit_label="Ok", close_label="Pois")


def _card(number: int, questions: int) -> Card:
    blocks: list[Any] = [Heading(f"Kortti {number}")]
    blocks += [
        Question(f"q{n}", f"Kysymys {n}?", "pulse.answer", (Choice("Kyllä", f"{number}:{n}"),))
        for n in range(questions)
    ]
    return Card("pulse", f"Kortti {number}", tuple(blocks))


def test_the_home_tab_puts_dividers_between_cards() -> None:
    view = render_home([_card(1, 1), _card(2, 1)], shortened_note="Lyhennetty")
    assert [b["type"] for b in view["blocks"]] == [
        "header",
        "section",
        "actions",
        "divider",
        "header",
        "section",
        "actions",
    ]
    assert view["type"] == "home"


def test_a_long_home_tab_drops_its_tail_whole_blocks_at_a_time_and_says_so() -> None:
    view = render_home([_card(n, 20) for n in range(3)], shortened_note="Näkymä on lyhennetty <100 lohkoa>")
    blocks = view["blocks"]
    assert len(blocks) <= 100
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Näkymä on lyhennetty &lt;100 lohkoa&gt;"}],
    }
    assert blocks[-2]["type"] == "actions"  # no prompt left without its buttons, no divider before the note
    kinds = [b["type"] for b in blocks[:-1]]
    assert all(kinds[i + 1] == "actions" for i, kind in enumerate(kinds) if kind == "section")
    assert block_kit_problems(view, max_blocks=100) == []  # action_ids and block_ids unique across the cards


def test_card_blocks_can_leave_out_the_heading() -> None:
    card = Card("x", "X", (Heading("Otsikko"), Text("Teksti"), Heading("Toinen")))
    assert [b["type"] for b in card_blocks(card, skip_heading=True)] == ["section", "header"]


def test_the_limit_check_catches_what_slack_would_refuse() -> None:
    """The check the golden tests rely on can fail."""
    button = {"type": "button", "action_id": "a:1", "text": {"type": "plain_text", "text": "x" * 76}}
    twice = {"type": "actions", "elements": [button, dict(button, text={"type": "plain_text", "text": "ok"})]}
    problems = block_kit_problems({"text": "", "blocks": [twice]})
    assert "a message without top-level text" in problems
    assert "action_id 'a:1' used 2 times" in problems
    assert any("button text" in p for p in problems) and any(p.startswith("slack_sdk") for p in problems)
