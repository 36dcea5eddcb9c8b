"""The dashboard's front page body: every visible team in one sortable table, the calendar wheel, undeliverables."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from adapters.web.dashboard.evaluation_data import TeamEvaluation
from adapters.web.dashboard.models import (
    CalendarView,
    CellState,
    IndexCell,
    OrganisationRow,
    OrganisationView,
    RateCell,
    UndeliverableView,
)
from adapters.web.dashboard.page_evaluation import evaluations_section
from adapters.web.dashboard.wheel_legend import wheel_with_legend
from adapters.web.page_layout import esc
from bot.dimensions import Dimension
from bot.formatting import format_clock, format_date, format_percent
from bot.i18n import translate
from bot.plan import ActionStatus


@dataclass(frozen=True)
class SortColumn:
    """A column the table can be sorted by: its header key, the value to sort on, and the natural direction."""

    header: str  # dashboard.column.* key
    value: Callable[[OrganisationRow], float | str | None]
    descending: bool  # the first click shows the riskiest end first


SORTS: dict[str, SortColumn] = {
    "risk": SortColumn("dashboard.column.risk_score", lambda r: r.risk_score, True),
    "team": SortColumn("dashboard.column.team", lambda r: r.name.casefold(), False),
    "days_left": SortColumn("dashboard.column.days_left", lambda r: r.days_left, False),
    "stuck": SortColumn("dashboard.column.stuck", lambda r: r.actions.get(ActionStatus.STUCK, 0), True),
    "response_rate": SortColumn("dashboard.column.response_rate", lambda r: r.response_rate.value, False),
    "successes": SortColumn("dashboard.column.successes_30d", lambda r: r.successes_30d, True),
    "members": SortColumn("dashboard.column.members", lambda r: r.members, True),
}
DEFAULT_SORT = "risk"


def sort_rows(rows: tuple[OrganisationRow, ...], sort: str, descending: bool) -> list[OrganisationRow]:
    """The rows in the order asked for; empty values go last either way, ties keep the riskiest-first order."""
    column = SORTS[sort]
    if sort == DEFAULT_SORT:
        return list(rows) if descending else list(reversed(rows))
    known = [(value, r) for r in rows if (value := column.value(r)) is not None]
    unknown = [r for r in rows if column.value(r) is None]
    known.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties stay riskiest first
    return [r for _, r in known] + unknown


def organisation_body(
    view: OrganisationView,
    calendar: CalendarView,
    undeliverable: UndeliverableView | None,
    keys: Mapping[int, str],
    sort: str,
    descending: bool,
    evaluations: tuple[TeamEvaluation, ...] = (),
) -> str:
    """The table, the wheel, the year-end evaluations and (for the wellbeing officer) whom the bot could not reach."""
    language = view.language
    parts = [
        f'<p class="note">{esc(translate(language, "web.threshold_note", threshold=view.threshold))}</p>',
        f'<h2 id="teams">{esc(translate(language, "web.org.heading"))}</h2>',
        _table(view, keys, sort, descending) if view.rows else f"<p>{esc(translate(language, 'web.org.empty'))}</p>",
        f'<p><a href="/dashboard/plans">{esc(translate(language, "print.all"))}</a></p>',
        f'<h2 id="wheel">{esc(translate(language, "web.wheel.heading", year=calendar.year))}</h2>',
        wheel_with_legend(calendar, language, translate(language, "web.wheel.heading", year=calendar.year)),
        evaluations_section(evaluations, language),
    ]
    if undeliverable is not None:
        parts.append(_undeliverable(undeliverable))
    return "".join(parts)


def _table(view: OrganisationView, keys: Mapping[int, str], sort: str, descending: bool) -> str:
    language = view.language
    # Only dimensions some visible team has been asked about get a column; the rest would be empty everywhere.
    dimensions = [d for d in Dimension if _asked(view, d)]
    direction = translate(language, "web.sort.descending" if descending else "web.sort.ascending")
    caption = translate(language, "web.org.caption", column=translate(language, SORTS[sort].header), order=direction)
    head = [
        _sortable("team", language, sort, descending),
        _sortable("risk", language, sort, descending),
        f"<th scope='col'>{esc(translate(language, 'dashboard.column.risk_reasons'))}</th>",
        f"<th scope='col'>{esc(translate(language, 'dashboard.column.plan_agreed'))}</th>",
        _sortable("days_left", language, sort, descending),
        f"<th scope='col'>{esc(translate(language, 'dashboard.column.done'))}</th>",
        f"<th scope='col'>{esc(translate(language, 'dashboard.column.in_progress'))}</th>",
        _sortable("stuck", language, sort, descending),
        _sortable("response_rate", language, sort, descending),
        *(
            f"<th scope='col'>{esc(translate(language, 'dashboard.column.index', dimension=view.dimension_names[d]))}"
            "</th>"
            for d in dimensions
        ),
        _sortable("successes", language, sort, descending),
        _sortable("members", language, sort, descending),
    ]
    body = "".join(_row(row, keys, dimensions, language) for row in sort_rows(view.rows, sort, descending))
    protected = any(row.response_rate.protected or any(c.protected for c in row.indices) for row in view.rows)
    return (
        f'<div class="table-wrap" role="region" aria-labelledby="teams" tabindex="0"><table>'
        f"<caption>{esc(caption)}</caption><thead><tr>{''.join(head)}</tr></thead><tbody>{body}</tbody></table></div>"
    ) + (protected_note(language) if protected else "")


def _asked(view: OrganisationView, dimension: Dimension) -> bool:
    return any(c.state is not CellState.NO_DATA for row in view.rows for c in row.indices if c.dimension is dimension)


def _sortable(key: str, language: str, sort: str, descending: bool) -> str:
    """A header whose link sorts by it; a second click on the current column turns the order around."""
    column = SORTS[key]
    name = translate(language, column.header)
    current = key == sort
    wanted = (not descending) if current else column.descending
    href = f"/dashboard?sort={key}&amp;dir={'desc' if wanted else 'asc'}"
    aria = f' aria-sort="{"descending" if descending else "ascending"}"' if current else ""
    arrow = ("▼" if descending else "▲") if current else ""
    hint = translate(language, "web.sort.by", column=name)
    return (
        f'<th scope="col"{aria}><a href="{href}" title="{esc(hint)}">{esc(name)}'
        f'<span aria-hidden="true"> {arrow}</span></a></th>'
    )


def _row(row: OrganisationRow, keys: Mapping[int, str], dimensions: list[Dimension], language: str) -> str:
    team = f'<a href="/dashboard/team/{esc(keys.get(row.team_id, ""))}">{esc(row.name)}</a>'
    if row.parent_name:
        team += f'<br><span class="note">{esc(row.parent_name)}</span>'
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in row.risk_reasons)
    cells = [
        f'<th scope="row">{team}</th>',
        f'<td class="num">{row.risk_score}</td>',
        f'<td><ul class="reasons">{reasons}</ul></td>' if reasons else "<td></td>",
        f"<td>{_plan_state(row, language)}</td>",
        _days_left(row, language),
        f'<td class="num">{row.actions.get(ActionStatus.DONE, 0)}</td>',
        f'<td class="num">{row.actions.get(ActionStatus.IN_PROGRESS, 0)}</td>',
        f'<td class="num">{row.actions.get(ActionStatus.STUCK, 0)}</td>',
        f'<td class="num">{rate_cell(row.response_rate, language)}</td>',
        *(f'<td class="num">{index_cell(c, language)}</td>' for c in row.indices if c.dimension in dimensions),
        f'<td class="num">{row.successes_30d}</td>',
        f'<td class="num">{row.members}</td>',
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _plan_state(row: OrganisationRow, language: str) -> str:
    if not row.has_plan:
        return esc(translate(language, "dashboard.risk.no_plan"))
    if row.plan_agreed_on is None:
        return esc(translate(language, "dashboard.risk.not_agreed"))
    return esc(format_date(row.plan_agreed_on, language))


def _days_left(row: OrganisationRow, language: str) -> str:
    if row.days_left is None:
        return f'<td class="num">{no_data(language)}</td>'
    if row.overdue:
        # Words, not only a colour and a minus sign, say the limit has passed.
        return f'<td class="overdue">{esc(translate(language, "web.overdue_by", days=-row.days_left))}</td>'
    return f'<td class="num">{row.days_left}</td>'


def no_data(language: str) -> str:
    """A dash that a screen reader reads as words."""
    return f'<span aria-hidden="true">–</span><span class="sr-only">{esc(translate(language, "web.no_data"))}</span>'


def hidden(language: str, protected: bool = False) -> str:
    """The anonymity marker that stands where a figure would be; a protected one points to the note saying why."""
    word = esc(translate(language, "dashboard.hidden"))
    if not protected:
        return f'<span class="hidden-value">{word}</span>'
    reason = esc(translate(language, "dashboard.protected_reason"))
    return (
        f'<span class="hidden-value protected">{word}<sup aria-hidden="true">*</sup>'
        f'<span class="sr-only"> ({reason})</span></span>'
    )


def protected_note(language: str) -> str:
    """Why a figure marked * is hidden although enough people answered."""
    return f'<p class="note protected-note">{esc(translate(language, "dashboard.protected_note"))}</p>'


def index_cell(cell: IndexCell, language: str) -> str:
    """A dimension's index as a percentage, the hidden marker, or a dash when none was asked."""
    if cell.state is CellState.HIDDEN:
        return hidden(language, cell.protected)
    if cell.state is CellState.NO_DATA or cell.value is None:
        return no_data(language)
    if cell.below_risk_limit and cell.risk_limit is not None:
        # Rounded down, as in the risk reasons: 79.6 % must not read 80 % under a limit of 80 %.
        below = translate(language, "web.below_limit", limit=format_percent(cell.risk_limit, language))
        return (
            f'<span class="warn">{esc(format_percent(math.floor(cell.value), language))}'
            f' <span aria-hidden="true">!</span><span class="sr-only">({esc(below)})</span></span>'
        )
    return esc(format_percent(cell.value, language))


