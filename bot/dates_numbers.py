"""Number words 1-99 and halves in Finnish, Swedish and English, as exact fractions for time offsets."""

from __future__ import annotations

import re
from fractions import Fraction

HALF = Fraction(1, 2)

# Finnish numbers inflect; offsets take the genitive ("kahden viikon päästä") but people also write the
# nominative or the partitive, so each of 1-9 is listed as (nominative, genitive, partitive), and
# compounds stay in one case: "kahdenkymmenenviiden" (25, genitive).
_FI_CASES: dict[int, tuple[str, str, str]] = {
    1: ("yksi", "yhden", "yhtä"),
    2: ("kaksi", "kahden", "kahta"),
    3: ("kolme", "kolmen", "kolmea"),
    4: ("neljä", "neljän", "neljää"),
    5: ("viisi", "viiden", "viittä"),
    6: ("kuusi", "kuuden", "kuutta"),
    7: ("seitsemän", "seitsemän", "seitsemää"),
    8: ("kahdeksan", "kahdeksan", "kahdeksaa"),
    9: ("yhdeksän", "yhdeksän", "yhdeksää"),
}
_FI_TENS = ("kymmentä", "kymmenen", "kymmentä")  # "kaksikymmentä", "kahdenkymmenen", "kahtakymmentä"
_FI_SPOKEN = {"kaks": 2, "kahen": 2, "viis": 5, "kuus": 6, "seitsentä": 7}


def _finnish() -> dict[str, Fraction]:
    words = {word: Fraction(value) for word, value in _FI_SPOKEN.items()}
    words.update({"kymmenen": Fraction(10), "kymmentä": Fraction(10)})
    for case, tens in enumerate(_FI_TENS):
        for unit, forms in _FI_CASES.items():
            words[forms[case]] = Fraction(unit)
            words[forms[case] + "toista"] = Fraction(10 + unit)
            if unit >= 2:
                words[forms[case] + tens] = Fraction(unit * 10)
                for last, last_forms in _FI_CASES.items():
                    words[forms[case] + tens + last_forms[case]] = Fraction(unit * 10 + last)
    words.update(
        {
            "puoli": HALF,
            "puolen": HALF,
            "puolta": HALF,
            "puolitoista": Fraction(3, 2),
            "puolentoista": Fraction(3, 2),
            "puoltatoista": Fraction(3, 2),
            "pari": Fraction(2),  # "parin päivän päästä": a couple, read as two
            "parin": Fraction(2),
            "paria": Fraction(2),
        }
    )
    return words


# fmt: off
_SV_BASE = (
    "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
    "elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton",
)
# fmt: on
_SV_TENS = {
    20: "tjugo",
    30: "trettio",
    40: "fyrtio",
    50: "femtio",
    60: "sextio",
    70: "sjuttio",
    80: "åttio",
    90: "nittio",
}


def _swedish() -> dict[str, Fraction]:
    words = {word: Fraction(value) for value, word in enumerate(_SV_BASE) if value}
    words["ett"] = Fraction(1)
    for tens, word in _SV_TENS.items():
        words[word] = Fraction(tens)
        for unit in range(1, 10):
            words[word + _SV_BASE[unit]] = Fraction(tens + unit)
        words[word + "ett"] = Fraction(tens + 1)
    words.update(
        {
            "en halv": HALF,
            "ett halvt": HALF,
            "halvannan": Fraction(3, 2),
            "ett par": Fraction(2),  # "om ett par dagar": a couple, read as two
            "par": Fraction(2),
        }
    )
    return words


# fmt: off
_EN_BASE = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
# fmt: on
_EN_TENS = {
    20: "twenty",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
}


def _english() -> dict[str, Fraction]:
    words = {word: Fraction(value) for value, word in enumerate(_EN_BASE) if value}
    words.update({"a": Fraction(1), "an": Fraction(1)})
    for tens, word in _EN_TENS.items():
        words[word] = Fraction(tens)
        for unit in range(1, 10):
            for joint in ("-", " "):
                words[f"{word}{joint}{_EN_BASE[unit]}"] = Fraction(tens + unit)
    words.update(
        {
            "half a": HALF,
            "half an": HALF,
            "a half": HALF,
            "a couple of": Fraction(2),  # "in a couple of days": read as two
            "couple of": Fraction(2),
        }
    )
    return words


NUMBER_WORDS: dict[str, dict[str, Fraction]] = {"fi": _finnish(), "sv": _swedish(), "en": _english()}

# "ja puoli" / "och en halv" / "and a half" add a half to the number before them: "kahden ja puolen tunnin".
_AND_A_HALF = {
    "fi": r"\s+ja\s+(?:puoli|puolen|puolta)",
    "sv": r"\s+och\s+(?:en\s+halv|ett\s+halvt)",
    "en": r"\s+and\s+a\s+half",
}
_DIGITS = r"\d{1,6}(?:[.,]\d{1,2})?"  # six digits is already past year 9999 in minutes; longer is not a time


def _alternation(words: dict[str, Fraction]) -> str:
    # Longest first, so "kahdentoista" is tried before "kahden"; spaces inside phrases match any run of spaces.
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def amount_pattern(language: str) -> str:
    """A regex group `amount` matching a count in `language`: digits, a number word, optionally "and a half"."""
    return rf"(?P<amount>(?:{_DIGITS}|{_alternation(NUMBER_WORDS[language])})(?:{_AND_A_HALF[language]})?)"


_HALF_SUFFIX = {language: re.compile(rf"(?:{pattern})$") for language, pattern in _AND_A_HALF.items()}


def amount_value(text: str, language: str) -> Fraction | None:
    """The value of a count matched by `amount_pattern`, or None when it is not one."""
    text = " ".join(text.split())
    extra = Fraction(0)
    if (suffix := _HALF_SUFFIX[language].search(text)) is not None:
        text, extra = text[: suffix.start()], HALF
    if re.fullmatch(_DIGITS, text):
        return Fraction(text.replace(",", ".")) + extra
    value = NUMBER_WORDS[language].get(text)
    return None if value is None else value + extra
