"""`tyhy calendar show|export|import` and `tyhy preview` as the wellbeing officer runs them: real processes, SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.cli.test_cli import tyhy


def test_the_officer_exports_edits_imports_and_previews_the_year(demo_url: str, tmp_path: Path) -> None:
    shown = tyhy("calendar", "show", "--year", "2027", db_url=demo_url, language="fi")
    assert shown.returncode == 0, shown.stderr
    assert "pe 15.1.2027" in shown.stdout and "Työhyvinvointikysely" in shown.stdout

    path = tmp_path / "vuosikello.yaml"
    exported = tyhy("calendar", "export", str(path), db_url=demo_url, language="fi")
    assert exported.returncode == 0, exported.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("pulse_every_weeks: 4", "pulse_every_weeks: 0"))
    imported = tyhy("calendar", "import", str(path), db_url=demo_url, language="en")
    assert imported.returncode == 0, imported.stderr
    assert "Calendar imported: 10 steps, 9 of them in use." in imported.stdout
    assert "Pulse rounds are off." in imported.stdout

    year = tyhy("preview", "--from", "2027-01-01", "--to", "31.12.2027", "--team", "kotihoito", db_url=demo_url)
    assert year.returncode == 0, year.stderr
    lines = year.stdout.strip().splitlines()
    assert "Fri 15 Jan 2027 9:00" in lines[2] and lines[2].split()[-1] == "14"
    assert "Pulse round" not in year.stdout  # turned off above
    rows = [line for line in lines if line.split()[-1].isdigit()]
    assert len(rows) >= 6 and lines[-1].startswith(f"Prompts in total: {len(rows)};")


def test_a_broken_file_is_one_line_naming_its_line_and_changes_nothing(demo_url: str, tmp_path: Path) -> None:
    before = tyhy("calendar", "export", "-", db_url=demo_url).stdout
    path = tmp_path / "broken.yaml"
    path.write_text(before.replace("date: 3.12.", "date: 30.2."), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1) if "30.2." in text)
    result = tyhy("calendar", "import", str(path), db_url=demo_url, language="fi")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"Rivi {line}:") and "30.2." in result.stderr
    assert tyhy("calendar", "export", "-", db_url=demo_url).stdout == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "31.12.2027", "--to", "1.1.2027"), "31 Dec 2027"),
        (("--from", "30.2.2027"), "30.2.2027"),
        (("--team", "nosuchteam"), "nosuchteam"),
    ],
)
def test_bad_preview_arguments_are_one_clear_line(demo_url: str, args: tuple[str, ...], words: str) -> None:
    result = tyhy("preview", *args, db_url=demo_url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
