"""Finnish time phrases: "ensi tiistaina klo 9", "kahden viikon päästä", "joulukuun 3. päivä", "15.1. klo 10.30"."""

from __future__ import annotations

from bot.dates_grammar import (
    SHARED_RULES,
    Clock,
    DayPart,
    DayShift,
    Language,
    NextWeek,
    Offset,
    PartOfDay,
    Rule,
    Unit,
    Weekday,
    alternation,
    calendar_date,
    clock,
    offset,
    words,
)
from bot.dates_numbers import amount_pattern, amount_value

_WEEKDAYS = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")
_WEEKDAY_ABBREVIATIONS = ("ma", "ti", "ke", "to", "pe", "la", "su")
_MONTH_STEMS = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu")

# A month in the forms that follow a day number: "3. joulukuuta" (partitive), "3. joulukuu", "3. jouluk."
_MONTH_AFTER_DAY = {
    form: number
    for number, stem in enumerate(_MONTH_STEMS, start=1)
    for form in (f"{stem}kuuta", f"{stem}kuu", f"{stem}k")
}
# ... and the genitive that comes before it: "joulukuun 3. päivä(nä)".
_MONTH_GENITIVE = {f"{stem}kuun": number for number, stem in enumerate(_MONTH_STEMS, start=1)}

# Units in the genitive that "päästä" / "kuluttua" govern, with the abbreviations people type.
_UNITS: dict[str, tuple[Unit, int]] = {
    "minuutin": (Unit.MINUTE, 1),
    "min": (Unit.MINUTE, 1),
    "vartin": (Unit.MINUTE, 15),  # a quarter of an hour
    "tunnin": (Unit.HOUR, 1),
    "h": (Unit.HOUR, 1),
    "päivän": (Unit.DAY, 1),
    "pv": (Unit.DAY, 1),
    "vuorokauden": (Unit.DAY, 1),
    "vrk": (Unit.DAY, 1),
    "viikon": (Unit.WEEK, 1),
    "vk": (Unit.WEEK, 1),
    "kuukauden": (Unit.MONTH, 1),
    "kk": (Unit.MONTH, 1),
    "vuoden": (Unit.YEAR, 1),
}
_NUMBER = amount_pattern("fi")

# "ensi", "seuraavana", "tulevana" and "tänä" before a weekday all name its next occurrence (the rules
# of when-dev.tsv); the essive "-na" is how Finnish says "on" a day, and "-aamuna" "on the morning of".
_WEEKDAY_PREFIX = r"(?:(?:ensi|seuraava|seuraavana|tuleva|tulevana|tänä|nyt)\s+)?"


def _weekday(name: str, suffix: str | None) -> tuple[Weekday | PartOfDay, ...]:
    index = _WEEKDAYS.index(name) if name in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS.index(name)
    return (Weekday(index), PartOfDay(DayPart.MORNING)) if suffix == "aamuna" else (Weekday(index),)


RULES = (
    *SHARED_RULES,
    Rule(r"(?:klo|kello|kl)\.?\s*(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?", lambda m: clock(m["h"], m["m"])),
    words(r"tänään", DayShift(0)),
    words(r"huomenna", DayShift(1)),
    words(r"huomisaamuna", DayShift(1), PartOfDay(DayPart.MORNING)),
    words(r"ylihuomenna", DayShift(2)),
    Rule(
        rf"{_WEEKDAY_PREFIX}(?P<day>{alternation(_WEEKDAYS)})(?P<suffix>na|aamuna)?",
        lambda m: _weekday(m["day"], m["suffix"]),
    ),
    Rule(rf"{_WEEKDAY_PREFIX}(?P<day>{alternation(_WEEKDAY_ABBREVIATIONS)})\.?", lambda m: _weekday(m["day"], None)),
    words(r"(?:ensi|seuraavalla|seuraavan)\s+viiko(?:lla|n)", NextWeek()),
    words(r"ensi\s+kuussa", Offset(1, Unit.MONTH)),
    words(r"ensi\s+vuonna", Offset(1, Unit.YEAR)),
    Rule(
        rf"(?:{_NUMBER}\s+)?(?P<unit>{alternation(list(_UNITS))})\s+(?:päästä|kuluttua|päähän)",
        lambda m: offset(amount_value(m["amount"] or "1", "fi"), *_UNITS[m["unit"]]),
    ),
    Rule(
        rf"(?P<d>\d{{1,2}})\.?\s*(?P<month>{alternation(list(_MONTH_AFTER_DAY))})\.?(?:\s+(?P<y>\d{{4}}))?",
        lambda m: calendar_date(m["d"], _MONTH_AFTER_DAY[m["month"]], m["y"]),
    ),
    Rule(
        rf"(?P<month>{alternation(list(_MONTH_GENITIVE))})\s+(?P<d>\d{{1,2}})\.?"
        r"(?:\s*(?:päivä|päivänä|pnä|pv))?(?:\s+(?P<y>\d{4}))?",
        lambda m: calendar_date(m["d"], _MONTH_GENITIVE[m["month"]], m["y"]),
    ),
    words(r"aamulla|aamupäivällä", PartOfDay(DayPart.MORNING)),
    words(r"keskipäivällä|puoliltapäivin", Clock(12, 0)),
    words(r"iltapäivällä", PartOfDay(DayPart.AFTERNOON)),
    words(r"illalla", PartOfDay(DayPart.EVENING)),
)

FINNISH = Language(
    code="fi",
    rules=RULES,
    days=("tänään", "huomenna", "2 päivän päästä"),  # dateparser has no "ylihuomenna"
    offset="{amount} {unit} päästä",
    units={
        Unit.MINUTE: "minuutin",
        Unit.HOUR: "tunnin",
        Unit.DAY: "päivän",
        Unit.WEEK: "viikon",
        Unit.MONTH: "kuukauden",
        Unit.YEAR: "vuoden",
    },
    weekdays=_WEEKDAYS,
    months=tuple(f"{stem}kuuta" for stem in _MONTH_STEMS),
    undated="{day}. {month}",
    dated="{day}. {month} {year}",
)
