"""The platform limits every card must fit: Slack Block Kit and Teams Adaptive Card 1.5 (platform-facts.md)."""

from __future__ import annotations

import json
from dataclasses import asdict

from bot.messages import Block, Buttons, Card, Facts, Heading, Question, Select, Text, TextInput

MAX_BLOCKS = 50  # Slack: blocks per message
MAX_TEXT = 3000  # Slack: characters in a section's text
MAX_HEADING = 150  # Slack: header block text
MAX_BUTTON_LABEL = 75  # Slack: button text
MAX_BUTTONS_IN_ROW = 25  # Slack: elements in an actions block
MAX_FACTS = 10  # Slack: fields in one section
MAX_CARD_BYTES = 28_000  # Teams: a message's size, with room left for the activity around the card


def slack_block_count(block: Block) -> int:
    """How many Block Kit blocks a neutral block becomes (a question is a prompt plus a row of buttons)."""
    if isinstance(block, Question):
        return 2
    if isinstance(block, Facts):
        return max(1, -(-len(block.items) // MAX_FACTS))
    return 1


def card_problems(card: Card) -> list[str]:
    """Every limit the card breaks; empty when it fits both platforms."""
    problems: list[str] = []
    if not card.fallback_text.strip():
        problems.append("fallback_text is empty")
    if len(card.fallback_text) > MAX_TEXT:
        problems.append("fallback_text is too long")
    blocks = sum(slack_block_count(block) for block in card.blocks)
    if blocks > MAX_BLOCKS:
        problems.append(f"{blocks} blocks, at most {MAX_BLOCKS}")
    for block in card.blocks:
        problems.extend(_block_problems(block))
    size = len(json.dumps(asdict(card), ensure_ascii=False).encode("utf-8"))
    if size > MAX_CARD_BYTES:
        problems.append(f"{size} bytes, at most {MAX_CARD_BYTES}")
    return problems


def _block_problems(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"heading over {MAX_HEADING} characters"] if len(block.text) > MAX_HEADING else []
    if isinstance(block, Text):
        return [f"text over {MAX_TEXT} characters"] if len(block.text) > MAX_TEXT else []
    if isinstance(block, Facts):
        return [f"fact over {MAX_TEXT} characters" for k, v in block.items if len(k) + len(v) > MAX_TEXT]
    labels: list[str] = []
    if isinstance(block, Question):
        labels = [c.label for c in block.choices]
        if len(block.prompt) > MAX_TEXT:
            return [f"question prompt over {MAX_TEXT} characters"]
    elif isinstance(block, Buttons):
        labels = [b.label for b in block.buttons]
    elif isinstance(block, Select):
        labels = [c.label for c in block.choices]
    elif isinstance(block, TextInput) and len(block.label) > MAX_HEADING:
        return [f"input label over {MAX_HEADING} characters"]
    problems = [
        f"label {label!r} over {MAX_BUTTON_LABEL} characters" for label in labels if len(label) > MAX_BUTTON_LABEL
    ]
    if isinstance(block, (Question, Buttons)) and len(labels) > MAX_BUTTONS_IN_ROW:
        problems.append(f"{len(labels)} buttons in a row, at most {MAX_BUTTONS_IN_ROW}")
    if any(not label.strip() for label in labels):
        problems.append("an empty label")
    return problems


def shorten(text: str, limit: int) -> str:
    """Cut a person's text to fit a limit, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
