"""A year's survey results as plain text for `tyhy survey show`: each unit as anonymity allows, hidden ones named."""

from __future__ import annotations

import math
from datetime import date

from bot.dimensions import Dimension
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.organisation import Organisation
from bot.survey import SurveyResults
from bot.survey_groups import Hidden, SurveyGroup, organisation_report

NAME_WIDTH = 24


def format_figure(value: float, language: str, below_limit: bool = False) -> str:
    """A vendor's percentage with its one decimal: 71,5 (fi, sv) or 71.5 (en).

    A figure under its risk limit is rounded down, so 79.96 under a limit of 80 reads 79,9, never 80,0.
    """
    if below_limit:
        value = math.floor(round(value * 10, 6)) / 10
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")


def survey_as_text(results: SurveyResults, organisation: Organisation, imported_on: date, language: str) -> str:
    """The organisation's row, then each unit's group that may be shown; the hidden ones named with their reason."""
    report = organisation_report(results, organisation)
    names = {t.id: t.name for t in organisation.teams}
    header = [translate(language, "survey.show.columns"), "QWL", *(d.value for d in Dimension)]
    lines = [
        translate(language, "survey.show.heading", year=results.year, date=format_date(imported_on, language)),
        f"{'':<{NAME_WIDTH}} {header[0]:>12} " + " ".join(f"{h:>5}" for h in header[1:]),
    ]
    if report.total.visible:
        lines.append(_row(organisation.name, report.total, language))
    groups = sorted(report.groups.values(), key=lambda g: names.get(g.unit_id or 0, "").casefold())
    lines += [_row(names.get(g.unit_id or 0, ""), g, language) for g in groups if g.visible]
    for reason in Hidden:
        hidden = [names.get(g.unit_id or 0, "") for g in groups if g.hidden is reason]
        if not report.total.visible and reason is Hidden.FEW_RESPONDENTS:
            hidden.insert(0, organisation.name)
        if hidden:
            key = f"survey.show.hidden.{reason.value}"
            lines.append(translate(language, key, units=", ".join(hidden), threshold=report.threshold))
    if any(organisation.children_of(g.unit_id or 0) for g in groups if g.visible):
        lines.append(translate(language, "survey.show.rolled_up"))
    return "\n".join(lines)


def _row(name: str, group: SurveyGroup, language: str) -> str:
    rate = group.response_rate
    answered = f"{group.respondents}/{group.invited} {format_percent(rate, language) if rate is not None else ''}"
    below = group.below_risk_limit()
    values = [(group.qwl_index or 0.0, False), *((group.dimensions[d], d in below) for d in Dimension)]
    line = f"{name[:NAME_WIDTH]:<{NAME_WIDTH}} {answered.strip():>12} " + " ".join(
        f"{format_figure(v, language, under):>5}" for v, under in values
    )
    if below:
        line += "  " + translate(language, "survey.show.below_limit", dimensions=", ".join(d.value for d in below))
    return line
