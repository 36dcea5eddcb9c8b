"""Neutral cards as Slack Block Kit (pure: plain dicts for chat.postMessage, views.open and views.publish)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import count
from typing import Any

from adapters.slack.mrkdwn import escape, split_escaped
from bot.card_limits import shorten
from bot.messages import (
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

# Block Kit limits (docs.slack.dev/reference/block-kit/blocks and the validators of slack_sdk 3.47 models,
# platform-facts.md 1.7). Texts a person reads are cut with an ellipsis; values the bot reads back never are.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100  # modals and the Home tab
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_RADIO_OPTIONS = 10  # docs.slack.dev/reference/block-kit/block-elements/radio-button-group-element
MAX_ELEMENTS = 25  # elements in one actions block
MAX_ID = 255  # action_id, block_id and callback_id
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_INPUT_LENGTH = 3000
MAX_VIEW_TEXT = 24  # a modal's title, submit and close labels
MAX_PRIVATE_METADATA = 3000

SEPARATOR = ":"  # action_id = action + ":" + a suffix that makes it unique; parse.py cuts at the first ":"
CHECK = "✓ "  # marks the chosen answer of a question when its card is redrawn
_MARKS = re.compile(r"(?<![\w*_])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*_])")  # *bold* and _italic_ of our subset

Json = dict[str, Any]


class _Ids:
    """The action and block ids of one surface (a message or a view): Slack wants each unique there."""

    def __init__(self) -> None:
        self.actions: set[str] = set()
        self.blocks: set[str] = set()
        self._controls = count(1)

    def action(self, action: str, suffix: str | None = None, *, scope: str = "") -> str:
        """`action:suffix` (a running number without a suffix); when that is taken or too long, `action:scope:suffix`,
        then `action:~n`. The parser keeps what comes before the first ":", so any of them reads back as `action`.
        """
        if SEPARATOR in action or not action:
            raise ValueError(f"an action name must be non-empty and without {SEPARATOR!r}: {action!r}")
        suffix = suffix if suffix is not None else str(next(self._controls))
        candidates = [f"{action}{SEPARATOR}{suffix}"]
        if scope:
            candidates.append(f"{action}{SEPARATOR}{scope}{SEPARATOR}{suffix}")
        for candidate in candidates:
            if len(candidate) <= MAX_ID and candidate not in self.actions:
                self.actions.add(candidate)
                return candidate
        while True:
            candidate = f"{action}{SEPARATOR}~{next(self._controls)}"
            if len(candidate) > MAX_ID:
                raise ValueError(f"action name over {MAX_ID - 8} characters: {action[:40]!r}…")
            if candidate not in self.actions:
                self.actions.add(candidate)
                return candidate

    def input(self, input_id: str) -> str:
        """An input's id, used as is for its block and element: the parser returns the form under it."""
        if not input_id or len(input_id) > MAX_ID:
            raise ValueError(f"an input id must be 1-{MAX_ID} characters: {input_id!r}")
        if input_id in self.blocks or input_id in self.actions:
            raise ValueError(f"two inputs named {input_id!r} on one surface (or a block with that id)")
        self.blocks.add(input_id)
        self.actions.add(input_id)
        return input_id

    def block(self, wanted: str) -> str:
        """A block id: the one wanted, or it with "-2", "-3"… when a block of the surface has it already."""
        candidate, number = wanted[:MAX_ID], 1
        while candidate in self.blocks:
            number += 1
            candidate = f"{wanted[: MAX_ID - 12]}-{number}"
        self.blocks.add(candidate)
        return candidate


def render_message(message: OutboundMessage) -> Json:
    """The body of chat.postMessage or chat.update without `channel` (and `ts`).

    A card always carries `text` as well: Slack shows it in notifications and to screen readers
    (slack_sdk warns without it, aesthetics.md P12). Raises ValueError for a card Slack would refuse.
    """
    if message.card is None:
        return {"text": escape(message.text or "")}
    blocks = card_blocks(message.card)
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"{message.card.kind}: {len(blocks)} blocks, a message holds at most {MAX_MESSAGE_BLOCKS}")
    return {"text": escape(message.card.fallback_text), "blocks": blocks}


