"""The survey results page: a year's figures for the organisation and units, risk limits marked, against last year."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.web.dashboard.models import TeamSurvey
from adapters.web.dashboard.page_calendar import Screen
from adapters.web.dashboard.signin import Viewer
from adapters.web.page_layout import esc, scroll_box
from bot.dimensions import Dimension, risk_limit
from bot.formatting import format_percent
from bot.i18n import translate
from bot.organisation import Organisation
from bot.survey_groups import Hidden, SurveyGroup, SurveyReport, organisation_report
from bot.survey_text import format_figure
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.survey_repository import SurveyRepository

PATH = "/dashboard/survey"
IMPORT_PATH = "/dashboard/survey-import"


def survey_screen(db: Database, viewer: Viewer, language: str, asked_year: str | None) -> Screen:
    """The chosen year (default: the newest imported), the organisation and the units the viewer may see."""
    organisation = OrganisationRepository(db).get()
    title = translate(language, "survey.page.title")
    if organisation is None:
        return Screen(404, title, f"<p>{esc(translate(language, 'cli.no_organisation'))}</p>")
    surveys = SurveyRepository(db)
    years = surveys.years(organisation.id)
    if not years:
        body = f"<p>{esc(translate(language, 'survey.page.none'))}</p>"
        if viewer.is_officer:
            body += f'<p><a href="{IMPORT_PATH}">{esc(translate(language, "survey.web.title"))}</a></p>'
        return Screen(200, title, body)
    year = int(asked_year) if asked_year and asked_year.isdigit() and int(asked_year) in years else years[-1]
    results = surveys.get(organisation.id, year)
    assert results is not None  # listed among the years just now; an import replaces a year in one transaction
    report = organisation_report(results, organisation)
    before = surveys.get(organisation.id, year - 1)
    previous = organisation_report(before, organisation) if before is not None else None
    parts = [
        _year_form(years, year, language),
        f'<p class="note">{esc(translate(language, "survey.page.threshold", threshold=report.threshold))}</p>',
        _legend(year, previous is not None, language),
        _table(report, previous, organisation, viewer.team_ids, language),
    ]
    if any(g.hidden is Hidden.PROTECTED for g in report.groups.values()):
        parts.append(f'<p class="note">{esc(translate(language, "dashboard.protected_note"))}</p>')
    if viewer.is_officer:
        parts.append(f'<p><a href="{IMPORT_PATH}">{esc(translate(language, "survey.web.title"))}</a></p>')
    return Screen(200, translate(language, "survey.page.year_title", year=year), "".join(parts))


def _year_form(years: list[int], year: int, language: str) -> str:
    options = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>' for y in sorted(years, reverse=True)
    )
    return (
        f'<form method="get" action="{PATH}" class="year-choice">'
        f'<label for="survey-year">{esc(translate(language, "survey.page.year_label"))}</label> '
        f'<select id="survey-year" name="year">{options}</select> '
        f'<button type="submit">{esc(translate(language, "survey.page.show"))}</button></form>'
    )


def _legend(year: int, compared: bool, language: str) -> str:
    limits = ", ".join(
        f"{d.value} {format_percent(limit, language)}" for d in Dimension if (limit := risk_limit(d)) is not None
    )
    lines = [translate(language, "survey.page.limits", limits=limits)]
    key = "survey.page.compared" if compared else "survey.page.not_compared"
    lines.append(translate(language, key, previous=year - 1))
    return "".join(f'<p class="note">{esc(line)}</p>' for line in lines)


def _table(
    report: SurveyReport,
    previous: SurveyReport | None,
    organisation: Organisation,
    team_ids: set[int] | None,
    language: str,
) -> str:
    names = {t.id: t.name for t in organisation.teams}
    head = [
        f'<th scope="col">{esc(translate(language, "survey.page.unit"))}</th>',
        f'<th scope="col">{esc(translate(language, "survey.review.response_rate"))}</th>',
        f'<th scope="col">{esc(translate(language, "survey.column.qwl"))}</th>',
    ]
    for dimension in Dimension:
        name = esc(translate(language, f"dimension.{dimension.value}"))
        limit = risk_limit(dimension)
        note = ""
        if limit is not None:
            said = translate(language, "survey.page.limit", limit=format_percent(limit, language))
            note = f'<br><span class="limit">{esc(said)}</span>'

        head.append(f'<th scope="col"><abbr title="{name}">{dimension.value}</abbr>{note}</th>')
    rows = [_row(organisation.name, report.total, previous.total if previous else None, 0, language)]
    for unit_id, depth in _tree_order(report.parents, names):
        group = report.groups.get(unit_id)
        # A unit removed since the import has no name to show; leaving it out only hides more.
        if group is None or unit_id not in names or (team_ids is not None and unit_id not in team_ids):
            continue
        before = previous.group(unit_id) if previous is not None else None
        rows.append(_row(names[unit_id], group, before, depth + 1, language))
    caption = translate(language, "survey.page.caption", year=report.year)
    return scroll_box(
        f'<table class="survey"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        caption,
    )


def _row(name: str, group: SurveyGroup, before: SurveyGroup | None, depth: int, language: str) -> str:
    indent = f' style="padding-left:{0.6 + depth:.1f}rem"' if depth else ""
    label = f'<th scope="row"{indent}>{esc(name)}</th>'
    if not group.visible:
        reason = esc(translate(language, f"survey.page.hidden.{group.hidden}"))
        invited = (
            "" if group.invited is None else esc(translate(language, "survey.page.invited", invited=group.invited))
        )
        return f'<tr>{label}<td colspan="10" class="hidden-value">{reason}{invited}</td></tr>'
    shown_before = before if before is not None and before.visible else None
    rate = group.response_rate
    answered = f"{format_percent(rate, language)} ({group.respondents}/{group.invited})" if rate is not None else "–"
    cells = [f'<td class="num">{esc(answered)}</td>']
    qwl_before = shown_before.qwl_index if shown_before is not None else None
    cells.append(_figure(group.qwl_index, qwl_before, None, language))
    for dimension in Dimension:
        earlier = shown_before.dimensions.get(dimension) if shown_before is not None else None
        cells.append(_figure(group.dimensions.get(dimension), earlier, risk_limit(dimension), language))
    return f"<tr>{label}{''.join(cells)}</tr>"


def _figure(value: float | None, before: float | None, limit: float | None, language: str) -> str:
    if value is None:
        return '<td class="num">–</td>'
    below = limit is not None and value < limit
    text = esc(format_figure(value, language, below))
    if below:
        sr = esc(translate(language, "survey.page.below_limit"))
        text = f'<span aria-hidden="true">⚠ </span>{text}<span class="sr-only"> ({sr})</span>'
    if before is not None:
        change = value - before
        sign = "+" if change >= 0 else "−"
        said = esc(translate(language, "survey.page.change", change=f"{sign}{format_figure(abs(change), language)}"))
        text += f'<br><span class="change">{said}</span>'
    return f'<td class="num{" below-limit" if below else ""}">{text}</td>'


def _tree_order(parents: Mapping[int, int | None], names: Mapping[int, str]) -> list[tuple[int, int]]:
    """The year's units (as imported) with their depth, parents before their children, each level by name."""
    by_parent: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parents.items():
        by_parent.setdefault(parent_id, []).append(unit_id)

    def ordered(units: list[int]) -> list[int]:
        return sorted(units, key=lambda u: (names.get(u, "").casefold(), u), reverse=True)

    order: list[tuple[int, int]] = []
    stack = [(unit_id, 0) for unit_id in ordered(by_parent.get(None, []))]
    while stack:
        unit_id, depth = stack.pop()
        order.append((unit_id, depth))
        stack.extend((child, depth + 1) for child in ordered(by_parent.get(unit_id, [])))
    return order


