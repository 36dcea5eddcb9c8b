"""The calendar file: export reads back as the same calendar; every broken file names its line and saves nothing."""

from __future__ import annotations

from argparse import Namespace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.cli.calendar_commands import calendar_export, calendar_import, calendar_show, import_calendar
from adapters.cli.demo import seed_demo
from adapters.files.calendar_file import calendar_to_yaml, parse_calendar, read_calendar_file
from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from bot.errors import DomainError
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.migrate import upgrade
from tests.storage_helpers import make_org

UNITS = ("kotihoito", "ruokapalvelu")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)

# Line numbers matter below: the cases replace one line of this file.
GOOD = """\
pulse_every_weeks: 4
send_hour: 9
steps:
  - key: survey
    kind: survey
    date: 15.1.
  - key: review
    kind: results_review
    after: survey
    days: 28
    units: [kotihoito]
"""


def with_line(number: int, text: str) -> str:
    lines = GOOD.splitlines()
    lines[number - 1] = text
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_default_calendar_survives_export_and_import(language: str) -> None:
    text = calendar_to_yaml(default_calendar(), language)
    assert text.startswith("# ") and "survey, results_review" in text
    assert parse_calendar(text, UNITS) == default_calendar()


def test_units_negative_days_odd_keys_and_an_empty_calendar_survive_too() -> None:
    custom = AnnualCalendar(
        steps=(
            CalendarStep("kevät-kysely", StepKind.SURVEY, month=2, day=29),
            CalendarStep("arvio", StepKind.EVALUATION, month=12, day=1, units=("kotihoito", "ruokapalvelu")),
            CalendarStep("ennen", StepKind.WORKSHOP, after="arvio", offset_days=-14, enabled=False),
            CalendarStep("same", StepKind.PLAN, after="ennen", offset_days=0),
        ),
        pulse_every_weeks=0,
        send_hour=0,
    )
    assert parse_calendar(calendar_to_yaml(custom, "en"), UNITS) == custom
    empty = AnnualCalendar(steps=(), pulse_every_weeks=2, send_hour=23)
    assert parse_calendar(calendar_to_yaml(empty, "fi"), UNITS) == empty


def test_the_file_is_read_forgivingly_where_nothing_can_be_misread() -> None:
    text = GOOD.replace("date: 15.1.", "date: '15.1'").replace("units: [kotihoito]", "units: KotiHoito, ruokapalvelu")
    calendar = parse_calendar(text + "    enabled: yes\n", UNITS)
    assert calendar.step("survey").month == 1 and calendar.step("survey").day == 15
    assert calendar.step("review").units == ("kotihoito", "ruokapalvelu")  # written as the organisation spells them
    assert parse_calendar("pulse_every_weeks: 4\nsend_hour: 9\nsteps:\n", UNITS).steps == ()