def card_blocks(card: Card, *, skip_heading: bool = False) -> list[Json]:
    """The card's Block Kit blocks; `skip_heading` leaves out the first heading (a modal shows it as its title)."""
    ids = _Ids()
    return [rendered for block in _blocks_of(card, skip_heading) for rendered in _render(block, ids)]


def render_modal(card: Card, *, callback_id: str, private_metadata: str, submit_label: str, close_label: str) -> Json:
    """A modal view (views.open / views.update) of the card: its heading as the title, the rest as blocks.

    The submission comes back as a `view_submission` with this callback_id and private_metadata (parse.py).
    """
    if not callback_id or len(callback_id) > MAX_ID:
        raise ValueError(f"callback_id must be 1-{MAX_ID} characters")
    if len(private_metadata) > MAX_PRIVATE_METADATA:
        raise ValueError(f"private_metadata over {MAX_PRIVATE_METADATA} characters")
    heading = next((block.text for block in card.blocks if isinstance(block, Heading)), card.fallback_text)
    blocks = card_blocks(card, skip_heading=True)
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise ValueError(f"{card.kind}: {len(blocks)} blocks, a modal holds at most {MAX_VIEW_BLOCKS}")
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": private_metadata,
        "title": _plain(shorten(heading, MAX_VIEW_TEXT)),
        "submit": _plain(shorten(submit_label, MAX_VIEW_TEXT)),
        "close": _plain(shorten(close_label, MAX_VIEW_TEXT)),
        "blocks": blocks,
    }


def render_home(cards: Sequence[Card], *, shortened_note: str) -> Json:
    """The App Home tab (views.publish): the cards one after another, a divider between them.

    Past Slack's 100 blocks the tail is dropped, whole neutral blocks at a time so no question loses its buttons,
    and a context block with `shortened_note` (translated by the caller) ends the view.
    """
    ids = _Ids()
    groups: list[list[Json]] = []
    for number, card in enumerate(cards):
        if number:
            groups.append([{"type": "divider"}])
        groups.extend(_render(block, ids) for block in card.blocks)
    blocks = [rendered for group in groups for rendered in group]
    if len(blocks) <= MAX_VIEW_BLOCKS:
        return {"type": "home", "blocks": blocks}
    kept: list[Json] = []
    for group in groups:
        if len(kept) + len(group) > MAX_VIEW_BLOCKS - 1:
            break
        kept.extend(group)
    while kept and kept[-1]["type"] == "divider":
        kept.pop()
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(shortened_note)}]}
    return {"type": "home", "blocks": [*kept, note]}


def _blocks_of(card: Card, skip_heading: bool) -> Iterator[Block]:
    skipped = not skip_heading
    for block in card.blocks:
        if not skipped and isinstance(block, Heading):
            skipped = True
            continue
        yield block


def _render(block: Block, ids: _Ids) -> list[Json]:
    if isinstance(block, Heading):
        return [{"type": "header", "text": _plain(shorten(block.text, MAX_HEADER))}] if block.text.strip() else []
    if isinstance(block, Text):
        return _sections(block.text)
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Question):
        return _question(block, ids)
    if isinstance(block, Buttons):
        elements = [_button(button, ids.action(button.action)) for button in block.buttons]
        return [{"type": "actions", "elements": row} for row in _rows(elements)]
    if isinstance(block, TextInput):
        return [_text_input(block, ids)]
    return [_select(block, ids)]


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}


