"""The "all of us" tally: how many picked each dimension or each item in own words, with no names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from bot.dimensions import Dimension
from bot.flows.choose_model import Pick, PickKind

_DIMENSION_ORDER = {dimension: position for position, dimension in enumerate(Dimension)}
_CODES = frozenset(dimension.value for dimension in Dimension)


@dataclass(frozen=True)
class TallyItem:
    """One thing the team picked and how many picked it; `key` is a short token for cards (a code or a hash)."""

    kind: PickKind
    key: str
    count: int
    dimension: Dimension | None = None
    text: str = ""  # the own words as the first person wrote them; empty for a dimension


def words_key(text: str) -> str:
    """The token of an item in own words: equal for texts that differ only in case and spacing."""
    folded = " ".join(text.split()).casefold()
    return "w" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:10]


def choice_key(choice: str) -> str:
    """The tally token of a stored choice: a dimension's code, or the key of the own words."""
    return choice if choice in _CODES else words_key(choice)


def tally(picks: Iterable[Pick]) -> tuple[TallyItem, ...]:
    """Counts per kind and item, most picked first; dimensions before own words on a tie, then in a fixed order."""
    counts: dict[tuple[PickKind, str], int] = {}
    first: dict[tuple[PickKind, str], Pick] = {}
    for pick in picks:
        key = (pick.kind, pick.dimension.value if pick.dimension else words_key(pick.choice))
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, pick)
    items = [
        TallyItem(
            kind, key, count, first[kind, key].dimension, "" if first[kind, key].dimension else first[kind, key].choice
        )
        for (kind, key), count in counts.items()
    ]
    return tuple(sorted(items, key=_order))


def of_kind(items: Iterable[TallyItem], kind: PickKind) -> tuple[TallyItem, ...]:
    """The tally's items of one kind, in tally order."""
    return tuple(item for item in items if item.kind is kind)


def _order(item: TallyItem) -> tuple[int, int, int, str]:
    dimension_rank = _DIMENSION_ORDER[item.dimension] if item.dimension else len(_DIMENSION_ORDER)
    return (-item.count, item.dimension is None, dimension_rank, item.text.casefold())