def team_survey_section(survey: TeamSurvey | None, language: str) -> str:
    """The team page's survey section: the team's (or nearest shown unit's) figures beside the organisation's."""
    if survey is None:
        heading = esc(translate(language, "survey.page.title"))
        return f"<h2>{heading}</h2><p>{esc(translate(language, 'survey.page.team_none'))}</p>"
    view = survey.view
    parts = [f"<h2>{esc(translate(language, 'survey.page.team_heading', year=view.year))}</h2>"]
    if view.hidden is not None:
        reason = translate(language, f"survey.page.team_hidden.{view.hidden}", threshold=view.threshold)
        if view.figures is None:
            instead = translate(language, "survey.review.nothing_shown")
        elif view.shown_unit_id is None:
            instead = translate(language, "survey.review.instead_organisation", organisation=survey.organisation_name)
        else:
            plain = view.hidden is Hidden.NOT_REPORTED  # no answers of the team's in the unit's figures
            key = "survey.review.instead_unit_plain" if plain else "survey.review.instead_unit"
            instead = translate(language, key, unit=survey.shown_name)
        parts.append(f'<p class="notice">{esc(reason)} {esc(instead)}</p>')
    if view.figures is not None:
        parts.append(_team_table(survey, view.figures, language))
    link = esc(translate(language, "survey.page.all_years"))
    parts.append(f'<p><a href="{PATH}?year={view.year}">{link}</a></p>')
    return "".join(parts)


