"""Cards as terminal text: numbered buttons to tap and radio buttons to pick, lettered inputs to fill (pure)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.markup import plain
from bot.messages import Buttons, Card, Facts, Heading, OutboundMessage, Question, Select, SentRef, Text, TextInput


@dataclass(frozen=True)
class Control:
    """A tappable thing on the screen: its number and the action it sends."""

    number: int
    action: str
    value: str
    label: str
    input_id: str = ""  # a radio button: typing its number picks it here, in the terminal, and sends nothing


@dataclass(frozen=True)
class Field:
    """A fillable thing on the screen: its letter, the card's input id and, for a select, its choices."""

    letter: str
    input_id: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) for a select
    multiple: bool = False


@dataclass(frozen=True)
class Screen:
    """What one message looks like in the terminal, and the controls it offers."""

    text: str
    controls: tuple[Control, ...] = ()
    fields: tuple[Field, ...] = ()
    source: SentRef | None = None
    card: Card | None = None  # drawn again, with the picks marked, when a radio button is picked


@dataclass
class _Builder:
    lines: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)

    def control(self, action: str, value: str, label: str, selected: bool = False, input_id: str = "") -> str:
        number = len(self.controls) + 1
        self.controls.append(Control(number, action, value, label, input_id))
        return f"[{number}] {'✔ ' if selected else ''}{label}"


def render_message(message: OutboundMessage, source: SentRef | None = None) -> Screen:
    """A message as terminal text; a card's buttons are numbered and its inputs lettered."""
    if message.card is None:
        return Screen(plain(message.text or ""))
    return render_card(message.card, source)


def render_card(card: Card, source: SentRef | None = None) -> Screen:
    """A card as terminal text."""
    out = _Builder()
    for block in card.blocks:
        if isinstance(block, Heading):
            out.lines += [f"== {block.text} =="]
        elif isinstance(block, Text):
            out.lines += [plain(block.text)]  # the terminal cannot draw *bold*: the marks would show
        elif isinstance(block, Facts):
            out.lines += [f"  {key}: {value}" for key, value in block.items]
        elif isinstance(block, Question):
            out.lines.append(block.prompt)
            marks = [out.control(block.action, c.value, c.label, c.value == block.selected) for c in block.choices]
            out.lines.append("   " + "  ".join(marks))
        elif isinstance(block, Select) and block.expanded:
            out.lines.append(block.label)
            picks = [out.control("", c.value, c.label, c.value in block.selected, block.id) for c in block.choices]
            out.lines.append("   " + "  ".join(picks))
        elif isinstance(block, Buttons):
            out.lines.append("   " + "  ".join(out.control(b.action, b.value, b.label) for b in block.buttons))
        elif isinstance(block, (TextInput, Select)):
            letter = string.ascii_lowercase[len(out.fields) % 26]
            if isinstance(block, Select):
                choices = tuple((c.label, c.value) for c in block.choices)
                out.fields.append(Field(letter, block.id, block.label, choices, block.multiple))
                listed = ", ".join(f"{n}={label}" for n, (label, _) in enumerate(choices, start=1))
                out.lines.append(f"({letter}) {block.label}: {listed}")
            else:
                out.fields.append(Field(letter, block.id, block.label))
                out.lines.append(f"({letter}) {block.label}")
    return Screen("\n".join(out.lines), tuple(out.controls), tuple(out.fields), source, card)


def with_picks(card: Card, picks: Mapping[str, str]) -> Card:
    """The card with the radio buttons picked in the terminal marked, as a chat client shows them before Send."""
    blocks = tuple(
        replace(block, selected=(picks[block.id],))
        if isinstance(block, Select) and block.expanded and block.id in picks
        else block
        for block in card.blocks
    )
    return replace(card, blocks=blocks)
