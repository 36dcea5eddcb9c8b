"""The pieces under parse_when: the scanner, number words, offsets in halves, and the import rule of bot/dates*."""

from __future__ import annotations

import ast
import sys
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dates import LANGUAGES, parse_when
from bot.dates_grammar import Clock, Date, DayShift, NextWeek, Offset, Unit, Weekday, offset, prepare, scan
from bot.dates_numbers import amount_value
from tests.paths import ROOT

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.mark.parametrize(
    ("language", "text", "pieces"),
    [
        ("fi", "huomenna klo 14.30", [DayShift(1), Clock(14, 30)]),
        ("fi", "15.1. klo 10", [Date(15, 1, None), Clock(10, 0)]),
        ("fi", "15.1.2027", [Date(15, 1, 2027)]),
        ("fi", "klo 14.30.", [Clock(14, 30)]),  # a full stop after a time is punctuation
        ("fi", "24.12", [Date(24, 12, None)]),  # cannot be a time, so the dotless date
        ("fi", "ensi viikon tiistaina", [NextWeek(), Weekday(1)]),
        ("fi", "kahden viikon päästä", [Offset(2, Unit.WEEK)]),
        ("fi", "puolen vuoden päästä", [Offset(6, Unit.MONTH)]),
        ("sv", "nästa tisdag kl 9", [Weekday(1), Clock(9, 0)]),
        ("sv", "om en och en halv timme", [Offset(90, Unit.MINUTE)]),
        ("en", "Jan 15 at 10:00", [Date(15, 1, None), Clock(10, 0)]),
        ("en", "12am", [Clock(0, 0)]),
        ("en", "12pm", [Clock(12, 0)]),
    ],
)
def test_scan_reads_every_word_into_pieces(language: str, text: str, pieces: list[object]) -> None:
    assert scan(prepare(text), LANGUAGES[language].rules) == pieces


@pytest.mark.parametrize(
    ("language", "text"),
    [("fi", "huomenna kokous"), ("sv", "i morgon möte"), ("en", "tomorrow meeting"), ("en", "i måndags")],
)
def test_scan_rejects_a_text_with_any_unknown_word(language: str, text: str) -> None:
    assert scan(prepare(text), LANGUAGES[language].rules) is None


def test_prepare_composes_accents_typed_apart() -> None:
    decomposed = "pa\u0308a\u0308sta\u0308"  # "päästä" with combining diaereses, as macOS may send it
    assert prepare(f"VIIKON {decomposed}") == "viikon päästä"
    assert parse_when(f"viikon {decomposed}", now=MONDAY, language="fi") is not None


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("fi", "kahdenkymmenenviiden", Fraction(25)),
        ("fi", "kahden ja puolen", Fraction(5, 2)),
        ("fi", "puolentoista", Fraction(3, 2)),
        ("sv", "tjugofem", Fraction(25)),
        ("sv", "en och en halv", Fraction(3, 2)),
        ("en", "twenty-five", Fraction(25)),
        ("en", "half an", Fraction(1, 2)),
        ("en", "1,5", Fraction(3, 2)),
        ("en", "seven and a half", Fraction(15, 2)),
        ("en", "lots", None),
    ],
)
def test_amount_values(language: str, text: str, value: Fraction | None) -> None:
    assert amount_value(text, language) == value


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (Fraction(1, 2), Unit.YEAR, Offset(6, Unit.MONTH)),
        (Fraction(3, 2), Unit.HOUR, Offset(90, Unit.MINUTE)),
        (Fraction(1, 2), Unit.WEEK, Offset(84, Unit.HOUR)),  # 3.5 days: exact hours, not a calendar day
        (Fraction(1, 2), Unit.MONTH, None),  # a month has no fixed length to halve
        (Fraction(1, 2), Unit.MINUTE, None),
    ],
)
def test_offsets_move_halves_to_a_smaller_unit(amount: Fraction, unit: Unit, expected: Offset | None) -> None:
    pieces = offset(amount, unit)
    assert (pieces[0] if pieces else None) == expected


MONTH_NAMES = {
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta "
    "lokakuuta marraskuuta joulukuuta",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}


@pytest.mark.parametrize(
    ("language", "form"),
    [("fi", "{day}. {name} {year}"), ("fi", "{day}.{month}.{year}"), ("sv", "{day} {name} {year}"),
     ("en", "{name} {day}, {year}"), ("en", "{day} {name} {year}")],
)  # fmt: skip
def test_dates_with_a_year_in_every_month(language: str, form: str) -> None:
    for month, name in enumerate(MONTH_NAMES[language].split(), start=1):
        text = form.format(day=15, month=month, name=name, year=2027)
        when = parse_when(text, now=MONDAY, language=language)
        assert when is not None, text
        assert (when.year, when.month, when.day, when.hour) == (2027, month, 15, 9), text


ALLOWED_TOP_LEVEL = set(sys.stdlib_module_names) | {"bot", "dateparser"}


@pytest.mark.parametrize("path", sorted((ROOT / "bot").glob("dates*.py")), ids=str)
def test_dates_modules_import_only_the_standard_library_bot_and_dateparser(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {name.split(".")[0] for name in imported} <= ALLOWED_TOP_LEVEL
