"""Survey results files as people and vendors save them: CSV in every dialect we meet, and Excel workbooks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from adapters.files.survey_file import read_survey_bytes, read_survey_file, write_survey_template
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.organisation import Organisation, Team
from bot.survey import SurveyResults
from bot.survey_import import check_survey
from tests.paths import FIXTURES

SURVEYS = FIXTURES / "survey"
ORG = Organisation(
    1,
    "Esimerkkilän kunta",
    teams=(
        Team(10, "perusturva", "Perusturva"),
        Team(11, "kotihoito", "Kotihoito", 10),
        Team(12, "ruokapalvelu", "Ruokapalvelu", 10),
    ),
)
KOTIHOITO = 11
HEADER = ["Yksikkö", "Vastaajia", "Kutsuttuja", "QWL-indeksi", *(d.value for d in Dimension)]


def imported(path: Path) -> SurveyResults:
    return check_survey(read_survey_file(path), ORG, 2027)


def assert_home_care(results: SurveyResults) -> None:
    figures = results.units[KOTIHOITO]
    assert (figures.respondents, figures.invited, figures.qwl_index) == (12, 14, 73.2)
    assert figures.dimensions[Dimension.SAFETY] == 81.0 and figures.dimensions[Dimension.CULTURE] == 72.0
    assert figures.dimensions[Dimension.SUPERVISOR_WORK] == 74.0
    assert results.organisation.respondents == 21 and results.organisation.qwl_index == 71.5


def test_semicolons_decimal_commas_percent_signs_and_a_byte_order_mark() -> None:
    results = imported(SURVEYS / "fi_semicolon_decimal_comma.csv")
    assert_home_care(results)
    assert set(results.units) == {10, 11, 12}
    assert results.units[12].qwl_index == 70.1


def test_swedish_headers_commas_decimal_points_and_an_extra_column() -> None:
    results = imported(SURVEYS / "sv_headers_comma.csv")
    assert_home_care(results)
    assert set(results.units) == {KOTIHOITO}


def test_english_headers_in_another_order_below_a_title() -> None:
    results = imported(SURVEYS / "en_headers_reordered.csv")
    assert_home_care(results)
    assert results.units[12].dimensions[Dimension.GOALS] == 68.0


def test_dimensions_by_name_instead_of_code() -> None:
    assert_home_care(imported(SURVEYS / "fi_dimension_names.csv"))


def test_a_bad_number_is_named_with_the_files_own_line_and_column() -> None:
    with pytest.raises(DomainError) as caught:
        imported(SURVEYS / "fi_bad_number.csv")
    assert caught.value.message("fi") == "Rivi 3, sarake Osaaminen (I): ”8,2,0 %” ei ole luku."


def test_a_quoted_line_break_keeps_the_line_numbers_of_the_file() -> None:
    text = (
        ";".join(HEADER)
        + '\n"Esimerkkilän\nkunta";21;25;71,5;78;74;69;72;80;65;61;70\nKotihoito;12;14;x;81;77;71;74;82;67;63;72\n'
    )
    with pytest.raises(DomainError) as caught:
        check_survey(read_survey_bytes("tulokset.csv", text.encode()), ORG, 2027)
    assert caught.value.params["line"] == 4


def test_excels_plain_csv_in_windows_1252_is_read() -> None:
    text = ";".join(HEADER) + "\nEsimerkkilän kunta;21;25;71,5;78;74;69;72;80;65;61;70\n"
    results = check_survey(read_survey_bytes("tulokset.csv", text.encode("cp1252")), ORG, 2027)
    assert results.organisation.respondents == 21


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_excel_workbook_with_a_cover_sheet_percent_cells_and_numbers() -> None:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Kansilehti"
    cover.append(["Työhyvinvointikysely 2027"])
    sheet = workbook.create_sheet("Tulokset")
    sheet.append(["QWL – tulokset yksiköittäin"])
    sheet.append([])
    sheet.append(["Yksikkö", "Vastaajia", "Kutsuttuja", "QWL-indeksi", "FE", "YI", "PL", "Esimiestoiminta"])
    sheet["I3"], sheet["J3"], sheet["K3"], sheet["L3"] = "Osaaminen", "Johtaminen", "Prosessit", "Toimintakulttuuri"
    sheet.append(["Esimerkkilän kunta", 21, 25, 0.715, 0.78, 0.74, 0.69, 0.72, 0.8, 0.65, 0.61, 0.7])
    sheet.append(["Kotihoito", 12.0, 14, 0.732, 0.81, 0.77, 0.71, 0.74, 0.82, 0.67, 0.63, 0.72])
    for row in sheet.iter_rows(min_row=4, min_col=4):
        for cell in row:
            cell.number_format = "0.0%"
    results = check_survey(read_survey_bytes("tulokset.xlsx", workbook_bytes(workbook)), ORG, 2027)
    assert_home_care(results)


def test_an_excel_error_names_the_sheets_row() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["Esimerkkilän kunta", 21, 25, 71.5, 78, 74, 69, 72, 80, 65, 61, 70])
    sheet.append(["Sauna", 3, 4, 70, 70, 70, 70, 70, 70, 70, 70, 70])
    with pytest.raises(DomainError) as caught:
        check_survey(read_survey_bytes("tulokset.xlsx", workbook_bytes(workbook)), ORG, 2027)
    assert caught.value.message("en").startswith("Line 3: the organisation has no unit “Sauna”.")


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("tulokset.xlsx", b"not a zip at all", "survey.bad_file"),
        ("tulokset.ods", b"whatever", "survey.bad_format"),
        ("tulokset.csv", b'a;"b\n', "survey.no_header"),
    ],
)
def test_a_file_that_is_no_table_is_one_clear_error(name: str, content: bytes, key: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_survey(read_survey_bytes(name, content), ORG, 2027)
    assert caught.value.key == key


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        read_survey_file(tmp_path / "ei-ole.csv")
    assert caught.value.key == "survey.file_not_found"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_template_lists_the_units_and_reads_back_once_filled_in(tmp_path: Path, language: str, suffix: str) -> None:
    path = tmp_path / f"pohja{suffix}"
    assert write_survey_template(path, ORG, language) == 3
    if suffix == ".csv":
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
        assert lines[1:] == [
            f"{name};;;;;;;;;;;" for name in ("Esimerkkilän kunta", "Kotihoito", "Perusturva", "Ruokapalvelu")
        ]
        filled = "\n".join(
            [lines[0], *(line.replace(";;;;;;;;;;;", ";9;10;70;81;77;71;74;82;67;63;72") for line in lines[1:])]
        )
        path.write_text(filled, encoding="utf-8")
    else:
        workbook = load_workbook(path)
        sheet = workbook.active
        assert sheet is not None
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
            "Esimerkkilän kunta",
            "Kotihoito",
            "Perusturva",
            "Ruokapalvelu",
        ]
        for column, value in enumerate((9, 10, 70, 81, 77, 71, 74, 82, 67, 63, 72), start=2):
            for row_number in range(2, 6):
                sheet.cell(row=row_number, column=column, value=value)
        workbook.save(path)
    results = imported(path)
    assert set(results.units) == {10, 11, 12}
    assert results.units[KOTIHOITO].dimensions[Dimension.SAFETY] == 81.0