def _sections(text: str) -> list[Json]:
    """Section blocks for a paragraph, several when it is longer than one section may hold."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in split_escaped(text, MAX_SECTION_TEXT)
    ]


def _facts(block: Facts) -> list[Json]:
    fields = [
        {
            "type": "mrkdwn",
            "text": shorten(f"*{escape(label)}*\n{escape(value)}" if label else escape(value), MAX_FIELD_TEXT),
        }
        for label, value in block.items
        if label.strip() or value.strip()
    ]
    return [{"type": "section", "fields": fields[i : i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)]


def _question(block: Question, ids: _Ids) -> list[Json]:
    # Each choice's action_id carries its value after the ":" so every button of the message differs (Slack wants
    # action_ids unique among a block's elements: docs.slack.dev/reference/block-kit/block-elements/button-element).
    buttons = [
        _button(
            Button(block.action, (CHECK if choice.value == block.selected else "") + choice.label, choice.value),
            ids.action(block.action, choice.value, scope=block.id),
            primary=choice.value == block.selected,
        )
        for choice in block.choices
    ]
    rows = [{"type": "actions", "block_id": ids.block(block.id), "elements": row} for row in _rows(buttons)]
    return [*_sections(block.prompt), *rows]


def _rows(elements: list[Json]) -> list[list[Json]]:
    return [elements[i : i + MAX_ELEMENTS] for i in range(0, len(elements), MAX_ELEMENTS)]


def _button(button: Button, action_id: str, *, primary: bool = False) -> Json:
    if len(button.value) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value over {MAX_BUTTON_VALUE} characters: {button.value[:40]!r}…")
    element: Json = {"type": "button", "action_id": action_id, "text": _plain(shorten(button.label, MAX_BUTTON_TEXT))}
    if button.value:  # Slack refuses an empty value; the parser reads a missing one as ""
        element["value"] = button.value
    style = "primary" if primary else button.style
    if style != "default":
        element["style"] = style
    return element


def _text_input(block: TextInput, ids: _Ids) -> Json:
    input_id = ids.input(block.id)
    max_length = min(block.max_length, MAX_INPUT_LENGTH)
    if len(block.initial) > max_length:
        raise ValueError(f"input {block.id!r}: initial text over its {max_length} characters")
    element: Json = {
        "type": "plain_text_input",
        "action_id": input_id,
        "multiline": block.multiline,
        "max_length": max_length,
    }
    if block.initial:
        element["initial_value"] = block.initial
    if block.placeholder:
        element["placeholder"] = _plain(shorten(block.placeholder, MAX_PLACEHOLDER))
    return _input_block(input_id, block.label, element)


def _select(block: Select, ids: _Ids) -> Json:
    most = MAX_RADIO_OPTIONS if block.expanded else MAX_OPTIONS
    if not block.choices or len(block.choices) > most:
        raise ValueError(f"select {block.id!r}: 1-{most} choices, not {len(block.choices)}")
    input_id = ids.input(block.id)
    options = {choice.value: _option(choice) for choice in block.choices}
    if len(options) < len(block.choices):
        raise ValueError(f"select {block.id!r}: two choices with the same value")
    initial = [options[value] for value in dict.fromkeys(block.selected) if value in options]
    kind = "radio_buttons" if block.expanded else "multi_static_select" if block.multiple else "static_select"
    element: Json = {"type": kind, "action_id": input_id, "options": list(options.values())}
    if initial and block.multiple:
        element["initial_options"] = initial
    elif initial:
        element["initial_option"] = initial[0]
    # An input block's label is plain text: our *bold* and _italic_ marks would show as they are.
    return _input_block(input_id, _unmarked(block.label), element)


def _unmarked(text: str) -> str:
    return _MARKS.sub(r"\2", text)


def _option(choice: Choice) -> Json:
    if not choice.value or len(choice.value) > MAX_OPTION_VALUE:
        raise ValueError(f"option value must be 1-{MAX_OPTION_VALUE} characters: {choice.value[:40]!r}")
    return {"text": _plain(shorten(choice.label, MAX_OPTION_TEXT)), "value": choice.value}


def _input_block(input_id: str, label: str, element: Json) -> Json:
    # Optional: the neutral model has no "required", the core checks what it needs and answers in the person's
    # language. No dispatch_action: an input's value arrives with the next button press (or the modal's submit) in
    # the payload's state.values, and picking a radio button sends nothing, so no pick is written to the chat.
    return {
        "type": "input",
        "block_id": input_id,
        "optional": True,
        "dispatch_action": False,
        "label": _plain(shorten(label, MAX_LABEL)),
        "element": element,
    }