def _team_table(survey: TeamSurvey, shown: SurveyGroup, language: str) -> str:
    view = survey.view
    whole = view.organisation if view.organisation.visible and view.shown_unit_id is not None else None
    columns = [translate(language, "survey.page.dimension"), survey.shown_name]
    if whole is not None:
        columns.append(survey.organisation_name)
    if view.previous is not None:
        columns.append(translate(language, "survey.page.team_column", previous=view.year - 1))
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    rate = shown.response_rate
    answered = f"{format_percent(rate, language)} ({shown.respondents}/{shown.invited})" if rate is not None else "–"
    rate_label = esc(translate(language, "survey.review.response_rate"))
    rows = [f'<th scope="row">{rate_label}</th><td class="num">{esc(answered)}</td>']
    if whole is not None:
        whole_rate = whole.response_rate
        whole_text = format_percent(whole_rate, language) if whole_rate is not None else "–"
        rows[0] += f'<td class="num">{esc(whole_text)}</td>'
    if view.previous is not None:
        rows[0] += "<td></td>"
    for dimension in (None, *Dimension):
        if dimension is None:
            label, value = translate(language, "survey.column.qwl"), shown.qwl_index
            org_value = whole.qwl_index if whole is not None else None
            before = view.previous.qwl_index if view.previous is not None else None
            limit = None
        else:
            name = translate(language, f"dimension.{dimension.value}")
            limit = risk_limit(dimension)
            label = f"{dimension.value} {name}"
            if limit is not None:
                label += f" ({translate(language, 'survey.page.limit', limit=format_percent(limit, language))})"
            value = shown.dimensions.get(dimension)
            org_value = whole.dimensions.get(dimension) if whole is not None else None
            before = view.previous.dimensions.get(dimension) if view.previous is not None else None
        row = f'<th scope="row">{esc(label)}</th>{_figure(value, None, limit, language)}'
        if whole is not None:
            row += _figure(org_value, None, limit, language)
        if view.previous is not None:
            change = None if value is None or before is None else value - before
            text = "–" if change is None else f"{'+' if change >= 0 else '−'}{format_figure(abs(change), language)}"
            row += f'<td class="num">{esc(text)}</td>'
        rows.append(row)
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    caption = translate(language, "survey.page.team_caption", unit=survey.shown_name, year=view.year)
    return scroll_box(
        f'<table class="survey"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        caption,
    )
