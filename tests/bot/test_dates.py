"""parse_when on the shared tables, our own and garbage; check_when and parse_future_when by key and params."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates import LANGUAGES, check_when, parse_future_when, parse_when, warm_up
from bot.errors import DomainError
from tests.bot.test_dates_cases import DEV_TSV, PLANNING_TSV, Case, dev_cases, own_cases
from tests.paths import ROOT, shared_data_file

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=HELSINKI)


def _read(case: Case) -> str | None:
    when = parse_when(case.text, now=case.now, language=case.language)
    return None if when is None else when.isoformat(timespec="minutes")


def _shared_params(path: Path) -> list[object]:
    # Without the file, one case that skips (or fails where CI requires the shared data) says so.
    return [pytest.param(case, id=case.label) for case in dev_cases(path)] or [pytest.param(None, id=path.name)]


def _check(case: Case | None, path: Path) -> Case:
    if case is None:
        shared_data_file(path.name)
        raise AssertionError(f"{path.name} is there but holds no rows")
    return case


@pytest.mark.parametrize("case", _shared_params(DEV_TSV))
def test_when_dev_rows(case: Case | None) -> None:
    case = _check(case, DEV_TSV)
    assert _read(case) == case.expected


@pytest.mark.parametrize("case", _shared_params(PLANNING_TSV))
def test_when_planning_dev_rows(case: Case | None) -> None:
    case = _check(case, PLANNING_TSV)
    assert _read(case) == case.expected


@pytest.mark.parametrize("case", [pytest.param(case, id=case.label) for case in own_cases()])
def test_own_table(case: Case) -> None:
    assert _read(case) == case.expected


def test_own_table_is_large_and_varied() -> None:
    cases = own_cases()
    assert len(cases) >= 60
    assert {case.now.weekday() for case in cases} >= {0, 4, 6}  # a Monday, a Friday and a Sunday
    assert {case.language for case in cases} == set(LANGUAGES)
    assert any(case.expected is None for case in cases)


GARBAGE = [
    "",
    " ",
    "asdf qwerty",
    "inte ett datum",
    "not a date at all",
    "on:",
    "Do",
    "hello",
    "🙂",
    "📅 huomenna",
    "klo",
    "ensi",
    "päästä",
    "viikon",
    "2027",
    "15",
    "at",
    "on the",
    "huomenna tai ylihuomenna",
    "tomorrow or friday",
    "next",
    "in weeks",
    "om dagar",
    "kesäkuussa tai heinäkuussa",
    "klo 9-10",
    "klo 9.5",
    "huomenna illalla",
    "32.13.",
    "32.1.",
    "x" * 10_000,
    "huomenna " * 2_000,
    "\x00\n\t",
]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("text", GARBAGE, ids=lambda text: repr(text[:20]))
def test_what_is_not_a_time_is_none(language: str, text: str) -> None:
    assert parse_when(text, now=MONDAY, language=language) is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), language=st.sampled_from(sorted(LANGUAGES)))
def test_any_text_gives_none_or_a_moment_in_the_zone_never_an_error(text: str, language: str) -> None:
    when = parse_when(text, now=MONDAY, language=language)
    assert when is None or when.tzinfo is MONDAY.tzinfo


# Words of our own table plus a few that stress the edges: years past 9999, leap days, stray digits.
VOCABULARY = sorted({word for case in own_cases() for word in case.text.split()} | {"31.12.2099", "9999", "0"})


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=6), language=st.sampled_from(sorted(LANGUAGES)))
def test_any_mix_of_time_words_gives_none_or_a_moment_never_an_error(words: list[str], language: str) -> None:
    when = parse_when(" ".join(words), now=MONDAY, language=language)
    assert when is None or when.tzinfo is MONDAY.tzinfo


def test_warm_up_reads_a_phrase_in_every_language() -> None:
    tomorrow_at_nine = (MONDAY + timedelta(days=1)).replace(hour=9, minute=0)
    assert warm_up(now=MONDAY) == {"fi": tomorrow_at_nine, "sv": tomorrow_at_nine, "en": tomorrow_at_nine}
    assert warm_up(["fi"], now=MONDAY) == {"fi": tomorrow_at_nine}


def test_a_naive_now_or_an_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("huomenna", now=MONDAY.replace(tzinfo=None), language="fi")
    with pytest.raises(ValueError, match="language"):
        parse_when("morgen", now=MONDAY, language="de")


# --- check_when and parse_future_when: the keys and params, never the catalog text. ---

LOCALES = ROOT / "bot/locales"
_WHEN_MESSAGE = re.compile(r'msgid "(when\.[a-z_]+)"\nmsgstr "(.*)"')
_QUOTED = re.compile(r"[“”]([^“”]+)”")  # English opens with “, Finnish and Swedish with ”


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_examples_in_the_when_messages_are_read(language: str) -> None:
    catalog = LOCALES / language / "LC_MESSAGES/tyhy.po"
    if not catalog.exists():
        pytest.skip(f"{catalog} is not there yet")
    examples = [
        (key, example)
        for key, text in _WHEN_MESSAGE.findall(catalog.read_text(encoding="utf-8"))
        for example in _QUOTED.findall(text)
    ]
    assert examples, "the when.* messages give examples to try"
    for key, example in examples:
        assert parse_future_when(example, now=MONDAY, language=language), (key, example)


def test_check_when_accepts_now_to_two_years_ahead() -> None:
    check_when(MONDAY, now=MONDAY)
    check_when(MONDAY + timedelta(minutes=1), now=MONDAY)
    check_when(MONDAY.replace(year=2028), now=MONDAY)


def test_check_when_rejects_the_past() -> None:
    with pytest.raises(DomainError) as raised:
        check_when(MONDAY - timedelta(minutes=1), now=MONDAY)
    assert (raised.value.key, raised.value.params) == ("when.in_past", {})


def test_check_when_rejects_more_than_two_years_ahead() -> None:
    with pytest.raises(DomainError) as raised:
        check_when(MONDAY.replace(year=2028) + timedelta(minutes=1), now=MONDAY)
    assert (raised.value.key, raised.value.params) == ("when.too_far", {"years": 2})


def test_check_when_from_29_february_counts_to_28_february() -> None:
    leap_day = datetime(2028, 2, 29, 12, tzinfo=HELSINKI)
    check_when(datetime(2030, 2, 28, 12, tzinfo=HELSINKI), now=leap_day)
    with pytest.raises(DomainError):
        check_when(datetime(2030, 3, 1, 12, tzinfo=HELSINKI), now=leap_day)


def test_check_when_compares_moments_across_zones() -> None:
    same_moment_in_utc = MONDAY.astimezone(ZoneInfo("UTC"))
    check_when(same_moment_in_utc, now=MONDAY)
    with pytest.raises(DomainError):
        check_when(same_moment_in_utc - timedelta(seconds=1), now=MONDAY)


def test_parse_future_when_returns_the_moment() -> None:
    expected = datetime(2026, 11, 24, 14, tzinfo=HELSINKI)
    assert parse_future_when("huomenna klo 14", now=MONDAY, language="fi") == expected


@pytest.mark.parametrize(
    ("language", "text", "key", "params"),
    [
        ("fi", "asdf qwerty", "when.not_understood", {}),
        ("sv", "inte ett datum", "when.not_understood", {}),
        ("en", "", "when.not_understood", {}),
        ("fi", "tänään klo 9", "when.in_past", {}),
        ("en", "today", "when.in_past", {}),
        ("fi", "3 vuoden päästä", "when.too_far", {"years": 2}),
        ("sv", "om 25 månader", "when.too_far", {"years": 2}),
        ("en", "in 100 years", "when.too_far", {"years": 2}),
    ],
)
def test_parse_future_when_raises_with_the_key(language: str, text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(DomainError) as raised:
        parse_future_when(text, now=MONDAY, language=language)
    assert (raised.value.key, raised.value.params) == (key, params)
