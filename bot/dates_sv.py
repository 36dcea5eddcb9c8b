"""Swedish time phrases: "nästa tisdag kl 9", "om två veckor", "på fredag", "den 15 januari kl 10"."""

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
