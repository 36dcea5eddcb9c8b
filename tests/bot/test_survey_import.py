"""The survey file's rules: columns found by any language's header, units by key or name, each problem named by line."""

from __future__ import annotations

import pytest

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.organisation import Organisation, Team
from bot.survey_columns import column_kind, column_letter, template_headers
from bot.survey_import import SheetRow, check_survey

ORG = Organisation(
    1,
    "Esimerkkilän kunta",
    teams=(
        Team(10, "perusturva", "Perusturva"),
        Team(11, "kotihoito", "Kotihoito", 10),
        Team(12, "ruoka", "Ruokapalvelu", 10),
    ),
)
HEADER = (
    "Yksikkö;Vastaajia;Kutsuttuja;QWL-indeksi;FE;YI;PL;Esimiestoiminta;Osaaminen;Johtaminen;Prosessit;Toimintakulttuuri"
)


def rows(*lines: str, first: int = 1) -> list[SheetRow]:
    return [SheetRow(number, tuple(line.split(";"))) for number, line in enumerate(lines, start=first)]


SAMPLE = rows(
    HEADER,
    "Esimerkkilän kunta;21;25;71,5 %;78 %;74 %;69 %;72 %;80 %;65 %;61 %;70 %",
    "Perusturva;3;4;68,0 %;75 %;70 %;66 %;70 %;78 %;60 %;58 %;69 %",
    "Kotihoito;12;14;73,2 %;81 %;77 %;71 %;74 %;82 %;67 %;63 %;72 %",
)


def problem(sheet: list[SheetRow], year: int = 2027) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_survey(sheet, ORG, year)
    return caught.value


def test_the_sample_shape_reads_into_the_organisation_and_its_units() -> None:
    results = check_survey(SAMPLE, ORG, 2027)
    assert results.year == 2027
    assert results.organisation.respondents == 21 and results.organisation.invited == 25
    assert results.organisation.qwl_index == 71.5
    assert results.organisation.dimensions[Dimension.SUPERVISOR_WORK] == 72.0
    assert set(results.units) == {10, 11}
    home_care = results.units[11]
    assert home_care.dimensions == {
        Dimension.SAFETY: 81.0,
        Dimension.BELONGING: 77.0,
        Dimension.GOALS: 71.0,
        Dimension.SUPERVISOR_WORK: 74.0,
        Dimension.COMPETENCE: 82.0,
        Dimension.LEADERSHIP: 67.0,
        Dimension.PROCESSES: 63.0,
        Dimension.CULTURE: 72.0,
    }
    assert round(home_care.response_rate, 1) == 85.7
    assert results.units[10].below_risk_limit() == (Dimension.SAFETY, Dimension.BELONGING, Dimension.GOALS)
    assert home_care.below_risk_limit() == ()


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Yksikön nimi", "unit"),
        ("Enhet", "unit"),
        ("Vastaajat (n)", "respondents"),
        ("Antal svarande", "respondents"),
        ("Invited", "invited"),
        ("QWL-index %", "qwl"),
        ("fe", "FE"),
        ("FE (%)", "FE"),
        ("Fyysinen ja emotionaalinen turvallisuus", "FE"),
        ("FE Fyysinen ja emotionaalinen turvallisuus", "FE"),
        ("Samhörighet och identitet", "YI"),
        ("Goals and creativity", "PL"),
        ("Esihenkilötyö", "SW"),
        ("ESIMIESTOIMINTA", "SW"),
        ("Chefsarbete", "SW"),
        ("Kunnande (CO)", "CO"),
        ("Leadership", "LE"),
        ("Processer", "PR"),
        ("Operating culture", "OC"),
        ("Vastausprosentti", None),
        ("Kommentti", None),
    ],
)
def test_headers_are_known_in_every_language_by_code_or_name(header: str, kind: str | None) -> None:
    assert column_kind(header) == kind


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_templates_headers_read_back_as_every_column(language: str) -> None:
    kinds = [column_kind(h) for h in template_headers(language)]
    assert kinds == ["unit", "respondents", "invited", "qwl", *(d.value for d in Dimension)]


