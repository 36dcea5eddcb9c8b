"""Importing the organisation file again reconciles: a member a platform made twice is folded into the file's person."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.files.org_file import read_org_file
from bot.errors import DomainError
from bot.organisation import Platform, Role
from storage.db import Database
from storage.models import MemberIdentityRow, MemberRow, ReminderRow, TeamMemberRow, TeamRow
from storage.org_repository import OrganisationRepository

TENANT = "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d"
FILE = """unit;parent;name;email;role;language;slack_id;teams_id;teams_tenant
kotihoito;;Pirjo Mäkelä;pirjo.makela@esimerkkila.fi;supervisor;fi;;{pirjo_teams};{tenant}
kotihoito;;Anna Korhonen;anna.korhonen@esimerkkila.fi;staff;fi;;;
"""


def import_file(db: Database, tmp_path: Path, pirjo_teams: str = "", tenant: str = "") -> None:
    path = tmp_path / "org.csv"
    path.write_text(FILE.format(pirjo_teams=pirjo_teams, tenant=tenant), encoding="utf-8")
    OrganisationRepository(db).apply_import(read_org_file(path))


def identities(db: Database) -> list[tuple[int, str, str, str]]:
    with db.transaction() as session:
        rows = session.scalars(select(MemberIdentityRow).where(MemberIdentityRow.platform == "teams")).all()
        return [(r.member_id, r.workspace, r.user_id, r.aad_object_id) for r in rows]


def doubled_by_an_old_install(db: Database) -> tuple[int, int]:
    """What the install did before people were matched: a second Pirjo, in the Teams team, with a reminder."""
    with db.transaction() as session:
        org_id = session.scalars(select(MemberRow.org_id)).first()
        team = TeamRow(org_id=org_id, key="etapalvelut", name="Etäpalvelut")
        duplicate = MemberRow(org_id=org_id, name="Pirjo M.", role="staff")
        session.add_all([team, duplicate])
        session.flush()
        session.add_all(
            [
                TeamMemberRow(team_id=team.id, member_id=duplicate.id),
                MemberIdentityRow(
                    member_id=duplicate.id,
                    platform="teams",
                    workspace=TENANT,
                    user_id="29:pirjo",
                    aad_object_id="AAD-P",
                ),
                ReminderRow(member_id=duplicate.id, kind="followup", remind_at=datetime(2026, 12, 1, tzinfo=UTC)),
            ]
        )
        return team.id, duplicate.id


def test_importing_the_teams_id_again_folds_the_duplicate_into_the_files_person(db: Database, tmp_path: Path) -> None:
    import_file(db, tmp_path)
    repo = OrganisationRepository(db)
    pirjo = next(m for m in repo.members() if m.name == "Pirjo Mäkelä")
    team_id, duplicate_id = doubled_by_an_old_install(db)
    assert len(repo.members()) == 3

    import_file(db, tmp_path, pirjo_teams="29:pirjo")

    assert sorted(m.name for m in repo.members()) == ["Anna Korhonen", "Pirjo Mäkelä"]
    found = repo.member_by_identity(Platform.TEAMS, "29:pirjo", TENANT)
    assert found is not None and found.id == pirjo.id and found.role is Role.SUPERVISOR
    assert team_id in found.team_ids and set(pirjo.team_ids) <= set(found.team_ids)
    # What the platform told of her stays: the tenant every new chat needs and the directory id.
    assert identities(db) == [(pirjo.id, TENANT, "29:pirjo", "AAD-P")]
    with db.transaction() as session:
        assert session.scalars(select(ReminderRow.member_id)).all() == [pirjo.id]
        assert session.get(MemberRow, duplicate_id) is None


def test_importing_again_keeps_what_the_platform_added_and_takes_the_files_tenant(db: Database, tmp_path: Path) -> None:
    import_file(db, tmp_path, pirjo_teams="29:pirjo")
    pirjo = next(m for m in OrganisationRepository(db).members() if m.name == "Pirjo Mäkelä")
    with db.transaction() as session:
        identity = session.scalars(select(MemberIdentityRow).where(MemberIdentityRow.member_id == pirjo.id)).one()
        identity.workspace, identity.aad_object_id = "old-tenant", "AAD-P"
    import_file(db, tmp_path, pirjo_teams="29:pirjo")
    assert identities(db) == [(pirjo.id, "old-tenant", "29:pirjo", "AAD-P")]
    import_file(db, tmp_path, pirjo_teams="29:pirjo", tenant=TENANT.upper())
    assert identities(db) == [(pirjo.id, TENANT, "29:pirjo", "AAD-P")]


def test_a_teams_id_another_person_of_the_file_held_moves_to_the_one_the_file_names(
    db: Database, tmp_path: Path
) -> None:
    import_file(db, tmp_path, pirjo_teams="29:pirjo")
    path = tmp_path / "moved.csv"
    path.write_text(
        "unit;name;email;role;teams_id\n"
        "kotihoito;Pirjo Mäkelä;pirjo.makela@esimerkkila.fi;supervisor;29:pirjo-2\n"
        "kotihoito;Anna Korhonen;anna.korhonen@esimerkkila.fi;staff;29:pirjo\n",
        encoding="utf-8",
    )
    OrganisationRepository(db).apply_import(read_org_file(path))
    repo = OrganisationRepository(db)
    assert len(repo.members()) == 2
    anna = repo.member_by_identity(Platform.TEAMS, "29:pirjo")
    pirjo = repo.member_by_identity(Platform.TEAMS, "29:pirjo-2")
    assert anna is not None and anna.name == "Anna Korhonen" and pirjo is not None and pirjo.name == "Pirjo Mäkelä"


def test_a_tenant_that_is_not_a_tenant_id_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "org.csv"
    path.write_text(FILE.format(pirjo_teams="29:pirjo", tenant="esimerkkila.fi"), encoding="utf-8")
    with pytest.raises(DomainError) as refused:
        read_org_file(path)
    assert refused.value.key == "org.bad_tenant" and refused.value.params == {"row": 2, "tenant": "esimerkkila.fi"}
