"""A counter of writes to the organisation's units and channels in this process, for the in-memory organisation."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_generation = 0


def organisation_changed() -> None:
    """Call after a write to the organisation, its units or their home channels is committed."""
    global _generation
    with _lock:
        _generation += 1


def generation() -> int:
    """Changes so far; a cache read at another generation is stale."""
    with _lock:
        return _generation
