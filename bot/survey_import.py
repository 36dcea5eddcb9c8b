"""Checking a survey results file's rows into SurveyResults, whole, naming the line and column of any problem."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.organisation import Organisation, Team
from bot.survey import FIRST_YEAR, LAST_YEAR, SurveyFigures, SurveyResults
from bot.survey_columns import FIGURES, INVITED, QWL, RESPONDENTS, UNIT, column_kind, column_letter, normalise

HEADER_SEARCH_ROWS = 30  # vendors put a title, a date or a logo's caption above the table
MIN_HEADER_FIGURES = 3  # a row naming this many figure columns is the header, not a title

# The whole organisation's row, when it is not called by the organisation's own name.
ORGANISATION_WORDS = {
    normalise(word)
    for word in (
        *(
            "koko organisaatio",
            "organisaatio",
            "koko kunta",
            "kunta",
            "kuntakonserni",
            "konserni",
            "yhteensä",
            "kaikki",
        ),
        *("hela organisationen", "organisationen", "organisation", "totalt", "alla"),
        *("whole organisation", "whole organization", "organization", "total", "all", "overall"),
    )
}

NOT_SHOWN = {"", "-", "\u2013", "\u2014", "\u2212"}  # blank, hyphen, en dash, em dash, minus sign
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


@dataclass(frozen=True)
class SheetRow:
    """One row of the file as text cells, with its line (CSV) or row number (spreadsheet)."""

    line: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        """The cell's text, stripped; empty past the row's end."""
        return self.cells[index].strip() if index < len(self.cells) else ""


@dataclass(frozen=True)
class _Header:
    line: int
    columns: dict[str, int]  # kind → 0-based index
    titles: tuple[str, ...]

    def name(self, kind: str) -> tuple[str, str]:
        """The column's header as the file writes it, and its letter."""
        index = self.columns[kind]
        title = self.titles[index].strip() if index < len(self.titles) else ""
        return title or column_letter(index), column_letter(index)


