"""Swedish time phrases: "nästa tisdag kl 9", "om två veckor", "den 15 januari kl 10", "i slutet av mars"."""

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

_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_WEEKDAY_FORMS = {
    **{name: index for index, name in enumerate(_WEEKDAYS)},
    **{f"{name}en": index for index, name in enumerate(_WEEKDAYS)},  # "på fredagen"
    **dict(mån=0, tis=1, ons=2, tor=3, tors=3, fre=4, lör=5, sön=6),
}
# Deliberately absent: "i måndags", the genitive form, means *last* Monday.

_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_FORMS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **dict(jan=1, feb=2, mar=3, apr=4, jun=6, jul=7, aug=8, sep=9, sept=9, okt=10, nov=11, dec=12),
}

_UNITS: dict[str, tuple[Unit, int]] = {
    "minut": (Unit.MINUTE, 1),
    "minuter": (Unit.MINUTE, 1),
    "min": (Unit.MINUTE, 1),
    "kvart": (Unit.MINUTE, 15),
    "halvtimme": (Unit.MINUTE, 30),
    "timme": (Unit.HOUR, 1),
    "timmar": (Unit.HOUR, 1),
    "tim": (Unit.HOUR, 1),
    "h": (Unit.HOUR, 1),
    "dag": (Unit.DAY, 1),
    "dagar": (Unit.DAY, 1),
    "dygn": (Unit.DAY, 1),
    "vecka": (Unit.WEEK, 1),
    "veckor": (Unit.WEEK, 1),
    "månad": (Unit.MONTH, 1),
    "månader": (Unit.MONTH, 1),
    "halvår": (Unit.MONTH, 6),
    "år": (Unit.YEAR, 1),
}
_NUMBER = amount_pattern("sv")
# "på", "nästa", "kommande" before a weekday all name its next occurrence (the rules of when-dev.tsv).
_WEEKDAY_PREFIX = r"(?:(?:nu\s+på|på\s+nästa|på\s+kommande|på|nästa|kommande|denna|till)\s+)?"

# --- Planning periods (when-planning-dev.tsv) ---
_SEASONS = {"vår": 0, "våren": 0, "sommar": 1, "sommaren": 1, "höst": 2, "hösten": 2, "vinter": 3, "vintern": 3}
_THE_SEASON = {"våren": 0, "sommaren": 1, "hösten": 2, "vintern": 3}  # after "under", "i slutet av"
_EDGES = {"slutet": Edge.END, "utgången": Edge.END, "början": Edge.START, "starten": Edge.START, "mitten": Edge.MIDDLE}
# "i slutet av", "före slutet av", "senast i slutet av": all mean the day it ends.
_EDGE = rf"(?:(?:senast|före|till|innan)\s+)?(?:i\s+)?(?P<edge>{alternation(list(_EDGES))})\s+av\s+"
_MONTH = rf"(?P<month>{alternation(list(_MONTH_FORMS))})\.?"
_YEAR = r"(?:\s+(?P<y>\d{4}))?"
_THIS = r"(?:månaden|denna\s+månad|den\s+här\s+månaden|innevarande\s+månad)"
_THIS_YEAR = r"(?:året|detta\s+år|i\s+år|det\s+här\s+året)"
_WEEK = (
    r"(?:(?:under|på|i)\s+)?(?:vecka|veckan|v\.?)\s*(?P<w>\d{1,2})"
    r"(?:\s*/\s*(?P<y>\d{4}|\d{2})|\s+(?P<y2>\d{4}))?"
)
_HOURS = {
    word: hour
    for hour, word in enumerate(
        ("ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"), start=1
    )
}


def _edge_of(match: re.Match[str], span: Span, number: int | None, ahead: int = 0) -> tuple[Piece, ...] | None:
    return period(span, _EDGES[match["edge"]], number, match.groupdict().get("y"), ahead)


def _week(match: re.Match[str]) -> tuple[Piece, ...] | None:
    if match["y"] and match["y2"]:
        return None
    return period(Span.WEEK, Edge.START, int(match["w"]), match["y"] or match["y2"])


