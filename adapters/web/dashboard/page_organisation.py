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
from adapters.web.dashboard.risk import legend
from adapters.web.dashboard.wheel_legend import wheel_with_legend
from adapters.web.page_layout import esc
from bot.formatting import format_clock, format_date, format_percent
from bot.i18n import translate
from bot.plan import ActionStatus


@dataclass(frozen=True)
class SortColumn:
    """A column the table can be sorted by: its header key, the value to sort on, and the natural direction."""

    header: str  # dashboard.column.* key: the sort link's words and the caption's
    value: Callable[[OrganisationRow], float | str | None]
    descending: bool  # the first click shows the riskiest end first
    title: str | None = None  # dashboard.column.* key of a column that holds more than what it sorts by


SORTS: dict[str, SortColumn] = {
    "risk": SortColumn("dashboard.column.risk_score", lambda r: r.risk_score, True),
    "team": SortColumn("dashboard.column.team", lambda r: r.name.casefold(), False),
    "days_left": SortColumn(
        "dashboard.column.days_left", lambda r: r.days_left, False, "dashboard.column.plan_follow_up"
    ),
    "stuck": SortColumn(
        "dashboard.column.stuck", lambda r: r.actions.get(ActionStatus.STUCK, 0), True, "dashboard.column.actions"
    ),
    "response_rate": SortColumn(
        "dashboard.column.response_rate", lambda r: r.response_rate.value, False, "dashboard.column.latest_round"
    ),
    "successes": SortColumn("dashboard.column.successes_30d", lambda r: r.successes_30d, True),
    "members": SortColumn("dashboard.column.members", lambda r: r.members, True),
}
DEFAULT_SORT = "risk"
# The table's columns, left to right: eight, so that it fits a 1280 px screen without scrolling sideways; on a
# phone each row becomes a card (page_layout's CSS), its cells labelled by their columns.
COLUMNS = ("team", "risk", "reasons", "days_left", "stuck", "response_rate", "successes", "members")


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
    """The table and how its score is counted, the wheel, the year-end evaluations and (for the wellbeing officer)
    whom the bot could not reach."""
    language = view.language
    parts = [
        f'<p class="note">{esc(translate(language, "web.threshold_note", threshold=view.threshold))}</p>',
        f'<h2 id="teams">{esc(translate(language, "web.org.heading"))}</h2>',
        _table(view, keys, sort, descending) if view.rows else f"<p>{esc(translate(language, 'web.org.empty'))}</p>",
        risk_legend(language) if view.rows else "",
        f'<p><a href="/dashboard/plans">{esc(translate(language, "print.all"))}</a></p>',
        f'<h2 id="wheel">{esc(translate(language, "web.wheel.heading", year=calendar.year))}</h2>',
        wheel_with_legend(calendar, language, translate(language, "web.wheel.heading", year=calendar.year)),
        evaluations_section(evaluations, language),
    ]
    if undeliverable is not None:
        parts.append(_undeliverable(undeliverable))
    return "".join(parts)


def risk_legend(language: str) -> str:
    """What each reason adds to the score, beside the table: the rule in risk.py told in the reader's language."""
    lines = "".join(
        f'<li><span class="points">+{line.points}</span> {esc(line.text)}</li>' for line in legend(language)
    )
    return (
        '<section class="risk-legend" aria-labelledby="risk-legend">'
        f'<h3 id="risk-legend">{esc(translate(language, "dashboard.risk.legend.heading"))}</h3>'
        f'<p class="note">{esc(translate(language, "dashboard.risk.legend.intro"))}</p>'
        f'<ul class="legend">{lines}</ul></section>'
    )


def _table(view: OrganisationView, keys: Mapping[int, str], sort: str, descending: bool) -> str:
    language = view.language
    direction = translate(language, "web.sort.descending" if descending else "web.sort.ascending")
    caption = translate(language, "web.org.caption", column=translate(language, SORTS[sort].header), order=direction)
    labels = {key: _label(key, language) for key in COLUMNS}
    head = "".join(
        _sortable(key, language, sort, descending)
        if key in SORTS
        else f'<th scope="col" role="columnheader">{esc(labels[key])}</th>'
        for key in COLUMNS
    )
    body = "".join(_row(row, keys, labels, language) for row in sort_rows(view.rows, sort, descending))
    protected = any(row.response_rate.protected or any(c.protected for c in row.indices) for row in view.rows)
    # The roles keep the table a table for screen readers when a phone's CSS lays its rows out as cards.
    return (
        '<div class="table-wrap" role="region" aria-labelledby="teams" tabindex="0">'
        f'<table class="teams" role="table"><caption>{esc(caption)}</caption>'
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead><tbody role="rowgroup">{body}</tbody></table></div>'
    ) + (protected_note(language) if protected else "")


