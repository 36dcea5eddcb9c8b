"""Recognising a survey file's columns by their headers: Finnish, Swedish or English words, dimension codes or names."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.dimensions import Dimension
from bot.i18n import SUPPORTED_LANGUAGES, translate

UNIT = "unit"
RESPONDENTS = "respondents"
INVITED = "invited"
QWL = "qwl"
FIELDS = (UNIT, RESPONDENTS, INVITED, QWL)
FIGURES = (RESPONDENTS, INVITED, QWL, *(d.value for d in Dimension))  # every column a row must have a number in

# Headers as vendors and people write them, normalised (see `normalise`). The template's own headers (the catalogs'
# survey.column.* and dimension.* in every language) are added to these in `_aliases`.


def _listed(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_WORDS: dict[str, tuple[str, ...]] = {
    UNIT: _listed(
        "yksikko yksikonnimi yksikkotunnus tyoyksikko tiimi ryhma vastuualue organisaatioyksikko tunnus avain nimi "
        "unit unitname unitkey team teamname department group key name "
        "enhet enhetensnamn avdelning grupp nyckel namn"
    ),
    RESPONDENTS: _listed(
        "vastaajia vastaajat vastaajamaara vastaajienmaara vastanneet vastanneita vastauksia vastaukset vastausmaara "
        "respondents respondentcount numberofrespondents responses answered answers "
        "svarande antalsvarande respondenter svar antalsvar"
    ),
    INVITED: _listed(
        "kutsuttuja kutsutut kutsuttujenmaara kohderyhma kohdejoukko perusjoukko "
        "invited invitees numberinvited population targetgroup headcount "
        "inbjudna antalinbjudna malgrupp"
    ),
    QWL: _listed("qwl qwlindeksi qwlindex qwlindexet qwlindeks indeksi index kokonaisindeksi overallindex totalindex"),
    Dimension.SAFETY: _listed(
        "fyysinenjaemotionaalinenturvallisuus fyysinenjapsyykkinenturvallisuus turvallisuus "
        "physicalandemotionalsafety safety fysiskochemotionelltrygghet trygghet"
    ),
    Dimension.BELONGING: _listed(
        "yhteenkuuluvuusjaidentiteetti yhteenkuuluvuus belongingandidentity belonging "
        "samhorighetochidentitet samhorighet"
    ),
    Dimension.GOALS: _listed("paamaaratjaluovuus paamaarat goalsandcreativity goals malochkreativitet"),
    # Older files say esimiestoiminta (DOMAIN.md); newer ones esihenkilötyö.
    Dimension.SUPERVISOR_WORK: _listed(
        "esimiestoiminta esimiestyo esihenkilotoiminta esihenkilotyo lahiesimiestyo lahijohtaminen "
        "supervisorwork supervision chefsarbete chefskap narmastechefsarbete"
    ),
    Dimension.COMPETENCE: _listed("osaaminen competence competences skills kunnande kompetens"),
    Dimension.LEADERSHIP: _listed("johtaminen leadership management ledarskap ledning"),
    Dimension.PROCESSES: _listed("prosessit processes processer"),
    Dimension.CULTURE: _listed("toimintakulttuuri tyokulttuuri operatingculture culture verksamhetskultur kultur"),
}

# Words that only say what unit a column is in ("Vastaajat (n)", "FE %", "QWL-indeksi, pct").
_UNIT_WORDS = {"n", "pct", "prosenttia", "percent", "procent", "lkm", "kpl", "st"}


def normalise(text: str) -> str:
    """Text as compared: lower case, without diacritics, only letters and digits ("Yksikön nimi" → "yksikonnimi")."""
    return "".join(_words(text))


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


@cache
def _aliases() -> dict[str, str]:
    found: dict[str, str] = {}
    for kind, words in _WORDS.items():
        for word in words:
            found[word] = str(kind)
    for language in SUPPORTED_LANGUAGES:
        for kind in FIELDS:
            found[normalise(translate(language, f"survey.column.{kind}"))] = kind
        for dimension in Dimension:
            found[normalise(translate(language, f"dimension.{dimension.value}"))] = dimension.value
    for dimension in Dimension:
        found[dimension.value.lower()] = dimension.value
    return found


def column_kind(header: str) -> str | None:
    """What a header names: "unit", "respondents", "invited", "qwl", a dimension code, or None for other columns."""
    words = _words(header)
    if len(words) > 1:
        words = [w for w in words if w not in _UNIT_WORDS] or words
    aliases = _aliases()
    if (kind := aliases.get("".join(words))) is not None:
        return kind
    # "FE Fyysinen ja emotionaalinen turvallisuus" or "Osaaminen (CO)": a code with its name.
    codes = {d.value.lower(): d.value for d in Dimension}
    for code_at, rest in ((0, words[1:]), (-1, words[:-1])):
        if words and words[code_at] in codes and aliases.get("".join(rest)) == codes[words[code_at]]:
            return codes[words[code_at]]
    return None


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at a 0-based index: A, B, …, Z, AA, AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def template_headers(language: str) -> list[str]:
    """The template's header row: the foundation dimensions by code (as vendors print them), the others by name."""
    figures = [translate(language, f"survey.column.{kind}") for kind in FIELDS]
    dimensions = [
        d.value
        if d in (Dimension.SAFETY, Dimension.BELONGING, Dimension.GOALS)
        else translate(language, f"dimension.{d.value}")
        for d in Dimension
    ]
    return figures + dimensions
