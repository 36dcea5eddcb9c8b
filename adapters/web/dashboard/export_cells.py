"""A workbook cell as the exports build it: a value, or the word for a figure the anonymity rules hide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.i18n import translate


@dataclass(frozen=True)
class Hidden:
    """A figure the anonymity rules hide: written as a word, in the view's language.

    `reason`, when given, is written instead: complementary suppression hides a figure although enough answered,
    and the reader is told so rather than "hidden" that reads as too few answers.
    """

    reason: str = ""


def protected(language: str) -> Hidden:
    """A figure hidden so that a smaller group's answers cannot be worked out from the unit's total."""
    return Hidden(translate(language, "dashboard.protected_reason"))


HIDDEN = Hidden()
Cell = str | int | float | date | datetime | Hidden | None
Table = tuple[list[str], list[list[Cell]]]