PERIOD_RULES = (
    Rule(
        rf"i\s+{_MONTH}{_YEAR}", lambda m: period(Span.MONTH, Edge.START, _MONTH_FORMS[m["month"]], m["y"])
    ),
    Rule(rf"under\s+{_MONTH}{_YEAR}", lambda m: period(Span.MONTH, Edge.END, _MONTH_FORMS[m["month"]], m["y"])),
    Rule(rf"{_EDGE}{_MONTH}{_YEAR}", lambda m: _edge_of(m, Span.MONTH, _MONTH_FORMS[m["month"]])),
    Rule(rf"{_EDGE}{_THIS}", lambda m: _edge_of(m, Span.MONTH, None)),
    Rule(rf"{_EDGE}nästa\s+månad", lambda m: _edge_of(m, Span.MONTH, None, 1)),
    Rule(rf"{_EDGE}{_THIS_YEAR}", lambda m: _edge_of(m, Span.YEAR, None)),
    Rule(rf"{_EDGE}nästa\s+år", lambda m: _edge_of(m, Span.YEAR, None, 1)),
    Rule(rf"{_EDGE}(?:år\s+)?(?P<y>\d{{4}})", lambda m: _edge_of(m, Span.YEAR, None)),
    Rule(rf"{_EDGE}(?P<season>{alternation(list(_THE_SEASON))}){_YEAR}",
         lambda m: _edge_of(m, Span.SEASON, _THE_SEASON[m["season"]])),
    Rule(
        rf"(?:(?:under|på|i|nästa|kommande)\s+)?(?P<season>{alternation(list(_SEASONS))}){_YEAR}",
        lambda m: _season(m),
    ),
    Rule(_WEEK, _week),
    Rule(rf"(?:kl|klockan)\.?\s*(?P<word>{alternation(list(_HOURS))})", lambda m: clock(str(_HOURS[m["word"]]), None)),
)  # fmt: skip


def _season(match: re.Match[str]) -> tuple[Piece, ...] | None:
    """ "under våren", "i vår", "nästa vår", "våren 2027": a season alone must be definite or have a word before it."""
    text, name = match[0], match["season"]
    if text == name and name not in _THE_SEASON:  # a bare "vår" is "our", not a season
        return None
    return period(Span.SEASON, Edge.END, _SEASONS[name], match["y"])


RULES = (
    *SHARED_RULES,
    Rule(r"(?:kl|klockan)\.?\s*(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?", lambda m: clock(m["h"], m["m"])),
    Rule(
        r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:(?:[/-]|\s+)(?P<y>\d{4})|/(?P<yy>\d{2}))?",
        lambda m: calendar_date(m["d"], m["m"], m["y"] or m["yy"]),
    ),
    words(r"i\s*dag", DayShift(0)),
    words(r"i\s*morgon", DayShift(1)),
    words(r"i\s*morgon\s+bitti", DayShift(1), PartOfDay(DayPart.MORNING)),
    words(r"(?:i\s*)?övermorgon", DayShift(2)),
    Rule(
        rf"{_WEEKDAY_PREFIX}(?P<day>{alternation(list(_WEEKDAY_FORMS))})\.?",
        lambda m: (Weekday(_WEEKDAY_FORMS[m["day"]]),),
    ),
    words(r"(?:i\s+|på\s+)?nästa\s+vecka|nästa\s+veckas?", NextWeek()),
    words(r"(?:i\s+|på\s+)?nästa\s+månad", Offset(1, Unit.MONTH)),
    words(r"(?:i\s+|på\s+)?nästa\s+år", Offset(1, Unit.YEAR)),
    Rule(
        rf"om\s+{_NUMBER}\s+(?P<unit>{alternation(list(_UNITS))})",
        lambda m: offset(amount_value(m["amount"], "sv"), *_UNITS[m["unit"]]),
    ),
    Rule(
        rf"(?:den\s+)?(?P<d>\d{{1,2}})(?::e|:a|\.)?\s*(?P<month>{alternation(list(_MONTH_FORMS))})\.?"
        r"(?:\s+(?P<y>\d{4}))?",
        lambda m: calendar_date(m["d"], _MONTH_FORMS[m["month"]], m["y"]),
    ),
    words(r"på\s+(?:morgonen|förmiddagen)", PartOfDay(DayPart.MORNING)),
    words(r"mitt\s+på\s+dagen|(?:vid\s+|klockan\s+)?tolv\s+på\s+dagen", Clock(12, 0)),
    words(r"på\s+eftermiddagen", PartOfDay(DayPart.AFTERNOON)),
    words(r"på\s+kvällen", PartOfDay(DayPart.EVENING)),
    *PERIOD_RULES,
    words(r"på|den"),  # "på tisdag den 24 november": joining words that mean nothing alone
)

SWEDISH = Language(
    code="sv",
    rules=RULES,
    days=("idag", "i morgon", "om 2 dagar"),  # dateparser has no "i övermorgon"
    offset="om {amount} {unit}",
    units={
        Unit.MINUTE: "minuter",
        Unit.HOUR: "timmar",
        Unit.DAY: "dagar",
        Unit.WEEK: "veckor",
        Unit.MONTH: "månader",
        Unit.YEAR: "år",
    },
    weekdays=_WEEKDAYS,
    months=_MONTHS,
    undated="{day} {month}",  # read with DATE_ORDER=DMY: the sv locale's YMD made "15 januari" the year 2115
    dated="{day} {month} {year}",
)