def _label(key: str, language: str) -> str:
    """A column's name as its header shows it, also the label of its cell in a phone's card."""
    if key == "reasons":
        return translate(language, "dashboard.column.risk_reasons")
    column = SORTS[key]
    return translate(language, column.title or column.header)


def _sortable(key: str, language: str, sort: str, descending: bool) -> str:
    """A header whose link sorts by it; a second click on the current column turns the order around.

    A column holding more than it sorts by (the latest round: its date, response rate and indices) shows its
    title, and the link names what it sorts by.
    """
    column = SORTS[key]
    name = translate(language, column.header)
    current = key == sort
    wanted = (not descending) if current else column.descending
    href = f"/dashboard?sort={key}&amp;dir={'desc' if wanted else 'asc'}"
    aria = f' aria-sort="{"descending" if descending else "ascending"}"' if current else ""
    arrow = ("▼" if descending else "▲") if current else ""
    hint = translate(language, "web.sort.by", column=name)
    title = f"{esc(translate(language, column.title))}<br>" if column.title else ""
    return (
        f'<th scope="col" role="columnheader"{aria}>{title}<a href="{href}" title="{esc(hint)}">{esc(name)}'
        f'<span aria-hidden="true"> {arrow}</span></a></th>'
    )


def _row(row: OrganisationRow, keys: Mapping[int, str], labels: Mapping[str, str], language: str) -> str:
    team = f'<a href="/dashboard/team/{esc(keys.get(row.team_id, ""))}">{esc(row.name)}</a>'
    if row.parent_name:
        team += f'<br><span class="note">{esc(row.parent_name)}</span>'
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in row.risk_reasons)

    def cell(key: str, content: str, kind: str = "") -> str:
        classes = f' class="{kind}"' if kind else ""
        return f'<td role="cell" data-label="{esc(labels[key])}"{classes}>{content}</td>'

    cells = [
        f'<th scope="row" role="rowheader">{team}</th>',
        cell("risk", str(row.risk_score), "num"),
        cell("reasons", f'<ul class="reasons">{reasons}</ul>' if reasons else ""),
        cell("days_left", f"{_plan_state(row, language)}<br>{_days_left(row, language)}"),
        cell("stuck", _actions(row, language)),
        cell("response_rate", _round(row, language)),
        cell("successes", str(row.successes_30d), "num"),
        cell("members", str(row.members), "num"),
    ]
    return f'<tr role="row">{"".join(cells)}</tr>'


def _actions(row: OrganisationRow, language: str) -> str:
    """The plan's actions by status in one compact list; the stuck ones in the warning colour and words."""
    items = []
    for status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.STUCK):
        words = esc(translate(language, f"dashboard.actions.{status.value}", count=row.actions.get(status, 0)))
        stuck = status is ActionStatus.STUCK and row.actions.get(status, 0) > 0
        items.append(f'<li class="warn">{words}</li>' if stuck else f"<li>{words}</li>")
    return f'<ul class="compact">{"".join(items)}</ul>'


def _round(row: OrganisationRow, language: str) -> str:
    """One pulse round's figures: when it closed, its response rate and the index of each dimension it asked."""
    rate = row.response_rate
    if rate.state is CellState.NO_DATA or rate.closes_on is None:
        return no_data(language)
    closed = translate(language, "dashboard.round.closed", date=format_date(rate.closes_on, language))
    figures = [(translate(language, "dashboard.round.response_rate"), rate_cell(rate, language))]
    figures += [(c.name, index_cell(c, language)) for c in row.indices if c.state is not CellState.NO_DATA]
    items = "".join(f"<li><span>{esc(name)}</span> <span>{value}</span></li>" for name, value in figures)
    return f'<time datetime="{rate.closes_on.isoformat()}">{esc(closed)}</time><ul class="scores">{items}</ul>'


def _plan_state(row: OrganisationRow, language: str) -> str:
    if not row.has_plan:
        return esc(translate(language, "dashboard.risk.no_plan"))
    if row.plan_agree_by is not None:
        return esc(translate(language, "dashboard.plan.draft_agree_by", date=format_date(row.plan_agree_by, language)))
    if row.plan_agreed_on is None:
        return esc(translate(language, "dashboard.risk.not_agreed"))
    return esc(format_date(row.plan_agreed_on, language))


def _days_left(row: OrganisationRow, language: str) -> str:
    if row.days_left is None:
        return no_data(language)
    if row.overdue:
        # Words, not only a colour and a minus sign, say the limit has passed.
        return f'<span class="overdue">{esc(translate(language, "web.overdue_by", days=-row.days_left))}</span>'
    return esc(translate(language, "dashboard.days_left", days=row.days_left))


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
