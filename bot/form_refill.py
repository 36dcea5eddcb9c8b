"""A form card drawn again with what the person typed and why it was refused, so a refusal costs no typing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.messages import Block, Card, Heading, Select, Text, TextInput

WARNING = "⚠️ "


def refilled(card: Card, typed: Mapping[str, str], reason: str) -> Card:
    """`card` with each input showing what came with the press, and `reason` under the heading.

    A pick that the card no longer offers is left out (a platform refuses a preselected option it does not list);
    a text longer than its field is cut to the field, as the field itself would.
    """
    blocks: list[Block] = [_typed(block, typed) for block in card.blocks]
    at = 1 if blocks and isinstance(blocks[0], Heading) else 0
    blocks.insert(at, Text(WARNING + reason))
    return replace(card, blocks=tuple(blocks))


def _typed(block: Block, typed: Mapping[str, str]) -> Block:
    if isinstance(block, TextInput) and block.id in typed:
        return replace(block, initial=typed[block.id][: block.max_length])
    if isinstance(block, Select) and block.id in typed:
        offered = {choice.value for choice in block.choices}
        # Several picks arrive as one comma-separated string (bot.messages.Select).
        picked = tuple(dict.fromkeys(v.strip() for v in typed[block.id].split(",") if v.strip() in offered))
        return replace(block, selected=picked if block.multiple else picked[:1])
    return block