def check_survey(rows: Sequence[SheetRow], organisation: Organisation, year: int) -> SurveyResults:
    """The year's results from the file's rows; any problem is a DomainError naming its line, and nothing is kept."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError("survey.bad_year", year=year, first=FIRST_YEAR, last=LAST_YEAR)
    header = _find_header(rows)
    data = [row for row in rows if row.line > header.line and any(c.strip() for c in row.cells)]
    figure_rows = [row for row in data if any(row.cell(header.columns[k]) for k in FIGURES)]
    if not figure_rows:
        raise DomainError("survey.no_rows", line=header.line)
    scale = _fraction_scale(figure_rows, header)
    matcher = _UnitMatcher(organisation)
    organisation_figures: SurveyFigures | None = None
    units: dict[int, SurveyFigures] = {}
    seen: dict[str, int] = {}
    for row in figure_rows:
        label = row.cell(header.columns[UNIT])
        if not label:
            raise DomainError("survey.missing_unit", line=row.line, column=header.name(UNIT)[0])
        team = matcher.match(label, row.line)
        where = "" if team is None else team.key
        if where in seen:
            raise DomainError("survey.duplicate_unit", line=row.line, unit=label, first=seen[where])
        seen[where] = row.line
        figures = _figures(row, header, scale, whole_organisation=team is None)
        if team is None:
            organisation_figures = figures
        else:
            units[team.id] = figures
    if organisation_figures is None:
        raise DomainError("survey.no_organisation_row", organisation=organisation.name)
    return SurveyResults(year, organisation_figures, units)


def _find_header(rows: Sequence[SheetRow]) -> _Header:
    for row in rows[:HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        for index, title in enumerate(row.cells):
            kind = column_kind(title)
            if kind is None:
                continue
            if kind in columns:
                first = column_letter(columns[kind])
                raise DomainError(
                    "survey.duplicate_column",
                    line=row.line,
                    column=title.strip(),
                    letter=column_letter(index),
                    first=first,
                )
            columns[kind] = index
        if sum(1 for kind in columns if kind != UNIT) < MIN_HEADER_FIGURES:
            continue
        if UNIT not in columns:
            # A pivot table's export leaves the first column's header empty: the unit names are there.
            leftmost = next((i for i in range(len(row.cells)) if i not in columns.values()), None)
            if leftmost is None or leftmost > min(columns.values()):
                raise DomainError(f"survey.missing_column.{UNIT}", line=row.line)
            columns[UNIT] = leftmost
        for kind in FIGURES:
            if kind not in columns:
                raise DomainError(f"survey.missing_column.{kind}", line=row.line)
        return _Header(row.line, columns, row.cells)
    raise DomainError("survey.no_header")


def _fraction_scale(rows: Sequence[SheetRow], header: _Header) -> float:
    """100 when every percentage is written as a fraction (0.78 for 78 %), else 1."""
    percentages = [QWL, *(d.value for d in Dimension)]
    values = [_number(row.cell(header.columns[k])) for row in rows for k in percentages]
    written = [text for row in rows for k in percentages if "%" in (text := row.cell(header.columns[k]))]
    numbers = [v for v in values if v is not None]
    return 100.0 if numbers and not written and all(0 <= v <= 1 for v in numbers) else 1.0


def _figures(row: SheetRow, header: _Header, scale: float, whole_organisation: bool) -> SurveyFigures:
    percentages = [QWL, *(d.value for d in Dimension)]
    left_out = [kind for kind in percentages if _not_shown(row.cell(header.columns[kind]))]
    if len(left_out) == len(percentages):
        if whole_organisation:
            raise DomainError("survey.organisation_not_shown", line=row.line)
        # The vendor's own suppression: a unit with no figures, and its counts where the file still gives them.
        return SurveyFigures(_optional_count(row, header, RESPONDENTS), _optional_count(row, header, INVITED))
    if left_out and any(row.cell(header.columns[kind]) for kind in left_out):
        # A dash among given figures: a unit is either shown whole or left out whole.
        kind = next(k for k in left_out if row.cell(header.columns[k]))
        column, letter = header.name(kind)
        raise DomainError("survey.partly_shown", line=row.line, column=column, letter=letter)
    for kind in (RESPONDENTS, INVITED):
        if _not_shown(text := row.cell(header.columns[kind])) and text:
            column, letter = header.name(kind)
            raise DomainError("survey.count_needed", line=row.line, column=column, letter=letter)
    respondents = _count(row, header, RESPONDENTS)
    invited = _count(row, header, INVITED)
    if respondents > invited:
        raise DomainError(
            "survey.more_respondents_than_invited", line=row.line, respondents=respondents, invited=invited
        )
    return SurveyFigures(
        respondents=respondents,
        invited=invited,
        qwl_index=_percentage(row, header, QWL, scale),
        dimensions={d: _percentage(row, header, d.value, scale) for d in Dimension},
    )


def _not_shown(text: str) -> bool:
    """A blank cell or a dash: how vendors write a figure they leave out for too few respondents."""
    return text.strip() in NOT_SHOWN


def _optional_count(row: SheetRow, header: _Header, kind: str) -> int | None:
    return None if _not_shown(row.cell(header.columns[kind])) else _count(row, header, kind)


def _count(row: SheetRow, header: _Header, kind: str) -> int:
    text = _present(row, header, kind)
    value = _number(text)
    if value is None or value < 0 or value != int(value):
        column, letter = header.name(kind)
        raise DomainError("survey.bad_count", line=row.line, column=column, letter=letter, value=text)
    return int(value)


def _percentage(row: SheetRow, header: _Header, kind: str, scale: float) -> float:
    text = _present(row, header, kind)
    value = _number(text)
    column, letter = header.name(kind)
    if value is None:
        raise DomainError("survey.bad_number", line=row.line, column=column, letter=letter, value=text)
    value = round(value * scale, 6)  # 0.715 × 100 is 71.49999999999999 in binary floating point
    if not 0 <= value <= 100:
        raise DomainError("survey.out_of_range", line=row.line, column=column, letter=letter, value=text)
    return value


def _present(row: SheetRow, header: _Header, kind: str) -> str:
    text = row.cell(header.columns[kind])
    if not text:
        column, letter = header.name(kind)
        raise DomainError("survey.missing_value", line=row.line, column=column, letter=letter)
    return text


def _number(text: str) -> float | None:
    """71,5 %, 71.5, 71,5, "1 234" (a space between thousands) or 0,715 as a float; None when not a number."""
    plain = re.sub(r"[\s\u00a0\u202f]", "", text).removesuffix("%").removeprefix("%")
    if not _NUMBER.fullmatch(plain):
        return None
    value = float(plain.replace(",", "."))
    return value if math.isfinite(value) else None


class _UnitMatcher:
    """A row's unit label to a team by key or name, case and diacritics ignored; None for the whole organisation."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.by_key = {normalise(t.key): t for t in organisation.teams}
        self.by_name: dict[str, list[Team]] = {}
        for team in organisation.teams:
            self.by_name.setdefault(normalise(team.name), []).append(team)

    def match(self, label: str, line: int) -> Team | None:
        wanted = normalise(label)
        if wanted in self.by_key:
            return self.by_key[wanted]
        if wanted == normalise(self.organisation.name) or wanted in ORGANISATION_WORDS:
            return None
        named = self.by_name.get(wanted, [])
        if len(named) == 1:
            return named[0]
        if named:
            keys = ", ".join(t.key for t in named)
            raise DomainError("survey.ambiguous_unit", line=line, unit=label, keys=keys)
        known = ", ".join(t.name for t in sorted(self.organisation.teams, key=lambda t: t.name))
        raise DomainError("survey.unknown_unit", line=line, unit=label, units=known)
