"""Fuzzing the time-in-words parser: any text in fi, sv or en gives a real, sane moment or "not understood"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from bot.dates import LANGUAGES, parse_future_when, parse_when
from bot.dates_numbers import NUMBER_WORDS
from bot.errors import DomainError
from faults.cases import CaseFailed, fuzz, messy_text

HELSINKI: Final = ZoneInfo("Europe/Helsinki")
# A few moments, not any moment: the parser builds one dateparser per language and day, and a new day per
# example would measure dateparser's start-up instead of our grammar. These are the days that bite: DST
# changes (spring gap, autumn repeat), the turn of a year, a leap day, a late evening, the far future.
NOWS: Final = (
    datetime(2026, 11, 23, 10, 0, tzinfo=HELSINKI),
    datetime(2027, 3, 28, 2, 30, tzinfo=HELSINKI),
    datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI),
    datetime(2026, 12, 31, 23, 59, tzinfo=HELSINKI),
    datetime(2028, 2, 29, 9, 0, tzinfo=HELSINKI),
    datetime(2027, 6, 30, 21, 45, tzinfo=ZoneInfo("Europe/Stockholm")),
    datetime(2027, 1, 15, 8, 0, tzinfo=UTC),
    datetime(2099, 12, 31, 12, 0, tzinfo=ZoneInfo("America/New_York")),
)
# Words the three grammars know, and the joining words people put around them.
_JOINERS = {
    "fi": ("klo", "kello", "ensi", "seuraavana", "tänä", "päästä", "kuluttua", "päivänä", "pnä", "viikolla"),
    "sv": ("kl", "klockan", "om", "på", "nästa", "den", "i", "morgon", "dag", "bitti", "kommande", "till"),
    "en": ("at", "on", "in", "next", "the", "of", "from", "now", "and", "a", "half", "o'clock", "am", "pm"),
}
# fmt: off
_NUMBERS = (
    "0", "1", "9", "12", "13", "24", "29", "31", "32", "59", "60", "99", "100", "2027", "9999", "99999999999",
    "1,5", "1.5", "14:30", "24:00", "9.75", "15.1.", "29.2.", "31.4.", "0.0.", "2027-02-29", "2027-13-01",
    "9999-12-31", "31/12", "1/13/27",
)
# fmt: on


def _vocabulary(code: str) -> tuple[str, ...]:
    grammar = LANGUAGES[code]
    numbers = sorted(NUMBER_WORDS[code])[::7]  # a spread of the number words, not all of them
    return (
        *grammar.days,
        *grammar.weekdays,
        *grammar.months,
        *grammar.units.values(),
        *_JOINERS[code],
        *numbers,
        *_NUMBERS,
    )


# Phrases people really write, to mutate: random soup alone rarely reads as a time, and the deep paths
# (dateparser, DST, next occurrences) are reached only by text that does.
_SEEDS = {
    "fi": (
        "huomenna klo 14",
        "ensi tiistaina",
        "kahden viikon päästä",
        "15.1. klo 9.30",
        "joulukuun 3. päivänä",
        "puolentoista tunnin päästä",
        "perjantaina iltapäivällä",
        "ylihuomenna aamulla",
    ),
    "sv": (
        "i morgon kl 14",
        "på tisdag",
        "om två veckor",
        "den 15 januari kl 9:30",
        "nästa vecka",
        "om en och en halv timme",
        "på fredag på eftermiddagen",
        "i övermorgon",
    ),
    "en": (
        "tomorrow at 2pm",
        "next tuesday",
        "in two weeks",
        "jan 15 at 9:30",
        "the day after tomorrow",
        "in an hour and a half",
        "friday afternoon",
        "on the 3rd of december 2027",
    ),
}
_SEPARATORS = (" ", " ", "  ", ", ", ".", ":", "-", "\u00a0", "\t", "")


def _mutated(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with characters deleted, replaced or inserted at the drawn positions."""
    for position, kind, piece in edits:
        at = position % (len(text) + 1)
        if kind == 0:
            text = text[:at] + text[at + 1 :]
        elif kind == 1:
            text = text[:at] + piece + text[at + 1 :]
        else:
            text = text[:at] + piece + text[at:]
    return text


