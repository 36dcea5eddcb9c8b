"""The exports opened as a spreadsheet would open them: sheets, headings, cells, and hidden figures never as numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from adapters.teams.port import BLOCKED
from adapters.web.dashboard.data import calendar_view, organisation_view, team_view, undeliverable_view
from adapters.web.dashboard.export import export_csv, export_xlsx
from bot.i18n import translate
from bot.messages import Address, OutboundMessage
from bot.org_import import OrgSpec, UnitSpec
from bot.organisation import Platform
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.adapters.web.conftest import START, Demo, answer_round
from tests.adapters.web.dashboard.test_dashboard_data import give_up
from tests.storage_helpers import make_org


def workbook_of(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def table(workbook: Workbook, sheet: str) -> list[list[object]]:
    return [list(values) for values in workbook[sheet].iter_rows(values_only=True)]


def section(rows: list[list[object]], first_header: str) -> list[list[object]]:
    """One table of a sheet with several: its header row and the rows up to the blank row after it."""
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    end = next((i for i in range(start, len(rows)) if all(v is None for v in rows[i])), len(rows))
    width = max(i for i, v in enumerate(rows[start]) if v is not None) + 1
    return [r[:width] for r in rows[start:end]]


def record(rows: list[list[object]], name: str) -> dict[object, object]:
    headers = rows[0]
    found = next(r for r in rows[1:] if r[0] == name)
    return dict(zip(headers, found, strict=True))


@pytest.fixture
def workbook(demo: Demo) -> Workbook:
    later = START + timedelta(hours=1)
    dm = Address(Platform.SLACK, user_id="U1", workspace="T1")
    give_up(demo.db, later, [("k1", OutboundMessage(dm, text="Hei", member_id=demo.person("Anna").id))], BLOCKED)
    views = (
        organisation_view(demo.db, later, "fi"),
        team_view(demo.team("kotihoito").id, demo.db, later, "fi"),
        team_view(demo.team("ruokapalvelu").id, demo.db, later, "fi"),
        calendar_view(demo.db, later, "fi"),
        undeliverable_view(demo.db, later, "fi"),
    )
    return workbook_of(export_xlsx(*views))


def test_the_workbook_has_a_sheet_per_view_in_order(workbook: Workbook) -> None:
    assert workbook.sheetnames == [
        "Organisaatio",
        "Trendi Kotihoito",
        "Trendi Ruokapalvelu",
        "Vuosikello 2026",
        "Tavoittamatta",
    ]


def test_the_organisation_sheet_has_the_table_with_real_numbers_and_dates(workbook: Workbook) -> None:
    rows = table(workbook, "Organisaatio")
    assert rows[0][:4] == ["Tiimi", "Yläyksikkö", "Jäseniä", "Suunnitelma sovittu"]
    assert "Fyysinen ja emotionaalinen turvallisuus (%)" in rows[0] and rows[0][-1] == "Syyt"
    assert [r[0] for r in rows[1:]] == ["Ruokapalvelu", "Perusturva", "Kotihoito"]
    koti = record(rows, "Kotihoito")
    assert koti["Jäseniä"] == 14 and koti["Toimenpiteitä jumissa"] == 1 and koti["Päiviä määräaikaan"] == 28
    assert koti["Seuraava seuranta viimeistään"] == datetime(2026, 12, 21)  # a date cell, not text
    assert koti["Fyysinen ja emotionaalinen turvallisuus (%)"] == 67.5 and koti["Vastausprosentti (%)"] == 71.4
    assert koti["Osaaminen (%)"] is None  # never asked: empty
    sheet = workbook["Organisaatio"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_a_hidden_team_has_the_word_hidden_and_never_a_number(workbook: Workbook) -> None:
    hidden = translate("fi", "dashboard.hidden")
    ruoka = record(table(workbook, "Organisaatio"), "Ruokapalvelu")
    result_columns = [h for h in ruoka if isinstance(h, str) and h.endswith("(%)")]
    assert len(result_columns) == 9  # eight dimensions and the response rate
    assert {ruoka[h] for h in result_columns} == {hidden, None}
    assert ruoka["Vastausprosentti (%)"] == hidden
    trend = section(table(workbook, "Trendi Ruokapalvelu"), "Pulssikysely päättyi")
    assert len(trend) == 4
    for values in trend[1:]:
        assert isinstance(values[0], datetime)
        assert all(v == hidden for v in values[1:-1])  # every index and the response rate
        assert values[-1] == 7  # how many were asked is not an answer


def test_a_team_trend_sheet_has_a_row_per_round(workbook: Workbook) -> None:
    rows = section(table(workbook, "Trendi Kotihoito"), "Pulssikysely päättyi")
    assert rows[0] == [
        "Pulssikysely päättyi",
        "Fyysinen ja emotionaalinen turvallisuus (%)",
        "Yhteenkuuluvuus ja identiteetti (%)",
        "Esihenkilötyö (%)",
        "Prosessit (%)",
        "Vastausprosentti (%)",
        "Kysyttyjä",
    ]
    assert rows[3] == [datetime(2026, 11, 2), 67.5, 67.5, 63.9, 60.0, 71.4, 14]


def test_a_team_sheet_has_the_plan_status_and_the_follow_up_clock_as_the_page_shows(workbook: Workbook) -> None:
    rows = section(table(workbook, "Trendi Kotihoito"), "Suunnitelma sovittu")
    assert rows[0] == [
        "Suunnitelma sovittu",
        "Kehittämiskohteita",
        "Toimenpiteitä valmiina",
        "Toimenpiteitä käynnissä",
        "Toimenpiteitä jumissa",
        "Toimenpiteitä suunniteltu",
        "Viimeisin seuranta",
        "Seuraava seuranta viimeistään",
        "Päiviä määräaikaan",
    ]
    assert rows[1] == [datetime(2026, 3, 16), 2, 2, 1, 1, 0, datetime(2026, 9, 21), datetime(2026, 12, 21), 28]
    assert workbook["Trendi Kotihoito"].freeze_panes == "A2"
    overdue = section(table(workbook, "Trendi Ruokapalvelu"), "Suunnitelma sovittu")
    assert overdue[1][-3:] == [datetime(2026, 7, 20), datetime(2026, 10, 20), -34]  # past the 3-month limit


def test_a_team_sheet_has_each_target_with_its_actions_and_successes(workbook: Workbook) -> None:
    targets = section(table(workbook, "Trendi Kotihoito"), "Kehittämiskohde")
    assert targets[0] == [
        "Kehittämiskohde",
        "Tavoite",
        "Osa-alueet",
        "Käytännön toiminta",
        "Seuranta ja arviointi",
        "Toimenpiteitä valmiina",
        "Toimenpiteitä käynnissä",
        "Toimenpiteitä jumissa",
        "Toimenpiteitä suunniteltu",
        "Liitettyjä onnistumisia",
    ]
    assert targets[1][:3] == [
        "Kehittämiskohde 1: Työvuorot ennakoitaviksi",
        "Vuorolista on valmiina kolme viikkoa etukäteen.",
        "Prosessit, Fyysinen ja emotionaalinen turvallisuus",
    ]
    assert targets[1][3].startswith("Toiveet kerätään") and targets[1][4].startswith("Tiimipalaverissa")
    assert targets[1][5:] == [1, 1, 0, 0, 2]
    assert targets[2][0] == "Kehittämiskohde 2: Palautetta säännöllisesti" and targets[2][5:] == [1, 0, 1, 0, 0]
    assert len(targets) == 3


def test_a_team_sheet_has_every_action_with_its_owner_schedule_status_and_lateness(workbook: Workbook) -> None:
    actions = section(table(workbook, "Trendi Kotihoito"), "Kohde nro")
    header = ["Kohde nro", "Toimenpide", "Vastuuhenkilö", "Aikataulu", "Aikataulu sanoin", "Tilanne", "Myöhässä"]
    assert actions[0] == header
    assert actions[1:] == [
        [1, "Yhteinen toivetaulukko käyttöön", "Anna Korhonen", datetime(2026, 4, 13), None, "tehty", None],
        [1, "Varahenkilöiden lista päivitetään", "Elina Salo", datetime(2026, 6, 8), None, "käynnissä", "kyllä"],
        [2, "Onnistumiset viikkopalaverin vakiokohdaksi", "Pirjo Mäkelä", None, None, "tehty", None],
        [
            2,
            "Kahdenkeskiset keskustelut kaikkien kanssa",
            "Pirjo Mäkelä",
            datetime(2026, 8, 3),
            None,
            "jumissa",
            "kyllä",
        ],
    ]


def test_a_team_sheet_has_the_plans_history_with_what_was_decided(workbook: Workbook) -> None:
    history = section(table(workbook, "Trendi Kotihoito"), "Seuranta pidetty")
    assert history[0] == ["Seuranta pidetty", "Mitä sovittiin"]
    assert [row[0] for row in history[1:]] == [datetime(2026, 6, 1), datetime(2026, 8, 3), datetime(2026, 9, 21)]
    assert history[1][1].startswith("Toivetaulukko on käytössä.") and history[2][1] is None


def test_a_team_sheet_has_successes_per_month_for_the_last_year(workbook: Workbook) -> None:
    months = section(table(workbook, "Trendi Kotihoito"), "Kuukausi")
    assert months[0] == ["Kuukausi", "Onnistumisia"]
    assert len(months) == 13 and months[1] == ["joulu 2025", 0]
    assert months[-2:] == [["loka 2026", 1], ["marras 2026", 2]]


def test_a_team_sheet_never_holds_a_persons_answers(workbook: Workbook, demo: Demo) -> None:
    # Only aggregates and the plan go out: no member's name, and the hidden team's figures stay words.
    cells = {v for r in table(workbook, "Trendi Ruokapalvelu") for v in r if isinstance(v, str)}
    names = {m.name for m in OrganisationRepository(demo.db).members()}
    assert not cells & names
    trend = section(table(workbook, "Trendi Ruokapalvelu"), "Pulssikysely päättyi")
    assert not any(isinstance(v, float) for r in trend[1:] for v in r)


def test_a_team_without_a_plan_still_has_the_clock_row(db: Database) -> None:
    org = make_org(db, {"a": 6})
    sheet = workbook_of(export_xlsx(team_view(org.teams[0].id, db, START, "en")))["Trend A"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Plan agreed" and rows[1] == [None, 0, 0, 0, 0, 0, None, None, None]
    assert "Target" not in [r[0] for r in rows]  # no plan, no targets table


def test_the_calendar_and_undeliverable_sheets(workbook: Workbook) -> None:
    calendar = table(workbook, "Vuosikello 2026")
    assert calendar[0] == ["Päivä", "Vaihe", None, None, None]
    assert calendar[1][:2] == [datetime(2026, 1, 15), "Työhyvinvointikysely"]
    teams_header = calendar.index(
        ["Tiimi", "Suunnitelma sovittu", "Pidetyt seurannat", "Seuraava seuranta viimeistään", "Seuranta myöhässä"]
    )
    assert calendar[teams_header + 2] == [
        "Kotihoito",
        datetime(2026, 3, 16),
        "1.6.2026, 3.8.2026, 21.9.2026",
        datetime(2026, 12, 21),
        "ei",
    ]
    assert calendar[teams_header + 3][-1] == "kyllä"
    undelivered = table(workbook, "Tavoittamatta")
    assert undelivered[0] == ["Henkilö", "Tiimit", "Alusta", "Syy", "Epäonnistuneita viestejä", "Milloin"]
    reason = "Henkilö on estänyt botin"  # the outbox's English reason in the workbook's language
    assert undelivered[1] == ["Anna Korhonen", "Kotihoito", "slack", reason, 1, datetime(2026, 11, 23, 11, 0)]


def test_the_csv_is_the_organisation_table_in_the_spreadsheet_dialect_of_the_language(demo: Demo) -> None:
    finnish = export_csv(organisation_view(demo.db, START, "fi"))
    rows = list(csv.reader(io.StringIO(finnish), delimiter=";"))
    assert rows[0][0] == "Tiimi" and len(rows) == 4 and finnish.endswith("\r\n")
    koti = dict(zip(rows[0], next(r for r in rows if r[0] == "Kotihoito"), strict=True))
    assert koti["Fyysinen ja emotionaalinen turvallisuus (%)"] == "67,5"
    assert koti["Seuraava seuranta viimeistään"] == "2026-12-21" and koti["Päiviä määräaikaan"] == "28"
    ruoka = dict(zip(rows[0], next(r for r in rows if r[0] == "Ruokapalvelu"), strict=True))
    assert ruoka["Vastausprosentti (%)"] == "piilotettu" and ruoka["Päiviä määräaikaan"] == "-34"

    english = list(csv.reader(io.StringIO(export_csv(organisation_view(demo.db, START, "en")))))
    koti_en = dict(zip(english[0], next(r for r in english if r[0] == "Kotihoito"), strict=True))
    assert koti_en["Physical and emotional safety (%)"] == "67.5"
    ruoka_en = dict(zip(english[0], next(r for r in english if r[0] == "Ruokapalvelu"), strict=True))
    assert {ruoka_en[h] for h in english[0] if h.endswith("(%)")} == {"hidden", ""}


def test_each_team_row_holds_one_rounds_figures_with_that_rounds_date(db: Database) -> None:
    # The older round asked about safety, the newer only about belonging: the row is the newer round, whole.
    org = make_org(db, {"a": 7})
    answer_round(db, org, START - timedelta(weeks=5), {"a": [1] * 6}, questions=("FE1",))
    answer_round(db, org, START - timedelta(weeks=1), {"a": [5] * 6}, questions=("YI1",))
    view = organisation_view(db, START, "en")
    rows = list(csv.reader(io.StringIO(export_csv(view))))
    only = dict(zip(rows[0], rows[1], strict=True))
    assert only["Pulse round closed"] == (START - timedelta(weeks=1)).date().isoformat()
    assert only["Belonging and identity (%)"] == "100.0"
    assert only["Physical and emotional safety (%)"] == ""  # not the older round's 0.0 beside the newer round
    assert "Physical" not in only["Reasons"]
    sheet = record(table(workbook_of(export_xlsx(view)), "Organisation"), "A")
    assert sheet["Pulse round closed"] == datetime.combine((START - timedelta(weeks=1)).date(), datetime.min.time())
    assert sheet["Physical and emotional safety (%)"] is None


def test_a_name_that_looks_like_a_formula_stays_text(db: Database) -> None:
    org = make_org(db, {"a": 6})
    formula = '=HYPERLINK("http://example.invalid","click")'
    OrganisationRepository(db).apply_import(
        OrgSpec(None, None, None, None, (UnitSpec("a", formula, None, None, None),), ())
    )
    answer_round(db, org, START - timedelta(days=1), {"a": [4] * 5})
    view = organisation_view(db, START, "en")
    assert view.rows[0].name == formula
    sheet = workbook_of(export_xlsx(view))["Organisation"]
    assert sheet["A2"].value == formula and sheet["A2"].data_type == "s"
    rows = list(csv.reader(io.StringIO(export_csv(view))))
    assert rows[1][0] == "'" + formula  # a spreadsheet shows it, never runs it


def test_long_and_repeated_team_names_give_valid_unique_sheet_names(demo: Demo) -> None:
    koti = team_view(demo.team("kotihoito").id, demo.db, START, "en")
    long_name = replace(koti, name="Kotihoito ja kotisairaanhoito: ilta/yö [Itä]")
    names = workbook_of(export_xlsx(long_name, long_name, koti)).sheetnames
    assert names == ["Trend Kotihoito ja kotisairaanh", "Trend Kotihoito ja kotisair (2)", "Trend Kotihoito"]
    assert all(len(n) <= 31 for n in names)


def test_nothing_to_export_is_refused() -> None:
    with pytest.raises(ValueError):
        export_xlsx()


def test_the_export_never_holds_more_than_the_views(demo: Demo) -> None:
    # The organisation view is the only source of the table: an index hidden there cannot appear in a file.
    view = organisation_view(demo.db, START, "en")
    hidden_cells = sum(1 for r in view.rows for c in r.indices if c.state.value == "hidden")
    rows = list(csv.reader(io.StringIO(export_csv(view))))
    assert sum(cell == "hidden" for r in rows[1:] for cell in r) == hidden_cells + 1  # + ruokapalvelu's rate
    assert date(2026, 11, 2).isoformat() in rows[1]
