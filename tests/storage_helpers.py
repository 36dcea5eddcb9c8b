"""Small helpers for storage tests: an organisation made through the real importer, and the statements a call sends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

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


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile."""
    sent: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
