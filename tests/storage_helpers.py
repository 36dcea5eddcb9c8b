"""Small builders for storage tests: an organisation with teams and members, made through the real importer."""

from __future__ import annotations

from bot.org_import import MemberSpec, OrgSpec, UnitSpec
from bot.organisation import Organisation, Role
from storage.db import Database
from storage.org_repository import OrganisationRepository


def make_org(db: Database, team_sizes: dict[str, int], parents: dict[str, str] | None = None) -> Organisation:
    """An organisation whose teams have the given number of staff (first of each is the supervisor)."""
    parents = parents or {}
    units = tuple(UnitSpec(key, key.title(), parents.get(key), None, None) for key in team_sizes)
    members = tuple(
        MemberSpec(
            name=f"{key} {n}",
            role=Role.SUPERVISOR if n == 0 else Role.STAFF,
            unit_keys=(key,),
            email=f"{key}.{n}@example.fi",
            language=None,
            slack_id=None,
            teams_id=None,
        )
        for key, size in team_sizes.items()
        for n in range(size)
    )
    repo = OrganisationRepository(db)
    repo.apply_import(OrgSpec("Testilä", "fi", None, None, units, members))
    org = repo.get()
    assert org is not None
    return org
