"""The organisation (its units and home channels) kept in memory between events: read on every event, changed rarely.

A city's organisation is a thousand units; reading it for each button press cost more than the rest of the answer.
Writes made in this process show at once (every writer calls `organisation_changed`); writes made by another
process (a CLI import, another replica) show within `MAX_AGE_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.organisation import Organisation
from storage.db import Database
from storage.org_changes import generation
from storage.org_repository import OrganisationRepository

MAX_AGE_SECONDS = 5.0


class CachedOrganisationRepository(OrganisationRepository):
    """An OrganisationRepository whose `get` answers from memory while nothing has changed."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(db)
        self._clock = clock
        self._cached: tuple[int, float, Organisation | None] | None = None  # (generation, read at, organisation)

    def get(self) -> Organisation | None:
        seen = generation()
        cached = self._cached
        if cached is not None and cached[0] == seen and self._clock() - cached[1] < MAX_AGE_SECONDS:
            return cached[2]
        read_at = self._clock()
        organisation = super().get()
        self._cached = (seen, read_at, organisation)  # a write during the read bumps the generation: read again
        return organisation
