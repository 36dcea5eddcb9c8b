"""Exports of the dashboard's views: an Excel workbook with a sheet per view, and the organisation table as CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from adapters.web.dashboard.evaluation_data import EvaluationsView
from adapters.web.dashboard.export_cells import HIDDEN, Cell, Hidden, protected
from adapters.web.dashboard.export_plan import evaluations_table, plan_tables
from adapters.web.dashboard.models import (
    CalendarView,
    CellState,
    OrganisationView,
    TeamView,
    UndeliverableView,
)
from bot.calendar import StepKind
from bot.formatting import format_date
from bot.i18n import translate
from bot.plan import ActionStatus

# Only what the views hold goes out: aggregates that passed the anonymity rules, never a person's answers, and a
# hidden figure as the word for "hidden", never as a number.
View = OrganisationView | TeamView | CalendarView | UndeliverableView | EvaluationsView
SHEET_NAME_LIMIT = 31  # Excel's limit; it also refuses []:*?/\ in a sheet name
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A text cell starting like a formula is run by a spreadsheet (OWASP "CSV injection"); these start one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = {"fi": "d.m.yyyy", "sv": "d.m.yyyy", "en": "d mmm yyyy"}


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def organisation_table(view: OrganisationView) -> tuple[list[str], list[list[Cell]]]:
    """The organisation table as headers and typed rows, shared by the CSV and the workbook."""
    language = view.language
    headers = [
        translate(language, f"dashboard.column.{key}")
        for key in (
            "team",
            "parent",
            "members",
            "plan_agreed",
            "targets",
            "done",
            "in_progress",
            "stuck",
            "planned",
            "last_follow_up",
            "next_follow_up",
            "days_left",
        )
    ]
    headers += [translate(language, "dashboard.column.index", dimension=name) for name in view.dimension_names.values()]
    headers += [
        translate(language, f"dashboard.column.{key}")
        for key in ("response_rate", "round", "successes_30d", "risk_score", "risk_reasons")
    ]
    rows: list[list[Cell]] = []
    for row in view.rows:
        cells: list[Cell] = [
            row.name,
            row.parent_name,
            row.members,
            row.plan_agreed_on,
            row.targets,
            row.actions[ActionStatus.DONE],
            row.actions[ActionStatus.IN_PROGRESS],
            row.actions[ActionStatus.STUCK],
            row.actions[ActionStatus.PLANNED],
            row.last_follow_up,
            row.next_follow_up_due,
            row.days_left,
        ]
        by_dimension = {cell.dimension: cell for cell in row.indices}
        for dimension in view.dimension_names:
            index = by_dimension.get(dimension)
            cells.append(_shown(index.state, _percent(index.value), index.protected, view.language) if index else None)
        rate = row.response_rate
        rate_value = _percent(rate.value * 100 if rate.value is not None else None)
        cells.append(_shown(rate.state, rate_value, rate.protected, view.language))
        cells += [rate.closes_on, row.successes_30d, row.risk_score, "; ".join(row.risk_reasons)]
        rows.append(cells)
    return headers, rows


def _shown(state: CellState, value: float | None, hidden_to_protect: bool = False, language: str = "") -> Cell:
    if state is CellState.HIDDEN:
        return protected(language) if hidden_to_protect else HIDDEN
    return value if state is CellState.SHOWN else None


def _team_tables(view: TeamView) -> list[tuple[list[str], list[list[Cell]]]]:
    """The team page's sections in its order: plan status with the follow-up clock, targets, trend, successes."""
    tables = [_plan_status_table(view)]
    if view.plan is not None and view.plan.targets:
        tables += [_targets_table(view), _actions_table(view)]
    if view.follow_ups.held:
        tables.append(_follow_ups_table(view))
    return [*tables, *plan_tables(view), _trend_table(view), _successes_table(view)]


_ACTION_COLUMNS = (
    ("done", ActionStatus.DONE),
    ("in_progress", ActionStatus.IN_PROGRESS),
    ("stuck", ActionStatus.STUCK),
    ("planned", ActionStatus.PLANNED),
)


def _plan_status_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    language = view.language
    keys = ("plan_agreed", "targets", *(key for key, _ in _ACTION_COLUMNS))
    keys += ("last_follow_up", "next_follow_up", "days_left")
    headers = [translate(language, f"dashboard.column.{key}") for key in keys]
    plan, follow_ups = view.plan, view.follow_ups
    counts = plan.action_counts if plan else dict.fromkeys(ActionStatus, 0)
    row: list[Cell] = [plan.agreed_on if plan else None, len(plan.targets) if plan else 0]
    row += [counts[status] for _, status in _ACTION_COLUMNS]
    row += [follow_ups.last, follow_ups.due, follow_ups.days_left]
    return headers, [row]