BAD_FILES = {
    "unknown kind": (with_line(8, "    kind: reviw"), "calendar_file.unknown_kind", 8),
    "no such day": (with_line(6, "    date: 30.2."), "calendar_file.bad_date", 6),
    "not a day at all": (with_line(6, "    date: tammikuussa"), "calendar_file.bad_date", 6),
    "unknown after": (with_line(9, "    after: kysely"), "calendar_file.unknown_after", 9),
    "follows itself": (with_line(9, "    after: review"), "calendar_file.cycle", 9),
    "a loop": (GOOD.replace("    date: 15.1.", "    after: review\n    days: 1"), "calendar_file.cycle", 6),
    "hour 24": (with_line(2, "send_hour: 24"), "calendar_file.bad_hour", 2),
    "cadence 53": (with_line(1, "pulse_every_weeks: 53"), "calendar_file.bad_cadence", 1),
    "negative cadence": (with_line(1, "pulse_every_weeks: -1"), "calendar_file.bad_cadence", 1),
    "hour in words": (with_line(2, "send_hour: nine"), "calendar_file.not_a_number", 2),
    "unknown unit": (with_line(11, "    units: [kotihoito, kotihoitto]"), "calendar_file.unknown_unit", 11),
    "unknown unit in a block list": (
        with_line(11, "    units:\n      - kotihoito\n      - kotihoitto"),
        "calendar_file.unknown_unit",
        13,
    ),
    "duplicate step key": (with_line(7, "  - key: survey"), "calendar_file.duplicate_step", 7),
    "unknown step field": (with_line(10, "    dayz: 28"), "calendar_file.unknown_field", 10),
    "unknown top field": (with_line(2, "send_hours: 9"), "calendar_file.unknown_field", 2),
    "field twice": (with_line(9, "    kind: workshop"), "calendar_file.duplicate_field", 9),
    "missing kind": (with_line(8, "    enabled: true"), "calendar_file.missing_field", 7),
    "missing days": (with_line(10, "    enabled: true"), "calendar_file.missing_field", 7),
    "missing send hour": (with_line(2, ""), "calendar_file.missing_field", 1),
    "both date and after": (with_line(7, "    after: review\n  - key: review"), "calendar_file.date_and_after", 7),
    "days with a date": (with_line(7, "    days: 3\n  - key: review"), "calendar_file.days_without_after", 7),
    "no time at all": (with_line(6, "    enabled: true"), "calendar_file.no_date", 4),
    "too many days": (with_line(10, "    days: 400"), "calendar_file.bad_days", 10),
    "enabled maybe": (GOOD + "    enabled: ehkä\n", "calendar_file.not_a_boolean", 12),
    "comma in key": (with_line(4, "  - key: 'a,b'"), "calendar_file.bad_key", 4),
    "steps not a list": ("pulse_every_weeks: 4\nsend_hour: 9\nsteps: survey\n", "calendar_file.expected_list", 3),
    "a step not a mapping": (GOOD + "  - evaluation\n", "calendar_file.expected_step", 12),
    "kind as a list": (with_line(8, "    kind: [survey]"), "calendar_file.expected_value", 8),
    "not YAML": (with_line(11, "    units: [kotihoito"), "calendar_file.not_yaml", 12),
    "tab indentation": (with_line(5, "\tkind: survey"), "calendar_file.not_yaml", 5),
    "a list, not a calendar": ("- survey\n- review\n", "calendar_file.not_a_calendar", 1),
    "an empty file": ("", "calendar_file.not_a_calendar", 1),
}


