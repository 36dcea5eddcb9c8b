"""Org import: YAML and CSV files become units and members; any bad row is named and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.files.org_file import read_org_file
from bot.errors import DomainError
from bot.organisation import Platform, Role
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.paths import FIXTURES as TEST_FIXTURES

FIXTURES = TEST_FIXTURES / "org"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_import_creates_units_with_parents_and_members(db: Database) -> None:
    repo = OrganisationRepository(db)
    summary = repo.apply_import(read_org_file(FIXTURES / "small.yaml"))
    org = repo.get()
    assert org is not None and org.name == "Testilän kunta"
    assert (summary.units_created, summary.members_created) == (3, 3)
    sote, kotihoito, vanhus = (org.team_by_key(k) for k in ("sote", "kotihoito", "vanhus"))
    assert sote and kotihoito and vanhus
    assert kotihoito.parent_id == sote.id and vanhus.parent_id == sote.id and sote.parent_id is None
    assert vanhus.language == "sv"
    bertil = repo.member_by_identity(Platform.TEAMS, "29:bertil")
    assert bertil is not None and set(bertil.team_ids) == {kotihoito.id, vanhus.id} and bertil.language == "sv"
    aino = repo.member_by_identity(Platform.SLACK, "U0AINO")
    assert aino is not None and aino.role is Role.SUPERVISOR
    cecilia = next(m for m in repo.members() if m.email == "cecilia@example.fi")
    assert cecilia.role is Role.WELLBEING_OFFICER


def test_members_are_read_by_role_and_names_by_id(db: Database) -> None:
    repo = OrganisationRepository(db)
    repo.apply_import(read_org_file(FIXTURES / "small.yaml"))
    org = repo.get()
    kotihoito = org.team_by_key("kotihoito") if org else None
    assert kotihoito is not None
    assert [m.email for m in repo.members(role=Role.WELLBEING_OFFICER)] == ["cecilia@example.fi"]
    aino = repo.member_by_identity(Platform.SLACK, "U0AINO")
    assert aino is not None
    assert [m.id for m in repo.members(kotihoito.id, role=Role.SUPERVISOR)] == [aino.id]
    assert repo.members(kotihoito.id, role=Role.WELLBEING_OFFICER) == []
    nobody = max(m.id for m in repo.members()) + 1
    assert repo.member_names([aino.id, nobody]) == {aino.id: aino.name}
    assert repo.member_names([]) == {}


def test_importing_again_updates_instead_of_duplicating(db: Database, tmp_path: Path) -> None:
    repo = OrganisationRepository(db)
    repo.apply_import(read_org_file(FIXTURES / "small.yaml"))
    changed = (FIXTURES / "small.yaml").read_text(encoding="utf-8").replace("Bertil Berg", "Bertil Björk")
    summary = repo.apply_import(read_org_file(write(tmp_path, "org.yaml", changed)))
    assert (summary.units_created, summary.members_created, summary.members_updated) == (0, 0, 3)
    names = sorted(m.name for m in repo.members())
    assert names == ["Aino Esihenkilö", "Bertil Björk", "Cecilia Koordinaattori"]


def test_semicolon_csv_from_excel_imports(db: Database) -> None:
    repo = OrganisationRepository(db)
    repo.apply_import(read_org_file(FIXTURES / "small.csv"))
    org = repo.get()
    assert org is not None
    kotihoito, sote = org.team_by_key("kotihoito"), org.team_by_key("sote")
    assert kotihoito and sote and kotihoito.parent_id == sote.id
    assert [m.name for m in repo.members(kotihoito.id)] == ["Aino Esihenkilö", "Bertil Berg"]


BAD_CSV = {
    "missing column": ("unit,name,email\nkoti,Aino,a@x.fi\n", "org.missing_column", {"row": 1, "column": "role"}),
    "missing value": ("unit,name,role,email\nkoti,,staff,a@x.fi\n", "org.missing_column", {"row": 2}),
    "unknown parent": (
        "unit,parent,name,role,email\nkoti,sote,Aino,staff,a@x.fi\n",
        "org.unknown_parent",
        {"row": 2, "parent": "sote"},
    ),
    "duplicate member": (
        "unit,name,role,email\nkoti,Aino,staff,a@x.fi\nkoti,Aino Two,staff,A@x.fi\n",
        "org.duplicate_member",
        {"row": 3},
    ),
    "unknown role": ("unit,name,role,email\nkoti,Aino,boss,a@x.fi\n", "org.unknown_role", {"row": 2, "role": "boss"}),
    "bad email": ("unit,name,role,email\nkoti,Aino,staff,not-an-email\n", "org.bad_email", {"row": 2}),
    "no way to reach": ("unit,name,role,email\nkoti,Aino,staff,\n", "org.missing_column", {"row": 2}),
    "bad language": (
        "unit,name,role,email,language\nkoti,Aino,staff,a@x.fi,de\n",
        "org.bad_language",
        {"row": 2, "language": "de"},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_bad_csv_names_the_row_and_writes_nothing(db: Database, tmp_path: Path, case: str) -> None:
    text, key, params = BAD_CSV[case]
    repo = OrganisationRepository(db)
    with pytest.raises(DomainError) as raised:
        repo.apply_import(read_org_file(write(tmp_path, "org.csv", text)))
    assert raised.value.key == key
    assert params.items() <= raised.value.params.items()
    assert f"{params['row']}" in raised.value.message("fi") and f"{params['row']}" in raised.value.message("en")
    assert repo.is_empty()


BAD_YAML = {
    "unknown unit": (
        "units:\n  - key: a\nmembers:\n  - {name: X, unit: b, role: staff, email: x@y.fi}\n",
        "org.unknown_unit",
    ),
    "duplicate unit": ("units:\n  - key: a\n  - key: A\nmembers: []\n", "org.duplicate_unit"),
    "cycle": ("units:\n  - {key: a, parent: b}\n  - {key: b, parent: a}\nmembers: []\n", "org.parent_cycle"),
    "empty": ("units: []\nmembers: []\n", "org.empty"),
    "not yaml": ("units: [a\n", "org.bad_file"),
    "a list at top": ("- a\n- b\n", "org.bad_file"),
    "bad timezone": ("units:\n  - {key: a, timezone: Mars/Olympus}\nmembers: []\n", "org.bad_timezone"),
    "threshold too low": (
        "organisation: {anonymity_threshold: 2}\nunits:\n  - key: a\n"
        "members:\n  - {name: X, unit: a, role: staff, email: x@y.fi}\n",
        "anonymity.threshold_too_low",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_is_refused_whole(db: Database, tmp_path: Path, case: str) -> None:
    text, key = BAD_YAML[case]
    repo = OrganisationRepository(db)
    with pytest.raises(DomainError) as raised:
        repo.apply_import(read_org_file(write(tmp_path, "org.yaml", text)))
    assert raised.value.key == key
    assert raised.value.message("fi") != key
    assert repo.is_empty()


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    text = "units:\n  - key: a\nmembers:\n  - name: X\n    unit: a\n    role: chief\n    email: x@y.fi\n"
    with pytest.raises(DomainError) as raised:
        read_org_file(write(tmp_path, "org.yaml", text))
    assert raised.value.key == "org.unknown_role" and raised.value.params["row"] == 4


def test_unreadable_and_wrongly_named_files_get_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as missing:
        read_org_file(tmp_path / "missing.yaml")
    assert missing.value.key == "org.file_not_found" and "missing.yaml" in missing.value.message("sv")
    with pytest.raises(DomainError) as wrong_kind:
        read_org_file(write(tmp_path, "org.txt", "x"))
    assert wrong_kind.value.key == "org.bad_file" and ".txt" in wrong_kind.value.message("en")
    binary = tmp_path / "org.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DomainError):
        read_org_file(binary)


def test_a_failure_midway_leaves_an_earlier_import_untouched(db: Database, tmp_path: Path) -> None:
    repo = OrganisationRepository(db)
    repo.apply_import(read_org_file(FIXTURES / "small.yaml"))
    bad = "units:\n  - key: uusi\nmembers:\n  - {name: X, unit: uusi, role: nobody, email: x@y.fi}\n"
    with pytest.raises(DomainError):
        repo.apply_import(read_org_file(write(tmp_path, "org.yaml", bad)))
    org = repo.get()
    assert org is not None and org.team_by_key("uusi") is None and len(repo.members()) == 3


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("org.csv", "0" * 131_073 + "\n", "line 1"),  # a header longer than a CSV field may be
        ("org.yaml", "[" * 2_000, "nested too deeply"),
    ],
)
def test_files_that_break_the_readers_get_a_clear_error(tmp_path: Path, name: str, text: str, words: str) -> None:
    with pytest.raises(DomainError) as raised:  # found by the fault suite's fuzzing: a raw parser error before
        read_org_file(write(tmp_path, name, text))
    assert raised.value.key == "org.bad_file" and words in raised.value.message("en")


def test_a_csv_with_old_mac_line_ends_is_read(tmp_path: Path) -> None:
    header = "unit;unit name;name;email;role"
    text = "\r".join([header, "koti;Kotihoito;Anna Aalto;anna@x.fi;staff", ""])
    spec = read_org_file(write(tmp_path, "org.csv", text))
    assert [member.name for member in spec.members] == ["Anna Aalto"]
