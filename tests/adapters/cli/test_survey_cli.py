"""`tyhy survey import|template|show` as the wellbeing officer runs them: real processes, a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES

SAMPLE = FIXTURES / "survey" / "fi_semicolon_decimal_comma.csv"


def run(*args: str, db_url: str, answer: str = "", language: str = "en") -> subprocess.CompletedProcess[str]:
    """`tyhy` with `answer` typed on its standard input (empty: stdin closed at once, as in a scheduled job)."""
    env = {**os.environ, "TYHY_DATABASE_URL": db_url, "TYHY_LANGUAGE": language}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args], input=answer, capture_output=True, text=True, env=env, timeout=60
    )


@pytest.fixture
def demo_url(demo_url: str, tmp_path: Path) -> str:
    """The demo (tests/adapters/cli/conftest.py) without its survey years: the tests import their own."""
    with sqlite3.connect(tmp_path / "tyhy.db") as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM survey_imports")
    return demo_url


def test_import_then_show_rolls_the_small_unit_up_and_hides_the_one_that_would_give_it_away(demo_url: str) -> None:
    imported = run("survey", "import", str(SAMPLE), "--year", "2027", db_url=demo_url, language="fi")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        "Vuoden 2027 kyselyn tulokset tuotu: koko organisaatio ja 3 yksikköä, 21/25 vastasi."
    ]
    shown = run("survey", "show", "--year", "2027", db_url=demo_url)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Wellbeing survey 2027 (imported ")
    assert lines[2].split()[:5] == ["Esimerkkilän", "kunta", "21/25", "84%", "71.5"]
    assert "below the risk limit: FE, YI, PL" in lines[2]
    assert lines[3].split()[:4] == ["Kotihoito", "12/14", "86%", "73.2"] and "risk limit" not in lines[3]
    # Perusturva's own 3 people roll up into its group (with the units below it), so the group is shown...
    assert lines[4].split()[:3] == ["Perusturva", "21/25", "84%"]
    # ...and Ruokapalvelu, with 6 answers, is hidden: else the group less its units would leave those 3.
    assert lines[5] == (
        "Not shown, so that a smaller group's answers cannot be worked out from the unit's total: Ruokapalvelu."
    )
    assert lines[6] == "A unit's figures include the units below it."
    assert run("survey", "show", "--year", "2026", db_url=demo_url).stdout.strip() == (
        "No survey results of 2026 have been imported."
    )


def test_a_second_import_of_the_year_asks_before_it_replaces(demo_url: str, tmp_path: Path) -> None:
    args = ("survey", "import", str(SAMPLE), "--year", "2027")
    assert run(*args, db_url=demo_url).returncode == 0
    changed = tmp_path / "korjattu.csv"
    changed.write_text(SAMPLE.read_text(encoding="utf-8-sig").replace("Kotihoito;12;14;73,2", "Kotihoito;13;14;74,0"))
    again = ("survey", "import", str(changed), "--year", "2027")

    unattended = run(*again, db_url=demo_url)  # nobody to answer: refused, and told how
    assert unattended.returncode == 2 and "Traceback" not in unattended.stderr
    assert unattended.stderr.strip() == (
        "The results of 2027 are stored already. Run the command again with --replace to replace them."
    )
    declined = run(*again, db_url=demo_url, answer="n\n", language="fi")
    assert declined.returncode == 1
    assert declined.stdout.endswith("Mitään ei muutettu: vuoden 2027 tulokset pysyvät ennallaan.\n")
    assert "12/14" in run("survey", "show", "--year", "2027", db_url=demo_url).stdout

    accepted = run(*again, db_url=demo_url, answer="kyllä\n", language="fi")
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("Vuoden 2027 tulokset on jo tuotu. Korvataanko ne tällä tiedostolla? [k/E] ")
    assert "Aiemmin tuodut vuoden 2027 tulokset korvattiin." in accepted.stdout
    assert "13/14" in run("survey", "show", "--year", "2027", db_url=demo_url).stdout

    flagged = run(*args, "--replace", db_url=demo_url)
    assert flagged.returncode == 0 and "The results of 2027 imported before were replaced." in flagged.stdout
    assert "12/14" in run("survey", "show", "--year", "2027", db_url=demo_url).stdout


def test_a_broken_file_is_one_line_naming_line_and_column_and_saves_nothing(demo_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "tulokset.csv"
    broken.write_text(
        SAMPLE.read_text(encoding="utf-8-sig").replace("Kotihoito;12;14;73,2 %;81 %", "Kotihoito;12;14;73,2 %;8l %")
    )
    result = run("survey", "import", str(broken), "--year", "2027", db_url=demo_url, language="sv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "Rad 4, kolumn FE (E): ”8l %” är inget tal."
    unknown = tmp_path / "sauna.csv"
    unknown.write_text(SAMPLE.read_text(encoding="utf-8-sig").replace("Ruokapalvelu;", "Sauna;"))
    refused = run("survey", "import", str(unknown), "--year", "2027", db_url=demo_url)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "Line 5: the organisation has no unit “Sauna”. Its units: Kotihoito, Perusturva, Ruokapalvelu."
    )
    assert "No survey results of 2027" in run("survey", "show", "--year", "2027", db_url=demo_url).stdout


@pytest.mark.parametrize("name", ["pohja.csv", "pohja.xlsx"])
def test_the_template_is_written_filled_in_and_imported(demo_url: str, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    written = run("survey", "template", "--year", "2027", str(path), db_url=demo_url, language="fi")
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == (
        f"Pohja kirjoitettu tiedostoon {path}: koko organisaation rivi ja 3 yksikköä. "
        f"Täytä luvut ja tuo tiedosto: tyhy survey import {path} --year 2027"
    )
    if name.endswith(".csv"):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        path.write_text(
            "\n".join([lines[0], *(f"{line.split(';')[0]};9;10;70;81;77;71;74;82;67;63;72" for line in lines[1:])])
        )
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(path)
        sheet = workbook.active
        assert sheet is not None
        for row in range(2, sheet.max_row + 1):
            for column, value in enumerate((9, 10, 70, 81, 77, 71, 74, 82, 67, 63, 72), start=2):
                sheet.cell(row=row, column=column, value=value)
        workbook.save(path)
    imported = run("survey", "import", str(path), "--year", "2027", db_url=demo_url)
    assert imported.returncode == 0, imported.stderr
    assert "the whole organisation and 3 units, 9/10 answered" in imported.stdout


def test_a_file_of_another_kind_is_refused_by_name(demo_url: str, tmp_path: Path) -> None:
    result = run("survey", "template", str(tmp_path / "pohja.ods"), db_url=demo_url)
    assert result.returncode == 2
    assert result.stderr.strip() == "pohja.ods will not do: results are read from an .xlsx or .csv file."


def test_a_unit_the_vendor_left_out_with_dashes_is_imported_without_figures(demo_url: str, tmp_path: Path) -> None:
    dashed = tmp_path / "toimittaja.csv"
    dashed.write_text(
        SAMPLE.read_text(encoding="utf-8-sig").replace(
            "Ruokapalvelu;6;7;70,1 %;76 %;72 %;68 %;71 %;79 %;66 %;60 %;68 %", "Ruokapalvelu;-;7;-;-;-;-;-;-;-;-;-"
        )
    )
    imported = run("survey", "import", str(dashed), "--year", "2027", db_url=demo_url)
    assert imported.returncode == 0, imported.stderr
    assert "Without figures (too few respondents for the survey's vendor): Ruokapalvelu." in imported.stdout
    shown = run("survey", "show", "--year", "2027", db_url=demo_url).stdout
    assert "No figures in the file (the survey's vendor left them out): Ruokapalvelu." in shown
    # The 6 people the organisation's row counts beyond the units shown: Perusturva's group (15) would give
    # away its own 3 if Kotihoito (12) were shown beside it, so one of the two is hidden.
    assert (
        "Not shown, so that a smaller group's answers cannot be worked out from the unit's total: Kotihoito." in shown
    )
