"""Neutral cards as HTML: each block kind, escaping everywhere, and controls that post what the platforms would."""

from __future__ import annotations

from adapters.web.chat.card_html import card_html, message_html, parse_press, press_value, text_html
from bot.messages import (
    Address,
    Block,
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

EVIL = "<script>alert(\"x\")</script> & 'quoted'"
EVIL_HTML = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"
TO = Address(Platform.WEB, user_id="7")


def render(*blocks: Block, kind: str = "test", fallback: str = "Fallback") -> str:
    return card_html(Card(kind, fallback, tuple(blocks)), message_id="l9", action_url="/chat/7/act?lang=fi")


def test_a_heading_is_a_heading_and_escaped() -> None:
    assert render(Heading("Pulse check")).count("<h3>Pulse check</h3>") == 1
    assert f"<h3>{EVIL_HTML}</h3>" in render(Heading(EVIL))


def test_text_keeps_bold_italic_bullets_and_line_breaks() -> None:
    html = text_html("*Kiitos* _paljon_\nrivi kaksi\n\n• yksi\n• *kaksi*")
    assert html == (
        "<p><strong>Kiitos</strong> <em>paljon</em><br>rivi kaksi</p>"
        "<ul><li>yksi</li><li><strong>kaksi</strong></li></ul>"
    )


def test_text_is_escaped_before_markup_is_added() -> None:
    assert text_html(EVIL) == f"<p>{EVIL_HTML}</p>"
    assert text_html("*<b>*") == "<p><strong>&lt;b&gt;</strong></p>"
    assert text_html("a * b * c and snake_case_name") == "<p>a * b * c and snake_case_name</p>"


def test_facts_are_a_description_list() -> None:
    html = render(Facts((("Tiimi", "Kotihoito"), (EVIL, "1 < 2"))))
    assert "<dl><dt>Tiimi</dt><dd>Kotihoito</dd>" in html
    assert f"<dt>{EVIL_HTML}</dt><dd>1 &lt; 2</dd></dl>" in html


def test_a_card_without_controls_has_no_form() -> None:
    html = render(Heading("Hi"), Text("Just news"))
    assert "<form" not in html and "<button" not in html
    assert html.startswith('<article class="msg card" id="l9" data-kind="test" aria-label="Fallback">')


def test_buttons_post_their_action_and_value_in_one_form_naming_the_message() -> None:
    html = render(
        Buttons((Button("plan.agree", "Hyväksy", "12", "primary"), Button("plan.remove", EVIL, "3", "danger")))
    )
    assert html.count("<form") == 1 and '<form method="post" action="/chat/7/act?lang=fi">' in html
    assert '<input type="hidden" name="message" value="l9">' in html
    assert '<button type="submit" name="press" value="plan.agree 12" class="primary">Hyväksy</button>' in html
    assert f'value="plan.remove 3" class="danger">{EVIL_HTML}</button>' in html


def test_a_button_value_with_quotes_and_spaces_survives_the_round_trip() -> None:
    html = render(Buttons((Button("x.y", "Go", 'a "b" c'),)))
    assert 'value="x.y a &quot;b&quot; c"' in html
    assert parse_press(press_value("x.y", 'a "b" c')) == ("x.y", 'a "b" c')
    assert parse_press("") == ("", "")


def test_a_question_is_a_fieldset_whose_chosen_answer_is_marked() -> None:
    question = Question(
        "q1",
        "Tiedän, mitä minulta odotetaan.",
        "pulse.answer",
        (Choice("Eri mieltä", "5:q1:1"), Choice("Samaa mieltä", "5:q1:4")),
        selected="5:q1:4",
    )
    html = render(question)
    assert '<fieldset class="question" id="l9-q1"><legend>Tiedän, mitä minulta odotetaan.</legend>' in html
    assert 'value="pulse.answer 5:q1:1" aria-pressed="false">Eri mieltä</button>' in html
    assert 'value="pulse.answer 5:q1:4" aria-pressed="true" class="chosen">✓ Samaa mieltä</button>' in html


def test_a_question_prompt_keeps_its_bold_number() -> None:
    question = Question("q2", "*2/5* Työ <on> sujuvaa.", "pulse.answer", (Choice("Kyllä", "1"),))
    assert "<legend><strong>2/5</strong> Työ &lt;on&gt; sujuvaa.</legend>" in render(question)


def test_radio_buttons_are_a_fieldset_of_radio_inputs_posted_with_the_form() -> None:
    choices = (Choice("Eri mieltä", "2"), Choice(EVIL, "4"))
    html = render(Select("q1", "*1/5* Tiedän <mitä> odotetaan.", choices, selected=("4",), expanded=True))
    assert (
        '<fieldset class="question choices" id="l9-q1"><legend><strong>1/5</strong> Tiedän &lt;mitä&gt; odotetaan.'
        "</legend>"
    ) in html
    assert '<label><input type="radio" name="q1" value="2" id="l9-q1-1"> Eri mieltä</label>' in html
    assert f'<label><input type="radio" name="q1" value="4" id="l9-q1-2" checked> {EVIL_HTML}</label>' in html
    assert "<button" not in html  # picking sends nothing: only a card's button posts the form
    assert html.count("<form") == 1


def test_a_text_input_has_a_label_its_limit_and_its_draft() -> None:
    html = render(TextInput("comment", "Kommentti", placeholder="Vapaaehtoinen", max_length=500, initial=EVIL))
    assert '<label for="l9-comment">Kommentti</label>' in html
    assert (
        f'<input type="text" id="l9-comment" name="comment" maxlength="500" placeholder="Vapaaehtoinen" '
        f'value="{EVIL_HTML}">'
    ) in html


def test_a_multiline_input_is_a_textarea() -> None:
    html = render(TextInput("goal", "Tavoite", multiline=True, initial="</textarea><b>"))
    assert '<textarea id="l9-goal" name="goal" maxlength="3000" rows="4">&lt;/textarea&gt;&lt;b&gt;</textarea>' in html
    assert '<label for="l9-goal">Tavoite</label>' in html


def test_a_select_has_a_label_an_empty_start_and_escaped_options() -> None:
    html = render(Select("owner", "Vastuuhenkilö", (Choice("Anna", "1"), Choice(EVIL, '2"'))))
    assert '<label for="l9-owner">Vastuuhenkilö</label><select id="l9-owner" name="owner">' in html
    assert '<option value=""></option><option value="1">Anna</option>' in html
    assert f'<option value="2&quot;">{EVIL_HTML}</option>' in html


def test_a_multiple_select_marks_what_is_picked() -> None:
    block = Select("dims", "Osa-alueet", (Choice("A", "a"), Choice("B", "b"), Choice("C", "c")), True, ("a", "c"))
    html = render(block)
    assert '<select id="l9-dims" name="dims" multiple>' in html
    assert (
        '<option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option>' in html
    )


def test_control_ids_stay_valid_whatever_the_input_id() -> None:
    html = render(TextInput("target 1/goal", "Tavoite"))
    assert 'id="l9-target_1_goal" name="target 1/goal"' in html and 'for="l9-target_1_goal"' in html


def test_a_plain_text_message_is_paragraphs() -> None:
    message = OutboundMessage(to=TO, text="Hei!\n• *apua* – ohje")
    html = message_html(message, message_id="l3", action_url="/x")
    assert (
        html == '<article class="msg text" id="l3"><p>Hei!</p><ul><li><strong>apua</strong> – ohje</li></ul></article>'
    )


def test_the_fallback_text_labels_the_card_escaped() -> None:
    assert f'aria-label="{EVIL_HTML}"' in render(Heading("x"), fallback=EVIL)
