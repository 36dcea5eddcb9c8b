"""The rules of parse_when in general: every weekday, month and number word, clocks, offsets and zones."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dates import parse_when

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=HELSINKI)


WEEKDAY_FORMS = {
    "fi": [
        "{fi}",
        "{fi}na",
        "ensi {fi}na",
        "seuraavana {fi}na",
        "{fi_short}",
    ],
    "sv": ["{sv}", "på {sv}", "nästa {sv}", "på {sv}en"],
    "en": ["{en}", "on {en}", "next {en}", "this {en}", "{en_short}"],
}
WEEKDAY_NAMES = {
    "fi": ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"],
    "fi_short": ["ma", "ti", "ke", "to", "pe", "la", "su"],
    "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "en_short": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
}


@pytest.mark.parametrize(
    "today", [MONDAY + timedelta(days=offset) for offset in range(7)], ids=lambda d: d.strftime("%a")
)
@pytest.mark.parametrize("language", sorted(WEEKDAY_FORMS))
def test_every_weekday_is_its_next_occurrence_strictly_after_today(language: str, today: datetime) -> None:
    for index in range(7):
        names = {key: values[index] for key, values in WEEKDAY_NAMES.items()}
        days_ahead = (index - today.weekday() - 1) % 7 + 1  # 1..7: never today
        expected = (today + timedelta(days=days_ahead)).replace(hour=9, minute=0)
        for form in WEEKDAY_FORMS[language]:
            text = form.format(**names)
            assert parse_when(text, now=today, language=language) == expected, text
            with_clock = {"fi": f"{text} klo 14.30", "sv": f"{text} kl 14.30", "en": f"{text} at 2:30pm"}[language]
            assert parse_when(with_clock, now=today, language=language) == expected.replace(hour=14, minute=30)


MONTHS = {
    "fi": ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
}  # fmt: skip
DATE_FORMS = {
    "fi": ["{day}. {fi}kuuta", "{fi}kuun {day}. päivä", "{fi}kuun {day}. päivänä", "{day}.{month}."],
    "sv": ["{day} {sv}", "den {day} {sv}", "{day}/{month}"],
    "en": ["{en} {day}", "{day} {en}", "the {day}th of {en}", "{en} {day}th"],
}


@pytest.mark.parametrize("language", sorted(DATE_FORMS))
def test_every_month_without_a_year_is_its_next_occurrence(language: str) -> None:
    for month in range(1, 13):
        for day in (1, 12, 28):
            names = {lang: MONTHS[lang][month - 1] for lang in MONTHS}
            candidate = date(MONDAY.year, month, day)
            if datetime(candidate.year, month, day, 9, tzinfo=HELSINKI) <= MONDAY:
                candidate = candidate.replace(year=candidate.year + 1)
            expected = datetime(candidate.year, month, day, 9, tzinfo=HELSINKI)
            for form in DATE_FORMS[language]:
                text = form.format(day=day, month=month, **names)
                assert parse_when(text, now=MONDAY, language=language) == expected, text


NUMBER_WORDS = {
    "fi": "yhden kahden kolmen neljän viiden kuuden seitsemän kahdeksan yhdeksän kymmenen yhdentoista kahdentoista",
    "sv": "en två tre fyra fem sex sju åtta nio tio elva tolv",
    "en": "one two three four five six seven eight nine ten eleven twelve",
}
OFFSET_FORMS = {
    "fi": {"day": "{n} päivän päästä", "week": "{n} viikon päästä", "month": "{n} kuukauden kuluttua"},
    "sv": {"day": "om {n} dagar", "week": "om {n} veckor", "month": "om {n} månader"},
    "en": {"day": "in {n} days", "week": "in {n} weeks", "month": "{n} months from now"},
}


@pytest.mark.parametrize("language", sorted(NUMBER_WORDS))
def test_number_words_one_to_twelve_as_day_week_and_month_offsets(language: str) -> None:
    for number, word in enumerate(NUMBER_WORDS[language].split(), start=1):
        at_nine = MONDAY.replace(hour=9)
        month = MONDAY.month - 1 + number
        expected = {
            "day": at_nine + timedelta(days=number),
            "week": at_nine + timedelta(weeks=number),
            "month": at_nine.replace(year=MONDAY.year + month // 12, month=month % 12 + 1),
        }
        for unit, form in OFFSET_FORMS[language].items():
            for amount in (word, str(number)):
                text = form.format(n=amount)
                assert parse_when(text, now=MONDAY, language=language) == expected[unit], text


@pytest.mark.parametrize(
    ("language", "text", "minutes"),
    [
        ("fi", "puolen tunnin päästä", 30),
        ("fi", "tunnin päästä", 60),
        ("fi", "puolentoista tunnin päästä", 90),
        ("fi", "kahden ja puolen tunnin päästä", 150),
        ("fi", "vartin päästä", 15),
        ("fi", "2 h päästä", 120),
        ("sv", "om en timme", 60),
        ("sv", "om en halv timme", 30),
        ("sv", "om en kvart", 15),
        ("sv", "om en och en halv timme", 90),
        ("sv", "om 10 minuter", 10),
        ("en", "in an hour", 60),
        ("en", "in half an hour", 30),
        ("en", "in an hour and a half", 90),
        ("en", "in 1.5 hours", 90),
        ("en", "in twenty-five minutes", 25),
    ],
)
def test_hour_and_minute_offsets_are_exact(language: str, text: str, minutes: int) -> None:
    assert parse_when(text, now=MONDAY, language=language) == MONDAY + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fi", "puolen vuoden päästä", datetime(2027, 5, 23, 9, tzinfo=HELSINKI)),
        ("fi", "ensi kuussa", datetime(2026, 12, 23, 9, tzinfo=HELSINKI)),
        ("sv", "om ett år", datetime(2027, 11, 23, 9, tzinfo=HELSINKI)),
        ("sv", "om ett halvt år", datetime(2027, 5, 23, 9, tzinfo=HELSINKI)),
        ("en", "in a month", datetime(2026, 12, 23, 9, tzinfo=HELSINKI)),
        ("en", "in a year", datetime(2027, 11, 23, 9, tzinfo=HELSINKI)),
        ("en", "in a fortnight", datetime(2026, 12, 7, 9, tzinfo=HELSINKI)),
    ],
)
def test_month_and_year_offsets_land_at_nine(language: str, text: str, expected: datetime) -> None:
    assert parse_when(text, now=MONDAY, language=language) == expected


def test_a_clock_alone_is_today_while_ahead_and_tomorrow_once_passed() -> None:
    for hour in range(24):
        expected_day = MONDAY.date() + timedelta(days=0 if hour > 10 else 1)
        expected = datetime(expected_day.year, expected_day.month, expected_day.day, hour, tzinfo=HELSINKI)
        assert parse_when(f"klo {hour}", now=MONDAY, language="fi") == expected
        assert parse_when(f"kl {hour}.00", now=MONDAY, language="sv") == expected
        assert parse_when(f"at {hour}:00", now=MONDAY, language="en") == expected


def test_the_result_is_in_the_zone_of_now() -> None:
    for zone in ("Europe/Helsinki", "Europe/Stockholm", "America/New_York", "UTC"):
        now = MONDAY.replace(tzinfo=ZoneInfo(zone))
        when = parse_when("huomenna klo 14", now=now, language="fi")
        assert when is not None
        assert when.tzinfo is now.tzinfo
        assert (when.date(), when.hour) == (date(2026, 11, 24), 14)


PLANNING_MONTH_FORMS = {
    "fi": {"start": ["{fi}kuussa", "{fi}kuun alussa"], "end": ["{fi}kuun loppuun mennessä", "{fi}kuun lopussa"]},
    "sv": {"start": ["i {sv}", "i början av {sv}"], "end": ["i slutet av {sv}", "före slutet av {sv}"]},
    "en": {"start": ["in {en}", "early {en}", "at the beginning of {en}"], "end": ["by the end of {en}", "late {en}"]},
}


@pytest.mark.parametrize("language", sorted(PLANNING_MONTH_FORMS))
def test_every_month_alone_or_its_start_is_its_first_day_and_its_end_its_last(language: str) -> None:
    for number in range(1, 13):
        names = {key: values[number - 1] for key, values in MONTHS.items()}
        year = 2026 if number == 12 else 2027  # its next occurrence after Monday 23 November 2026
        first = datetime(year, number, 1, 9, tzinfo=HELSINKI)
        last = datetime(year, number, calendar.monthrange(year, number)[1], 9, tzinfo=HELSINKI)
        if number == 11:  # 1 November has passed; its end has not
            first = first.replace(year=2027)
            last = last.replace(year=2026)
        for edge, expected in (("start", first), ("end", last)):
            for form in PLANNING_MONTH_FORMS[language][edge]:
                text = form.format(**names)
                assert parse_when(text, now=MONDAY, language=language) == expected, text


@pytest.mark.parametrize(
    ("language", "form"), [("fi", "viikolla {n}"), ("fi", "vko {n}"), ("sv", "vecka {n}"), ("en", "week {n}")]
)
def test_every_week_number_is_the_monday_of_its_next_occurrence(language: str, form: str) -> None:
    for number in range(1, 54):
        # ISO 2026 has 53 weeks, so weeks 49-53 are this year's and the rest next year's (2027 has 52).
        expected = date.fromisocalendar(2026 if number >= 49 else 2027, number, 1)
        when = parse_when(form.format(n=number), now=MONDAY, language=language)
        assert when is not None and when.date() == expected and (when.hour, when.minute) == (9, 0), number
