"""Values worked out once and kept in memory, the least recently used dropped beyond a bound: for what never changes.

A pulse round's dates and questions never change once it is made (storage/pulse_repository.py), nor a closed round's
report (bot/flows/previous_results.py); both are read for every answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptValues(Generic[T]):
    """Values by key, the least recently used dropped beyond `size`; safe to share between threads."""

    def __init__(self, size: int) -> None:
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
