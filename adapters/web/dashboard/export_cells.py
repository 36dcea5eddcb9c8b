"""A workbook cell as the exports build it: a value, or the word for a figure the anonymity rules hide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Hidden:
    """A figure the anonymity rules hide: written as a word, in the view's language."""


HIDDEN = Hidden()
Cell = str | int | float | date | datetime | Hidden | None
Table = tuple[list[str], list[list[Cell]]]
