"""Near-duplicate picks in own words ("Perehdytys" / "Perehdytys uusille sijaisille"), offered for merging."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import DomainError
from bot.flows.choose_model import PickKind
from bot.flows.choose_tally import TallyItem, of_kind

MAX_SUGGESTIONS = 4  # each is a line and a button on the confirmation card; more would bury the tally
MIN_WORD = 4  # shorter words ("ja", "työ", "och") say too little to tie two items together
STEM = 6  # Finnish inflects the ending: "perehdytys" and "perehdytyksen" share their first six letters and more
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Merge:
    """Two items of one kind that look like one thing: `source` is folded into `into`, whose words are kept."""

    kind: PickKind
    source: TallyItem
    into: TallyItem

    def value(self, session_id: int) -> str:
        """The merge button's value: the session, the kind and the two items' short keys."""
        return f"{session_id}:{self.kind.value}:{self.source.key}:{self.into.key}"


def parse_merge(value: str) -> tuple[PickKind, str, str]:
    """The kind and the two keys of a merge button's value; a forged one is refused."""
    parts = value.split(":")
    if len(parts) != 4 or parts[1] not in {kind.value for kind in PickKind} or not parts[2] or not parts[3]:
        raise DomainError("choose.unknown_choice")
    return PickKind(parts[1]), parts[2], parts[3]


def near_duplicates(items: Sequence[TallyItem]) -> tuple[Merge, ...]:
    """Pairs of own-words items of a kind that look like the same thing, the most picked first.

    The name kept is the one more people picked; on a tie the longer, which says more.
    """
    found: list[Merge] = []
    for kind in PickKind:
        words = [item for item in of_kind(items, kind) if item.dimension is None]
        for index, first in enumerate(words):
            for second in words[index + 1 :]:
                if _alike(first.text, second.text):
                    into, source = sorted((first, second), key=lambda i: (-i.count, -len(i.text), i.text.casefold()))
                    found.append(Merge(kind, source, into))
    found.sort(key=lambda merge: -(merge.source.count + merge.into.count))
    return tuple(found[:MAX_SUGGESTIONS])


def _alike(first: str, second: str) -> bool:
    """True when every telling word of the shorter text is, give or take its ending, a word of the longer one."""
    shorter, longer = sorted((_words(first), _words(second)), key=len)
    return bool(shorter) and all(any(_same_stem(word, other) for other in longer) for word in shorter)


def _words(text: str) -> list[str]:
    # Numbers always tell ("Vuoro 1" is not "Vuoro 2"), however short.
    return [word for word in _WORD.findall(text.casefold()) if len(word) >= MIN_WORD or word.isdigit()]


def _same_stem(first: str, second: str) -> bool:
    shared = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= min(STEM, len(first), len(second))
