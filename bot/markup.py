"""The markdown subset of a Text block (*bold*, _italic_): found here once, drawn by each chat in its own way."""

from __future__ import annotations

import re

# A mark hugs its words and is not part of a word: "*Seuranta myöhässä*" is bold, "2*3*4" and "snake_case_name" are not.
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")


def plain(text: str) -> str:
    """The text with its emphasis marks taken off, for a chat that cannot draw them (the terminal)."""
    return ITALIC.sub(r"\1", BOLD.sub(r"\1", text))
