"""Reading a survey results file (.xlsx or .csv) into numbered text rows for bot.survey_import; writing its template."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from bot.errors import DomainError
from bot.i18n import translate
from bot.organisation import Organisation
from bot.survey_columns import template_headers
from bot.survey_import import HEADER_SEARCH_ROWS, SheetRow

FORMATS = (".xlsx", ".csv")
MAX_ROWS = 10_000  # far more units than any organisation has; a bigger sheet is not a results table


def read_survey_file(path: Path) -> list[SheetRow]:
    """The rows of a .xlsx or .csv file named by its path."""
    if path.suffix.lower() not in FORMATS:
        raise DomainError("survey.bad_format", name=path.name)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DomainError("survey.file_not_found", path=str(path)) from None
    except OSError as error:
        raise DomainError("survey.bad_file", reason=error.strerror or str(error)) from None
    return read_survey_bytes(path.name, content)


def read_survey_bytes(name: str, content: bytes) -> list[SheetRow]:
    """The rows of an uploaded file, its format told by its name's ending."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(content)
    if suffix == ".xlsx":
        return _xlsx_rows(content)
    raise DomainError("survey.bad_format", name=name)


def _csv_rows(content: bytes) -> list[SheetRow]:
    try:
        text = content.decode("utf-8-sig")  # Excel saves "CSV UTF-8" with a byte-order mark
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # Excel's plain "CSV" on a Finnish or Swedish Windows; every byte decodes
    delimiter = _delimiter(text)
    # newline="": the csv module reads line ends itself; line_num counts physical lines, quoted line breaks included.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SheetRow] = []
    line = 1
    try:
        for cells in reader:
            rows.append(SheetRow(line, tuple(cells)))
            line = reader.line_num + 1
            if len(rows) > MAX_ROWS:
                raise DomainError("survey.bad_file", reason=f"more than {MAX_ROWS} rows")
    except csv.Error as error:
        raise DomainError("survey.bad_file", reason=f"line {reader.line_num}: {error}") from None
    return rows


def _delimiter(text: str) -> str:
    """Semicolon (Finnish and Swedish Excel, whose decimal comma takes the comma), else tab, else comma."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    return ";" if ";" in head else "\t" if "\t" in head else ","


def _xlsx_rows(content: bytes) -> list[SheetRow]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise DomainError("survey.bad_file", reason="not an Excel workbook (.xlsx)") from None
    try:
        sheets = [_sheet_rows(sheet.iter_rows(min_row=1)) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    # A vendor's workbook may open with a cover sheet: the results are on the first sheet that has a table.
    from bot.survey_columns import FIGURES, column_kind

    for rows in sheets:
        for row in rows[:HEADER_SEARCH_ROWS]:
            if len({column_kind(c) for c in row.cells} & set(FIGURES)) >= 3:
                return rows
    return sheets[0] if sheets else []


def _sheet_rows(raw: Iterable[Sequence[object]]) -> list[SheetRow]:
    rows: list[SheetRow] = []
    for number, cells in enumerate(raw, start=1):
        if number > MAX_ROWS:
            raise DomainError("survey.bad_file", reason=f"more than {MAX_ROWS} rows")
        texts = tuple(_cell_text(cell) for cell in cells)
        rows.append(SheetRow(number, texts))  # iter_rows() starts at row 1 and skips none, so the count is the row
    return rows


def _cell_text(cell: object) -> str:
    value = getattr(cell, "value", cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        # A cell formatted as a percentage holds 0.78 for 78 %: written with its sign, it reads as the figure shown.
        percent = "%" in str(getattr(cell, "number_format", "") or "")
        number = round(value * 100, 6) if percent else value
        text = str(int(number)) if float(number).is_integer() else repr(float(number))
        return f"{text} %" if percent else text
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# --- the template -------------------------------------------------------------------------------------------------


def write_survey_template(path: Path, organisation: Organisation, language: str) -> int:
    """Write the file to fill in (.csv or .xlsx by the name's ending): headers and a row per unit; the unit count."""
    if path.suffix.lower() not in FORMATS:
        raise DomainError("survey.bad_format", name=path.name)
    rows = template_rows(organisation, language)
    try:
        if path.suffix.lower() == ".csv":
            path.write_bytes(template_csv(rows))
        else:
            path.write_bytes(template_xlsx(rows, translate(language, "survey.template.sheet")))
    except OSError as error:
        raise DomainError("survey.bad_file", reason=error.strerror or str(error)) from None
    return len(rows) - 2


def template_rows(organisation: Organisation, language: str) -> list[list[str]]:
    """The header, the whole organisation's row, then every unit by name (by key when two share a name)."""
    names = [t.name.casefold() for t in organisation.teams]
    units = [t.name if names.count(t.name.casefold()) == 1 else t.key for t in organisation.teams]
    return [template_headers(language), [organisation.name], *([unit] for unit in sorted(units, key=str.casefold))]


def template_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Semicolons and a byte-order mark: Finnish and Swedish Excel open it into columns, ä and ö intact."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    width = len(rows[0])
    for row in rows:
        writer.writerow([*row, *([""] * (width - len(row)))])
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx(rows: Sequence[Sequence[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