def _targets_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    """The model's plan columns per target (its actions follow in a table of their own), then counts."""
    language = view.language
    keys = ("target", "goal", "dimensions", "practice", "follow_up_how", *(key for key, _ in _ACTION_COLUMNS))
    keys += ("successes_tied",)
    headers = [translate(language, f"dashboard.column.{key}") for key in keys]
    rows: list[list[Cell]] = []
    for target in view.plan.targets if view.plan else ():
        statuses = [action.status for action in target.actions]
        row: list[Cell] = [
            translate(language, "web.team.target", number=target.number, goal=target.title),
            target.goal,
            ", ".join(target.dimensions),
            target.practice,
            target.follow_up,
        ]
        row += [statuses.count(status) for _, status in _ACTION_COLUMNS]
        rows.append([*row, target.successes])
    return headers, rows


def _actions_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    """Every action with its target, who is responsible, its schedule and status, and whether it is late."""
    language = view.language
    keys = ("target_number", "action", "owner", "due", "due_words", "status", "late")
    headers = [translate(language, f"dashboard.column.{key}") for key in keys]
    yes = translate(language, "dashboard.yes")
    rows: list[list[Cell]] = [
        [
            target.number,
            action.text,
            action.owner,
            action.due_on,
            action.due_words or None,
            action.status_label,
            yes if action.late else None,
        ]
        for target in (view.plan.targets if view.plan else ())
        for action in target.actions
    ]
    return headers, rows


def _follow_ups_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    """The plan's history: each follow-up held and what was decided."""
    headers = [translate(view.language, f"dashboard.column.{key}") for key in ("held_on", "decided")]
    follow_ups = view.follow_ups
    return headers, [[day, " / ".join(follow_ups.notes_of(day)) or None] for day in follow_ups.held]


def _successes_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    headers = [translate(view.language, f"dashboard.column.{key}") for key in ("month", "successes")]
    return headers, [[month.label, month.count] for month in view.successes_by_month]


def _trend_table(view: TeamView) -> tuple[list[str], list[list[Cell]]]:
    language = view.language
    headers = [translate(language, "dashboard.column.round")]
    headers += [translate(language, "dashboard.column.index", dimension=s.name) for s in view.trend]
    headers += [translate(language, f"dashboard.column.{key}") for key in ("response_rate", "invited")]
    days = sorted(
        {p.closes_on for s in view.trend for p in s.points} | {r.closes_on for r in view.response_rates if r.closes_on}
    )
    rows: list[list[Cell]] = []
    for day in days:
        cells: list[Cell] = [day]
        for s in view.trend:
            point = next((p for p in s.points if p.closes_on == day), None)
            if point is None or point.value is not None:
                cells.append(None if point is None else _percent(point.value))
            else:
                cells.append(protected(language) if point.protected else HIDDEN)
        rate = next((r for r in view.response_rates if r.closes_on == day), None)
        if rate is None:
            cells += [None, None]
        else:
            rate_value = _percent(rate.value * 100 if rate.value is not None else None)
            cells.append(_shown(rate.state, rate_value, rate.protected, language))
            cells.append(rate.invited)
        rows.append(cells)
    return headers, rows


def _calendar_tables(view: CalendarView) -> list[tuple[list[str], list[list[Cell]]]]:
    language = view.language
    steps: tuple[list[str], list[list[Cell]]] = (
        [translate(language, f"dashboard.column.{key}") for key in ("date", "step")],
        [[step.on, step.title] for step in view.steps],
    )
    yes, no = translate(language, "dashboard.yes"), translate(language, "dashboard.no")
    teams: tuple[list[str], list[list[Cell]]] = (
        [
            translate(language, f"dashboard.column.{key}")
            for key in ("team", "plan_agreed", "follow_ups_held", "next_follow_up", "overdue")
        ],
        [
            [
                team.name,
                next((m.on for m in team.marks if m.kind is StepKind.PLAN), None),
                ", ".join(format_date(m.on, language) for m in team.marks if m.kind is StepKind.FOLLOW_UP),
                team.next_follow_up_due,
                yes if team.overdue else no,
            ]
            for team in view.teams
        ],
    )
    return [steps, teams]


def _undeliverable_table(view: UndeliverableView) -> tuple[list[str], list[list[Cell]]]:
    keys = ("person", "teams", "platform", "reason", "failed", "when")
    headers = [translate(view.language, f"dashboard.column.{key}") for key in keys]
    rows: list[list[Cell]] = [
        [row.name, ", ".join(row.teams), row.platform, row.reason, row.failed, row.when.replace(tzinfo=None)]
        for row in view.rows
    ]
    return headers, rows


