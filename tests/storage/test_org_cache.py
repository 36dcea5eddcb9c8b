"""The organisation kept in memory: the same answer while nothing changed, a fresh read after a change here, and
after a few seconds for a change made by another process."""

from __future__ import annotations

from sqlalchemy import update

from bot.organisation import HomeChannel, Platform
from storage.db import Database
from storage.models import TeamRow
from storage.org_cache import MAX_AGE_SECONDS, CachedOrganisationRepository
from storage.org_repository import OrganisationRepository
from tests.storage_helpers import make_org


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_change_made_here_shows_at_once(db: Database) -> None:
    org = make_org(db, {"koti": 2})
    cached = CachedOrganisationRepository(db, Ticks())
    first = cached.get()
    assert first is not None and cached.get() is first  # no read while nothing changed
    OrganisationRepository(db).set_home_channel(org.teams[0].id, HomeChannel(Platform.SLACK, "C1", "T1"))
    after = cached.get()
    assert after is not first and after is not None
    assert after.teams[0].home_channel(Platform.SLACK) == HomeChannel(Platform.SLACK, "C1", "T1")


def test_a_change_made_by_another_process_shows_after_the_maximum_age(db: Database) -> None:
    org = make_org(db, {"koti": 2})
    ticks = Ticks()
    cached = CachedOrganisationRepository(db, ticks)
    assert cached.get() is not None
    with db.transaction() as session:  # as another process would: straight to the database, no signal here
        session.execute(update(TeamRow).where(TeamRow.id == org.teams[0].id).values(name="Kotihoito Itä"))
    ticks.now = MAX_AGE_SECONDS - 0.1
    stale = cached.get()
    assert stale is not None and stale.teams[0].name == "Koti"
    ticks.now = MAX_AGE_SECONDS + 0.1
    fresh = cached.get()
    assert fresh is not None and fresh.teams[0].name == "Kotihoito Itä"