def rate_cell(cell: RateCell, language: str) -> str:
    """A response rate as a percentage, the hidden marker, or a dash when no round has asked the group."""
    if cell.state is CellState.HIDDEN:
        return hidden(language, cell.protected)
    if cell.value is None:
        return no_data(language)
    return esc(format_percent(cell.value * 100, language))


def _undeliverable(view: UndeliverableView) -> str:
    language = view.language
    heading = f'<h2 id="undeliverable">{esc(translate(language, "web.undeliverable.heading"))}</h2>'
    if not view.rows:
        return heading + f"<p>{esc(translate(language, 'web.undeliverable.empty'))}</p>"
    columns = ("person", "teams", "platform", "reason", "failed", "when")
    head = "".join(f"<th scope='col'>{esc(translate(language, f'dashboard.column.{c}'))}</th>" for c in columns)
    rows = "".join(
        f'<tr><th scope="row">{esc(r.name)}</th><td>{esc(", ".join(r.teams))}</td><td>{esc(r.platform)}</td>'
        f'<td>{esc(r.reason)}</td><td class="num">{r.failed}</td>'
        f"<td>{esc(format_date(r.when.date(), language))} {esc(format_clock(r.when, language))}</td></tr>"
        for r in view.rows
    )
    return (
        f'{heading}<div class="table-wrap" role="region" aria-labelledby="undeliverable" tabindex="0">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
