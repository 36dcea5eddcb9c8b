"""A process's copy of what a pulse round never changes once made: its dates, its teams' questions, its predecessor.

Every click on a pulse card reads its round; a round's row and its teams' questions are written once, when it opens,
and never updated, so reading them again from the database each time bought nothing. The copy is bounded: a city's
round asks a thousand teams, and each team's answers read their own entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

# A round of a large city's four thousand teams, each with its round and its previous round, and some to spare.
KEPT_ENTRIES = 16384


class KeptRounds(Generic[T]):
    """Values by key, the least recently used dropped beyond `size`; safe to share between threads."""

    def __init__(self, size: int = KEPT_ENTRIES) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, T] = OrderedDict()

    def get_or_read(self, key: Hashable, read: Callable[[], T], *, keep: Callable[[T], bool] = lambda _: True) -> T:
        """The kept value, or `read()` kept when `keep` says it may be (a round not found is not: it may be made)."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = read()  # outside the lock: two threads may both read, and either copy is right
        if keep(value):
            with self._lock:
                self._kept[key] = value
                self._kept.move_to_end(key)
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        return value
