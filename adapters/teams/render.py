"""Neutral cards as Bot Framework activities carrying Adaptive Cards 1.5 (pure: plain dicts, no I/O, no SDK)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from adapters.teams.markdown import card_markdown, line_markdown, text_markdown, unmarked
from bot.card_limits import MAX_CARD_BYTES
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

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"  # the newest Teams renders in bot messages (msteams-docs cards-reference.md, platform-facts 2.6)
ACTION_KEY = "tyhy.action"
VALUE_KEY = "tyhy.value"
# Teams shows six actions in a set and hides the rest in an overflow menu (MicrosoftDocs/msteams-docs#5356,
# MicrosoftDocs/bot-docs#2161), and it never wraps a button's title but cuts it with "…" (msteams-docs#5004,
# BotFramework-Services#29). So buttons stand in rows of six when their titles fit side by side, and one to a
# row otherwise, where each title has the card's whole width.
MAX_ACTIONS_PER_SET = 6
ROW_CHARACTERS = 56  # about what fits side by side in a desktop chat before Teams cuts titles
CHECK = "✓ "
_STYLES = {"primary": "positive", "danger": "destructive"}


def render_card(card: Card) -> dict[str, Any]:
    """The card as an Adaptive Card 1.5; every button is an Action.Submit whose data names its action and value."""
    _check_input_ids(card.blocks)
    body: list[dict[str, Any]] = []
    for block in card.blocks:
        body.extend(_elements(block))
    return {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "fallbackText": card.fallback_text,
        "msteams": {"width": "Full"},
        "body": body,
    }


def render_activity(message: OutboundMessage) -> dict[str, Any]:
    """The message activity to send or put in place of an earlier one; ValueError when Teams would refuse its size.

    A card goes alone, without `text`: Teams shows `text` above the card, so the fallback would be read twice.
    The fallback is in the card's `fallbackText` (clients that cannot draw it) and in the activity's `summary`
    (what Teams shows in notifications and the chat list).
    """
    activity: dict[str, Any]
    if message.card is not None:
        activity = {
            "type": "message",
            "summary": message.card.fallback_text,
            "attachments": [{"contentType": ADAPTIVE_CARD, "content": render_card(message.card)}],
        }
    else:
        activity = {"type": "message", "text": text_markdown(message.text or ""), "textFormat": "markdown"}
    size = len(json.dumps(activity, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_CARD_BYTES:
        kind = message.card.kind if message.card is not None else "text"
        raise ValueError(f"{kind}: the Teams message is {size} bytes, at most {MAX_CARD_BYTES}")
    return activity


def _elements(block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Heading):
        return [_text_block(line_markdown(block.text), size="Large", weight="Bolder", style="heading")]
    if isinstance(block, Text):
        text = card_markdown(block.text)
        return [_text_block(text)] if text else []
    if isinstance(block, Facts):
        facts = [{"title": line_markdown(key), "value": card_markdown(value)} for key, value in block.items]
        return [{"type": "FactSet", "facts": facts}] if facts else []
    if isinstance(block, Question):
        actions = [_question_action(block, choice.label, choice.value) for choice in block.choices]
        return [_text_block(card_markdown(block.prompt)), *_action_sets(actions)]
    if isinstance(block, Buttons):
        return _action_sets([_button_action(button) for button in block.buttons])
    if isinstance(block, TextInput):
        return [_text_input(block)]
    return [_choice_set(block)]


def _text_block(text: str, **extra: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def _submit(title: str, action: str, value: str, style: str | None = None) -> dict[str, Any]:
    submit: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": {ACTION_KEY: action, VALUE_KEY: value}}
    if style is not None:
        submit["style"] = style
    return submit


def _question_action(question: Question, label: str, value: str) -> dict[str, Any]:
    # The chosen answer is marked twice: a colour where the client draws styles, a check mark everywhere.
    if value == question.selected:
        return _submit(CHECK + label, question.action, value, "positive")
    return _submit(label, question.action, value)


def _button_action(button: Button) -> dict[str, Any]:
    return _submit(button.label, button.action, button.value, _STYLES.get(button.style))


def _action_sets(actions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of six when the titles fit side by side, else one button a row, like a list of answers."""
    rows = [actions[start : start + MAX_ACTIONS_PER_SET] for start in range(0, len(actions), MAX_ACTIONS_PER_SET)]
    if any(sum(_title_width(action) for action in row) > ROW_CHARACTERS for row in rows):
        rows = [[action] for action in actions]
    return [{"type": "ActionSet", "actions": list(row)} for row in rows]


def _title_width(action: dict[str, Any]) -> int:
    # Every title counts the check mark's room, so marking a choice never moves the buttons around.
    return len(str(action["title"]).removeprefix(CHECK)) + len(CHECK)


def _text_input(block: TextInput) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.Text",
        "id": block.id,
        "label": block.label,
        "isMultiline": block.multiline,
        "maxLength": block.max_length,
    }
    if block.placeholder:
        element["placeholder"] = block.placeholder
    if block.initial:
        element["value"] = block.initial
    return element


def _choice_set(block: Select) -> dict[str, Any]:
    # Expanded: radio buttons. A pick stays in the Teams client and comes merged into the next Action.Submit's data
    # (learn.microsoft.com/adaptive-cards/authoring-cards/input-validation), so no pick is written to the chat.
    element: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": block.id,
        "label": unmarked(block.label),  # an input's label is plain text
        "style": "expanded" if block.expanded else "compact",
        "isMultiSelect": block.multiple,
        "wrap": True,
        "choices": [{"title": choice.label, "value": choice.value} for choice in block.choices],
    }
    if block.selected:
        # Teams reads and sends a multi-select's values as one comma-separated string.
        element["value"] = ",".join(block.selected)
    return element


def _check_input_ids(blocks: Sequence[Block]) -> None:
    """Input ids are the keys Teams merges into a submit's data: they must be unique and never ours."""
    seen: set[str] = set()
    for block in blocks:
        if isinstance(block, (TextInput, Select)):
            if block.id in seen or not block.id or "tyhy." in block.id:
                raise ValueError(f"input id {block.id!r} is empty, repeated or reserved")
            seen.add(block.id)