def test_columns_in_any_order_a_title_above_units_by_key_and_a_blank_line_are_read() -> None:
    sheet = rows(
        "Työhyvinvointikysely 2027 – tulokset",
        "",
        "PL;YI;FE;Operating culture;Processes;Leadership;Competence;Supervisor work;QWL index;Invited;Respondents;Unit",
        "69.0;74;78;70;61;65;80;72;71.5;25;21;Whole organisation",
        "71;77;81;72;63;67;82;74;73.2;14;12;KOTIHOITO",
        "",
    )
    results = check_survey(sheet, ORG, 2027)
    assert results.organisation.respondents == 21 and results.organisation.dimensions[Dimension.GOALS] == 69.0
    assert results.units[11].qwl_index == 73.2 and results.units[11].dimensions[Dimension.CULTURE] == 72.0


def test_a_unit_is_found_by_name_without_case_or_diacritics_and_an_empty_unit_header_is_the_unit() -> None:
    sheet = rows(
        ";Vastaajia;Kutsuttuja;QWL;FE;YI;PL;SW;CO;LE;PR;OC",
        "esimerkkilan kunta;21;25;71,5;78;74;69;72;80;65;61;70",
        "RUOKAPALVELU;6;7;70,1;76;72;68;71;79;66;60;68",
    )
    results = check_survey(sheet, ORG, 2027)
    assert results.units[12].respondents == 6


def test_fractions_everywhere_are_read_as_percentages() -> None:
    sheet = rows(HEADER, "Koko organisaatio;21;25;0,715;0,78;0,74;0,69;0,72;0,8;0,65;0,61;0,7")
    figures = check_survey(sheet, ORG, 2027).organisation
    assert figures.qwl_index == 71.5 and figures.dimensions[Dimension.COMPETENCE] == 80.0


@pytest.mark.parametrize(
    ("sheet", "key", "params"),
    [
        (
            rows(
                HEADER, "Esimerkkilän kunta;21;25;71,5;78;74;69;72;80;65;61;70", "Sauna;3;4;68;75;70;66;70;78;60;58;69"
            ),
            "survey.unknown_unit",
            {"line": 3, "unit": "Sauna", "units": "Kotihoito, Perusturva, Ruokapalvelu"},
        ),
        (
            rows(HEADER, "Esimerkkilän kunta;21;25;71,5;7x %;74;69;72;80;65;61;70"),
            "survey.bad_number",
            {"line": 2, "column": "FE", "letter": "E", "value": "7x %"},
        ),
        (
            rows(HEADER, "Esimerkkilän kunta;21;25;71,5;78;74;69;72;180;65;61;70"),
            "survey.out_of_range",
            {"line": 2, "column": "Osaaminen", "letter": "I", "value": "180"},
        ),
        (
            rows(HEADER, "Esimerkkilän kunta;21,5;25;71,5;78;74;69;72;80;65;61;70"),
            "survey.bad_count",
            {"line": 2, "column": "Vastaajia", "letter": "B", "value": "21,5"},
        ),
        (
            rows(HEADER, "Esimerkkilän kunta;21;25;71,5;78;74;;72;80;65;61;70"),
            "survey.missing_value",
            {"line": 2, "column": "PL", "letter": "G"},
        ),
        (
            rows(HEADER, "Esimerkkilän kunta;26;25;71,5;78;74;69;72;80;65;61;70"),
            "survey.more_respondents_than_invited",
            {"line": 2, "respondents": 26, "invited": 25},
        ),
        (
            rows(
                HEADER, "Kotihoito;12;14;73,2;81;77;71;74;82;67;63;72", "kotihoito;12;14;73,2;81;77;71;74;82;67;63;72"
            ),
            "survey.duplicate_unit",
            {"line": 3, "unit": "kotihoito", "first": 2},
        ),
        (
            rows(HEADER, "Kotihoito;12;14;73,2;81;77;71;74;82;67;63;72"),
            "survey.no_organisation_row",
            {"organisation": "Esimerkkilän kunta"},
        ),
        (rows(HEADER.replace(";Johtaminen", ";Muuta")), "survey.missing_column.LE", {"line": 1}),
        (rows(HEADER.replace("Kutsuttuja", "Kohderyhmä;Invited")), "survey.duplicate_column", {"line": 1}),
        (rows("a;b;c", "1;2;3"), "survey.no_header", {}),
        (rows(HEADER), "survey.no_rows", {"line": 1}),
    ],
)
def test_each_problem_is_named_by_line_and_column(sheet: list[SheetRow], key: str, params: dict[str, object]) -> None:
    error = problem(sheet)
    assert error.key == key
    assert {name: error.params[name] for name in params} == params