# --- CSV ------------------------------------------------------------------------------------------------------


def export_csv(view: OrganisationView) -> str:
    """The organisation table as CSV, as a spreadsheet of the view's language opens it with a double click.

    Finnish and Swedish spreadsheets expect ";" between fields and a decimal comma; English ones "," and a point.
    Dates are ISO 8601 (2026-11-23), which every spreadsheet reads as a date.
    """
    finnish_style = view.language in ("fi", "sv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if finnish_style else ",", lineterminator="\r\n")
    headers, rows = organisation_table(view)
    hidden = translate(view.language, "dashboard.hidden")
    writer.writerow([_safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell, hidden, finnish_style) for cell in row])
    return buffer.getvalue()


def _csv_cell(cell: Cell, hidden: str, decimal_comma: bool) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Hidden):
        return cell.reason or hidden
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        written = f"{cell:.1f}"
        return written.replace(".", ",") if decimal_comma else written
    if isinstance(cell, int):
        return str(cell)
    return _safe_text(cell)


def _safe_text(value: str) -> str:
    cleaned = str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return "'" + cleaned if cleaned.startswith(_FORMULA_START) else cleaned


# --- Excel ----------------------------------------------------------------------------------------------------


def export_xlsx(*views: View) -> bytes:
    """A workbook with one sheet per view, in the order given: organisation, each team (plan, follow-ups, trend,
    successes), calendar, undeliverable. Sheet names come from the views' languages and stay unique within Excel's
    31 characters."""
    if not views:
        raise ValueError("nothing to export")
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for view in views:
        language = view.language
        if isinstance(view, OrganisationView):
            name = translate(language, "dashboard.export.sheet_organisation")
            tables = [organisation_table(view)]
        elif isinstance(view, TeamView):
            name = translate(language, "dashboard.export.sheet_trend", team=view.name)
            tables = _team_tables(view)
        elif isinstance(view, CalendarView):
            name = translate(language, "dashboard.export.sheet_calendar", year=view.year)
            tables = _calendar_tables(view)
        elif isinstance(view, EvaluationsView):
            name = translate(language, "evaluation.export.sheet")
            tables = [evaluations_table(view.rows, language)]
        else:
            name = translate(language, "dashboard.export.sheet_undeliverable")
            tables = [_undeliverable_table(view)]
        sheet = workbook.create_sheet(_sheet_name(name, used))
        _write_tables(sheet, tables, language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", wanted)).strip("' ") or "Sheet"
    name = base[:SHEET_NAME_LIMIT]
    number = 2
    while name.casefold() in used:  # Excel compares sheet names without case
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(name.casefold())
    return name


# openpyxl ships without type hints, so a worksheet is Any here.
def _write_tables(sheet: Any, tables: Sequence[tuple[list[str], list[list[Cell]]]], language: str) -> None:
    hidden = translate(language, "dashboard.hidden")
    bold = Font(bold=True)
    date_format = DATE_FORMAT.get(language, DATE_FORMAT["fi"])
    widths: dict[int, int] = {}
    row_number = 1
    for headers, rows in tables:
        for column, header in enumerate(headers, start=1):
            cell = sheet.cell(row_number, column, _safe_xlsx_text(header))
            cell.font = bold
            cell.data_type = "s"
            widths[column] = max(widths.get(column, 0), len(header))
        for values in rows:
            row_number += 1
            for column, value in enumerate(values, start=1):
                _write_cell(sheet, row_number, column, value, hidden, date_format)
                widths[column] = max(widths.get(column, 0), len(_width_text(value, hidden)))
        row_number += 2  # a blank row between tables
    if tables:
        sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)


def _write_cell(sheet: Any, row: int, column: int, value: Cell, hidden: str, date_format: str) -> None:
    if value is None:
        return
    if isinstance(value, Hidden):
        cell = sheet.cell(row, column, value.reason or hidden)
        cell.data_type = "s"
        return
    if isinstance(value, date | datetime):
        cell = sheet.cell(row, column, value)
        cell.number_format = date_format + (" h:mm" if isinstance(value, datetime) else "")
        return
    if isinstance(value, str):
        cell = sheet.cell(row, column, _safe_xlsx_text(value))
        cell.data_type = "s"  # openpyxl would take "=..." for a formula; a name is never one
        return
    sheet.cell(row, column, value)


def _safe_xlsx_text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def _width_text(value: Cell, hidden: str) -> str:
    if isinstance(value, Hidden):
        return value.reason or hidden
    if isinstance(value, date):
        return "00.00.0000"
    return "" if value is None else str(value)