@pytest.mark.parametrize(("text", "key", "line"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_broken_file_is_refused_naming_its_line(text: str, key: str, line: int) -> None:
    with pytest.raises(DomainError) as caught:
        parse_calendar(text, UNITS)
    assert (caught.value.key, caught.value.params["line"]) == (key, line)
    for language, word in (("fi", "Rivi"), ("sv", "Rad"), ("en", "Line")):
        assert caught.value.message(language).startswith(f"{word} {line}:")


def test_the_message_names_what_is_wrong() -> None:
    with pytest.raises(DomainError) as caught:
        parse_calendar(BAD_FILES["unknown unit"][0], UNITS)
    assert "kotihoitto" in caught.value.message("fi") and "ruokapalvelu" in caught.value.message("fi")
    with pytest.raises(DomainError) as caught:
        parse_calendar(BAD_FILES["a loop"][0], UNITS)
    assert "survey → review → survey" in caught.value.message("en")


def test_a_missing_or_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        read_calendar_file(tmp_path / "nothing.yaml", UNITS)
    assert caught.value.key == "calendar_file.not_found" and "nothing.yaml" in caught.value.message("fi")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("# Työhyvinvointi\n".encode("latin-1"))
    with pytest.raises(DomainError) as caught:
        read_calendar_file(latin1, UNITS)
    assert caught.value.key == "calendar_file.not_utf8"


@pytest.mark.parametrize(("text", "key", "line"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_broken_import_leaves_the_saved_calendar_untouched(
    db: Database, tmp_path: Path, text: str, key: str, line: int
) -> None:
    org = make_org(db, {"kotihoito": 3, "ruokapalvelu": 2})
    saved = AnnualCalendar(steps=(CalendarStep("only", StepKind.SURVEY, month=3, day=1),), send_hour=8)
    CalendarRepository(db).save(org.id, saved)
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        import_calendar(db, path, "en", NOW)
    assert (caught.value.key, caught.value.params["line"]) == (key, line)
    assert CalendarRepository(db).get(org.id) == saved


def test_a_good_import_replaces_the_calendar_whole_and_tells_the_effect(db: Database, tmp_path: Path) -> None:
    org = make_org(db, {"kotihoito": 3, "ruokapalvelu": 2})
    path = tmp_path / "calendar.yaml"
    path.write_text(GOOD, encoding="utf-8")
    lines = import_calendar(db, path, "en", NOW)
    calendar = CalendarRepository(db).get(org.id)
    assert [s.key for s in calendar.steps] == ["survey", "review"]
    assert calendar.step("review").units == ("kotihoito",)
    assert lines[0] == "Calendar imported: 2 steps, 2 of them in use."
    # 2027's survey reaches both teams (5 people), the review the kotihoito supervisor; no plan step, no pulses.
    assert "The next 12 months now hold 3 prompts and 6 messages" in lines[3]
    finnish = import_calendar(db, path, "fi", NOW)
    assert "lähetyksiä on nyt 3 ja viestejä 6 (ennen tuontia 3 lähetystä, 6 viestiä)" in finnish[3]


# --- The commands as the CLI runs them (argparse namespaces, a SQLite file, the console language) -------------


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'tyhy.db'}"
    database = Database(url)
    upgrade(database)
    seed_demo(database, NOW)
    database.dispose()
    return url


def test_show_export_edit_import_and_show_again(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TYHY_LANGUAGE", "fi")
    assert calendar_show(Namespace(database=demo_url, year=2027)) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "Esimerkkilän kunta – työhyvinvoinnin vuosikello 2027"
    assert shown[1].split() == ["Päivä", "Vaihe", "Tunnus", "Ajankohta", "Yksiköt", "Käytössä"]
    assert shown[2].split() == ["pe", "15.1.2027", "Työhyvinvointikysely", "survey", "15.1.", "kaikki", "kyllä"]
    assert "28 päivää vaiheen ”Työhyvinvointikysely” jälkeen" in shown[3]  # the step's name, never its code
    assert any(line.split()[-1] == "ei" and "unit_survey" in line for line in shown)
    assert "Pulssikysely 4 viikon välein" in "\n".join(shown) and "klo 9" in "\n".join(shown)

    path = tmp_path / "vuosikello.yaml"
    assert calendar_export(Namespace(database=demo_url, file=str(path))) == 0
    assert str(path) in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Työhyvinvoinnin vuosikello.")
    edited = text.replace("send_hour: 9", "send_hour: 8").replace(
        "  - key: follow_up_autumn\n    kind: follow_up\n    date: 20.8.\n",
        "  - key: follow_up_autumn\n    kind: follow_up\n    date: 20.8.\n    units: [kotihoito]\n",
    )
    path.write_text(edited, encoding="utf-8")
    assert calendar_import(Namespace(database=demo_url, file=str(path))) == 0
    imported = capsys.readouterr().out
    assert "Vuosikello tuotu: 10 vaihetta, joista käytössä 9." in imported and "klo 8" in imported

    monkeypatch.setenv("TYHY_LANGUAGE", "en")
    calendar_show(Namespace(database=demo_url, year=2027))
    english = capsys.readouterr().out.splitlines()
    assert english[0] == "Esimerkkilän kunta – wellbeing annual calendar 2027"
    assert english[2].split() == ["Fri", "15", "Jan", "2027", "Wellbeing", "survey", "survey", "15.1.", "all", "yes"]
    assert any("follow_up_autumn" in line and "Kotihoito" in line for line in english)
    assert "at 8:00" in english[-2]
    assert calendar_export(Namespace(database=demo_url, file="-")) == 0
    assert "send_hour: 8" in capsys.readouterr().out


def test_without_an_organisation_the_commands_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    assert calendar_show(Namespace(database=url, year=None)) == 0
    assert "tyhy org import" in capsys.readouterr().out
    path = tmp_path / "calendar.yaml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        calendar_import(Namespace(database=url, file=str(path)))
    assert caught.value.key == "cli.no_organisation"