def test_an_error_reads_naturally_in_every_language() -> None:
    error = problem(rows(HEADER, "Esimerkkilän kunta;21;25;71,5;7x %;74;69;72;80;65;61;70"))
    assert error.message("fi") == "Rivi 2, sarake FE (E): ”7x %” ei ole luku."
    assert error.message("sv") == "Rad 2, kolumn FE (E): ”7x %” är inget tal."
    assert error.message("en") == "Line 2, column FE (E): “7x %” is not a number."
    missing = problem(rows(HEADER.replace(";Osaaminen", "")))
    assert missing.message("fi") == "Otsikkoriviltä 1 puuttuu sarake: Osaaminen."


def test_two_units_of_one_name_need_the_key() -> None:
    twins = Organisation(1, "Kunta", teams=(Team(1, "koti-a", "Kotihoito"), Team(2, "koti-b", "Kotihoito")))
    sheet = rows(HEADER, "Kunta;21;25;71,5;78;74;69;72;80;65;61;70", "Kotihoito;1;1;1;1;1;1;1;1;1;1;1")
    with pytest.raises(DomainError) as caught:
        check_survey(sheet, twins, 2027)
    assert caught.value.key == "survey.ambiguous_unit" and caught.value.params["keys"] == "koti-a, koti-b"
    by_key = [*sheet[:2], SheetRow(3, ("koti-b", *sheet[2].cells[1:]))]
    assert set(check_survey(by_key, twins, 2027).units) == {2}


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_far_off_is_refused(year: int) -> None:
    assert problem(SAMPLE, year).key == "survey.bad_year"


def test_column_letters_go_past_z() -> None:
    assert [column_letter(i) for i in (0, 4, 25, 26, 27, 51, 52)] == ["A", "E", "Z", "AA", "AB", "AZ", "BA"]


@pytest.mark.parametrize(
    "line",
    [
        "Ruokapalvelu;-;-;-;-;-;-;-;-;-;-;-",
        "Ruokapalvelu;4;7;;;;;;;;;",
        "Ruokapalvelu;4;7;–;–;–;–;–;–;–;–;–",
        "ruoka; - ;;-;-;-;-;-;-;-;-;-",
    ],
)
def test_a_unit_the_vendor_left_without_figures_is_read_as_not_shown(line: str) -> None:
    results = check_survey([*SAMPLE, *rows(line, first=5)], ORG, 2027)
    suppressed = results.units[12]
    assert not suppressed.shown
    assert suppressed.qwl_index is None and suppressed.dimensions == {}
    assert suppressed.respondents in (None, 4)
    assert results.units[11].shown and results.units[11].respondents == 12


@pytest.mark.parametrize(
    ("line", "key", "params"),
    [
        ("Ruokapalvelu;4;7;n/a;n/a;n/a;n/a;n/a;n/a;n/a;n/a;n/a", "survey.bad_number", {"line": 5, "value": "n/a"}),
        ("Ruokapalvelu;4;7;70;-;72;68;71;79;66;60;68", "survey.partly_shown", {"line": 5, "column": "FE"}),
        ("Ruokapalvelu;-;7;70;76;72;68;71;79;66;60;68", "survey.count_needed", {"line": 5, "column": "Vastaajia"}),
        ("Ruokapalvelu;x;7;-;-;-;-;-;-;-;-;-", "survey.bad_count", {"line": 5, "value": "x"}),
    ],
)
def test_other_bad_numbers_beside_a_dash_are_still_refused(line: str, key: str, params: dict[str, object]) -> None:
    error = problem([*SAMPLE, *rows(line, first=5)])
    assert error.key == key
    assert {name: error.params[name] for name in params} == params


def test_the_whole_organisation_must_have_its_figures() -> None:
    error = problem(rows(HEADER, "Esimerkkilän kunta;21;25;-;-;-;-;-;-;-;-;-"))
    assert error.key == "survey.organisation_not_shown" and error.params["line"] == 2
    assert error.message("en") == (
        "Line 2: the whole organisation's row has no figures. Only a unit's row may be left without them."
    )
