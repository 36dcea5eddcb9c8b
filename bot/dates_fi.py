"""Finnish time phrases: "ensi tiistaina klo 9", "kahden viikon päästä", "15.1. klo 10.30", "maaliskuun lopussa"."""

from __future__ import annotations

import re

from bot.dates_grammar import (
    SHARED_RULES,
    Clock,
    DayPart,
    DayShift,
    Edge,
    Language,
    NextWeek,
    Offset,
    PartOfDay,
    Piece,
    Rule,
    Span,
    Unit,
    Weekday,
    alternation,
    calendar_date,
    clock,
    offset,
    period,
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


# --- Planning periods (when-planning-dev.tsv) ---
_MONTH_INESSIVE = {f"{stem}kuussa": number for number, stem in enumerate(_MONTH_STEMS, start=1)}  # "helmikuussa"
_SEASON_IN = {  # "keväällä" (adessive), "ensi keväänä" (essive): in spring
    form: number
    for number, forms in enumerate((("keväällä", "keväänä"), ("kesällä", "kesänä"), ("syksyllä", "syksynä"),
                                    ("talvella", "talvena")))
    for form in forms
}  # fmt: skip
_SEASON_OF = {"kevään": 0, "kesän": 1, "syksyn": 2, "talven": 3}  # "kevään aikana", "syksyn alussa"
_SEASON_NAMED = {"kevät": 0, "kesä": 1, "syksy": 2, "talvi": 3}  # "kevät 2027"
# After a genitive: "loppuun mennessä" (by its end), "alussa" (at its start), "aikana" (during it: by its end).
_EDGE = (
    r"(?:(?P<end>loppuun(?:\s+mennessä|\s+asti)?|lopussa|lopulla|loppupuolella|aikana|kuluessa)"
    r"|(?P<start>alussa|alkuun|alkupuolella|alulla)"
    r"|(?P<middle>puolivälissä|puoliväliin(?:\s+mennessä)?|puolessa\s+välissä))"
)
_YEAR = r"(?:\s+(?P<y>\d{4}))?"
_LATER_YEAR = r"(?:\s+(?P<y2>\d{4}))?"  # "helmikuun lopussa 2027" as well as "helmikuun 2027 lopussa"
_COMING = r"(?:(?:ensi|tänä|tulevana|seuraavana)\s+)?"  # "ensi keväänä" is the next spring, as "keväällä"
_NEXT = {"ensi": 1, "tulevan": 1, "seuraavan": 1, "tämän": 0, "kuluvan": 0}
_RELATIVE = rf"(?:(?P<rel>{alternation(list(_NEXT))})\s+)?"
_WEEK = r"(?:viikolla|viikko|vko:lla|vkolla|vko|vk)\.?\s*(?P<w>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2})|\s+(?P<y2>\d{4}))?"
# An hour in words: "kahdeksalta" (at eight, the ablative), "kello kahdeksan".
_HOUR_FROM = {
    word: hour
    for hour, word in enumerate(
        ("yhdeltä", "kahdelta", "kolmelta", "neljältä", "viideltä", "kuudelta", "seitsemältä", "kahdeksalta",
         "yhdeksältä", "kymmeneltä", "yhdeltätoista", "kahdeltatoista"),
        start=1,
    )
}  # fmt: skip
_HOUR_NAMED = {
    word: hour
    for hour, word in enumerate(
        ("yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan", "yhdeksän", "kymmenen",
         "yksitoista", "kaksitoista"),
        start=1,
    )
}  # fmt: skip


def _edge(match: re.Match[str]) -> Edge:
    return Edge.END if match["end"] else Edge.START if match["start"] else Edge.MIDDLE


def _one_year(match: re.Match[str]) -> tuple[bool, str | None]:
    """The year written before or after the edge word; (False, None) when both were written."""
    first, second = match["y"], match.groupdict().get("y2")
    return (not (first and second), first or second)


def _period(match: re.Match[str], span: Span, edge: Edge, number: int | None) -> tuple[Piece, ...] | None:
    valid, year = _one_year(match)
    return period(span, edge, number, year) if valid else None


def _counted(match: re.Match[str], span: Span) -> tuple[Piece, ...] | None:
    """ "ensi kuun lopussa", "vuoden 2027 loppuun mennessä": counted from today's month or year, or a year named."""
    if match["rel"] and match.groupdict().get("y"):
        return None
    return period(span, _edge(match), None, match.groupdict().get("y"), _NEXT.get(match["rel"] or "tämän", 0))


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
    Rule(
        rf"(?P<month>{alternation(list(_MONTH_INESSIVE))}){_YEAR}",
        lambda m: period(Span.MONTH, Edge.START, _MONTH_INESSIVE[m["month"]], m["y"]),
    ),
    Rule(
        rf"(?P<month>{alternation(list(_MONTH_GENITIVE))}){_YEAR}\s+{_EDGE}{_LATER_YEAR}",
        lambda m: _period(m, Span.MONTH, _edge(m), _MONTH_GENITIVE[m["month"]]),
    ),
    Rule(rf"{_RELATIVE}(?:kuun|kuukauden)\s+{_EDGE}", lambda m: _counted(m, Span.MONTH)),
    Rule(rf"{_RELATIVE}vuoden{_YEAR}\s+{_EDGE}", lambda m: _counted(m, Span.YEAR)),
    Rule(
        rf"{_COMING}(?P<season>{alternation(list(_SEASON_IN))}){_YEAR}",
        lambda m: period(Span.SEASON, Edge.END, _SEASON_IN[m["season"]], m["y"]),
    ),
    Rule(
        rf"(?P<season>{alternation(list(_SEASON_NAMED))})\s+(?P<y>\d{{4}})",
        lambda m: period(Span.SEASON, Edge.END, _SEASON_NAMED[m["season"]], m["y"]),
    ),
    Rule(
        rf"(?:(?:ensi|tämän|tulevan|seuraavan)\s+)?(?P<season>{alternation(list(_SEASON_OF))}){_YEAR}\s+{_EDGE}"
        rf"{_LATER_YEAR}",
        lambda m: _period(m, Span.SEASON, _edge(m), _SEASON_OF[m["season"]]),
    ),
    Rule(_WEEK, lambda m: _period(m, Span.WEEK, Edge.START, int(m["w"]))),
    Rule(
        rf"(?:(?:klo|kello)\.?\s*)?(?P<word>{alternation(list(_HOUR_FROM))})",
        lambda m: clock(str(_HOUR_FROM[m["word"]]), None),
    ),
    Rule(
        rf"(?:klo|kello)\.?\s*(?P<word>{alternation(list(_HOUR_NAMED))})",
        lambda m: clock(str(_HOUR_NAMED[m["word"]]), None),
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
