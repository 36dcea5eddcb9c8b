"""Neutral messages as HTML (pure): a card with controls is one POST form, its buttons name the action they send."""

from __future__ import annotations

import re
from html import escape

from bot.markup import BOLD, ITALIC
from bot.messages import (
    Block,
    Button,
    Buttons,
    Card,
    Facts,
    Heading,
    OutboundMessage,
    Question,
    Select,
    Text,
    TextInput,
)

PRESS_FIELD = "press"  # the name of every card button; its value is "<action> <value>"
MESSAGE_FIELD = "message"  # the hidden field naming the message the card is, so the core can update it in place
# The form fields the page itself uses: a card input of the same id would be shadowed by them.
RESERVED_FIELDS = frozenset({PRESS_FIELD, MESSAGE_FIELD})

_BULLET = "•"


def esc(value: object) -> str:
    """Text for HTML content or a double-quoted attribute."""
    return escape(str(value), quote=True)


def press_value(action: str, value: str) -> str:
    """What a button sends: action ids are dotted words without spaces, so the first space splits them."""
    return f"{action} {value}"


def parse_press(pressed: str) -> tuple[str, str]:
    """The action and value a button sent; ("", "") for anything malformed."""
    action, _, value = pressed.partition(" ")
    return (action, value) if action else ("", "")


def inline_html(text: str) -> str:
    """One line of our markdown subset: escaped, then *bold* and _italic_."""
    # The marks survive escaping, so they are found in the escaped text.
    out = BOLD.sub(r"<strong>\1</strong>", esc(text))
    return ITALIC.sub(r"<em>\1</em>", out)


def text_html(text: str) -> str:
    """A paragraph of our markdown subset: blank lines split paragraphs, "•" lines become a list, breaks stay."""
    parts: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")):
        lines: list[str] = []
        items: list[str] = []
        for raw in paragraph.split("\n"):
            line = raw.strip()
            if line.startswith(_BULLET):
                items.append(f"<li>{inline_html(line[len(_BULLET) :].strip())}</li>")
                continue
            if items:
                parts.append(_paragraph(lines))
                parts.append(f"<ul>{''.join(items)}</ul>")
                lines, items = [], []
            lines.append(inline_html(line))
        parts.append(_paragraph(lines))
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
    return "".join(part for part in parts if part)


def _paragraph(lines: list[str]) -> str:
    return f"<p>{'<br>'.join(lines)}</p>" if any(lines) else ""


def message_html(message: OutboundMessage, *, message_id: str, action_url: str, heading_level: int = 3) -> str:
    """A message as an <article>: plain text as paragraphs, a card as blocks inside one form when it has controls."""
    if message.card is None:
        return f'<article class="msg text" id="{esc(message_id)}">{text_html(message.text or "")}</article>'
    return card_html(message.card, message_id=message_id, action_url=action_url, heading_level=heading_level)


def card_html(card: Card, *, message_id: str, action_url: str, heading_level: int = 3) -> str:
    """The card; ids of its controls are prefixed with the message id so several cards can share a page."""
    inner = "".join(_block(block, message_id, heading_level) for block in card.blocks)
    interactive = any(isinstance(b, (Buttons, Question, TextInput, Select)) for b in card.blocks)
    if interactive:
        inner = (
            f'<form method="post" action="{esc(action_url)}">'
            f'<input type="hidden" name="{MESSAGE_FIELD}" value="{esc(message_id)}">{inner}</form>'
        )
    return (
        f'<article class="msg card" id="{esc(message_id)}" data-kind="{esc(card.kind)}" '
        f'aria-label="{esc(card.fallback_text)}">{inner}</article>'
    )


def _block(block: Block, message_id: str, level: int) -> str:
    if isinstance(block, Heading):
        return f"<h{level}>{esc(block.text)}</h{level}>"
    if isinstance(block, Text):
        return f'<div class="text">{text_html(block.text)}</div>'
    if isinstance(block, Facts):
        rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in block.items)
        return f"<dl>{rows}</dl>"
    if isinstance(block, Question):
        return _question(block, message_id)
    if isinstance(block, Buttons):
        return f'<div class="buttons">{"".join(_button(b) for b in block.buttons)}</div>'
    if isinstance(block, TextInput):
        return _text_input(block, message_id)
    return _select(block, message_id)


def _button(button: Button) -> str:
    return (
        f'<button type="submit" name="{PRESS_FIELD}" value="{esc(press_value(button.action, button.value))}" '
        f'class="{esc(button.style)}">{esc(button.label)}</button>'
    )


def _question(block: Question, message_id: str) -> str:
    """A fieldset: the prompt is its legend, so a screen reader says it with each choice; the pick is pressed."""
    buttons = "".join(_choice(block, c.value, c.label) for c in block.choices)
    return (
        f'<fieldset class="question" id="{esc(_control_id(message_id, block.id))}">'
        f"<legend>{inline_html(block.prompt)}</legend>{buttons}</fieldset>"
    )


def _choice(block: Question, value: str, label: str) -> str:
    chosen = value == block.selected
    mark = ' aria-pressed="true" class="chosen"' if chosen else ' aria-pressed="false"'
    return (
        f'<button type="submit" name="{PRESS_FIELD}" value="{esc(press_value(block.action, value))}"{mark}>'
        f"{'✓ ' if chosen else ''}{esc(label)}</button>"
    )


def _text_input(block: TextInput, message_id: str) -> str:
    control_id = esc(_control_id(message_id, block.id))
    attributes = f'id="{control_id}" name="{esc(block.id)}" maxlength="{block.max_length}"'
    if block.placeholder:
        attributes += f' placeholder="{esc(block.placeholder)}"'
    if block.multiline:
        field = f'<textarea {attributes} rows="4">{esc(block.initial)}</textarea>'
    else:
        field = f'<input type="text" {attributes} value="{esc(block.initial)}">'
    return f'<p class="field"><label for="{control_id}">{esc(block.label)}</label>{field}</p>'


def _select(block: Select, message_id: str) -> str:
    if block.expanded:
        return _radios(block, message_id)
    control_id = esc(_control_id(message_id, block.id))
    options = "".join(
        f'<option value="{esc(c.value)}"{" selected" if c.value in block.selected else ""}>{esc(c.label)}</option>'
        for c in block.choices
    )
    multiple = " multiple" if block.multiple else ""
    if not block.multiple and not block.selected:
        # A single select without a choice yet starts empty, like the platforms' drop-downs.
        options = '<option value=""></option>' + options
    return (
        f'<p class="field"><label for="{control_id}">{esc(block.label)}</label>'
        f'<select id="{control_id}" name="{esc(block.id)}"{multiple}>{options}</select></p>'
    )


def _radios(block: Select, message_id: str) -> str:
    """A fieldset of radio inputs: a pick stays in the browser until a button posts the form with it."""
    group = _control_id(message_id, block.id)
    choices = "".join(
        f'<label><input type="radio" name="{esc(block.id)}" value="{esc(c.value)}" id="{esc(f"{group}-{n}")}"'
        f"{' checked' if c.value in block.selected else ''}> {esc(c.label)}</label>"
        for n, c in enumerate(block.choices, start=1)
    )
    return (
        f'<fieldset class="question choices" id="{esc(group)}">'
        f"<legend>{inline_html(block.label)}</legend>{choices}</fieldset>"
    )


def _control_id(message_id: str, input_id: str) -> str:
    return f"{message_id}-{re.sub(r'[^A-Za-z0-9_-]', '_', input_id)}"