_CLOCKS = {
    "fi": ("klo {h}", "klo {h}.{m:02d}", "kello {h}:{m:02d}", "{h}.{m:02d}"),
    "sv": ("kl {h}", "kl. {h}:{m:02d}", "klockan {h}", "{h}:{m:02d}"),
    "en": ("at {h}", "at {h}:{m:02d}", "{h}pm", "{h}:{m:02d} am", "{h} o'clock"),
}


def _day_words(code: str) -> st.SearchStrategy[str]:
    """A day as the grammar writes it: today/tomorrow, a weekday, an offset, or a date with or without a year."""
    grammar = LANGUAGES[code]
    amount = st.one_of(st.integers(0, 120).map(str), st.sampled_from(sorted(NUMBER_WORDS[code])))
    offset = st.builds(
        lambda a, u: grammar.offset.format(amount=a, unit=u), amount, st.sampled_from(list(grammar.units.values()))
    )
    day, month, year = st.integers(0, 33), st.sampled_from(grammar.months), st.integers(1, 9999)
    undated = st.builds(lambda d, m: grammar.undated.format(day=d, month=m), day, month)
    dated = st.builds(lambda d, m, y: grammar.dated.format(day=d, month=m, year=y), day, month, year)
    numeric = st.builds(lambda d, m, y: f"{d}.{m}.{y}", day, st.integers(0, 13), st.sampled_from(("", "27", "2027")))
    return st.one_of(st.sampled_from((*grammar.days, *grammar.weekdays)), offset, undated, dated, numeric)


def _phrases(code: str) -> st.SearchStrategy[str]:
    """Texts in one language: a day and a clock as written, real phrases mutated, word soup, and noise."""
    vocabulary = st.sampled_from(_vocabulary(code))
    clock = st.builds(
        lambda f, h, m: f.format(h=h, m=m), st.sampled_from(_CLOCKS[code]), st.integers(0, 25), st.integers(0, 61)
    )
    written = st.builds(
        lambda d, sep, c: d + sep + c, _day_words(code), st.sampled_from(_SEPARATORS), st.one_of(st.just(""), clock)
    )
    seed = st.sampled_from(_SEEDS[code])
    edit = st.tuples(st.integers(0, 60), st.integers(0, 2), st.one_of(vocabulary, st.text(min_size=1, max_size=2)))
    mutated = st.builds(_mutated, st.one_of(seed, written), st.lists(edit, min_size=1, max_size=3))
    soup = st.lists(st.tuples(vocabulary, st.sampled_from(_SEPARATORS)), min_size=1, max_size=4).map(
        lambda parts: "".join(word + separator for word, separator in parts)
    )
    cased = st.builds(
        lambda text, case: case(text), st.one_of(seed, soup), st.sampled_from((str, str.upper, str.title))
    )
    return st.one_of(written, mutated, cased, messy_text(110))


inputs = st.one_of(*(st.tuples(st.just(code), _phrases(code), st.sampled_from(NOWS)) for code in LANGUAGES))

_WRITTEN_YEAR = re.compile(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}")  # a year the person wrote may be in the past


def _midnight(now: datetime, zone: tzinfo | None) -> datetime:
    return datetime.combine(now.date(), time(), tzinfo=zone)


def _check(example: tuple[str, str, datetime]) -> None:
    code, text, now = example
    when = parse_when(text, now=now, language=code)
    if when is not None:
        if when.tzinfo is None or when.utcoffset() != when.astimezone(now.tzinfo).utcoffset():
            raise CaseFailed(f"{when!r} is not in the zone of now ({now.tzinfo})")
        if not _WRITTEN_YEAR.search(text) and when < _midnight(now, now.tzinfo):
            raise CaseFailed(f"{when.isoformat()} is before today ({now.isoformat()}) though no year was written")
    try:
        future = parse_future_when(text, now=now, language=code)
    except DomainError as error:
        if not error.key.startswith("when.") or not error.message(code).strip():
            raise CaseFailed(f"parse_future_when refused with {error.key!r}, not a when.* message") from error
        return
    if not now <= future <= now + timedelta(days=3 * 366):  # two years is the rule; three is impossible
        raise CaseFailed(f"parse_future_when accepted {future.isoformat()} for now={now.isoformat()}")


def phrases() -> int:
    """parse_when and parse_future_when on 10,000 texts across fi, sv and en."""
    return fuzz(inputs, _check)
