"""A year's survey results as plain text for `tyhy survey show`: units under the anonymity threshold left out."""

from __future__ import annotations

from datetime import date

from bot.dimensions import Dimension
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.organisation import Organisation
from bot.survey import SurveyFigures, SurveyResults, shown_units

NAME_WIDTH = 24


def format_figure(value: float, language: str) -> str:
    """A vendor's percentage with its one decimal: 71,5 (fi, sv) or 71.5 (en)."""
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")


def survey_as_text(results: SurveyResults, organisation: Organisation, imported_on: date, language: str) -> str:
    """The organisation's row, then each unit with enough respondents; a count of the units left out."""
    shown = shown_units(results, organisation.anonymity_threshold)
    names = {t.id: t.name for t in organisation.teams}
    header = [translate(language, "survey.show.columns"), "QWL", *(d.value for d in Dimension)]
    lines = [
        translate(language, "survey.show.heading", year=results.year, date=format_date(imported_on, language)),
        f"{'':<{NAME_WIDTH}} {header[0]:>12} " + " ".join(f"{h:>5}" for h in header[1:]),
        _row(organisation.name, results.organisation, language),
    ]
    lines += [_row(names.get(team_id, str(team_id)), figures, language) for team_id, figures in _by_name(shown, names)]
    hidden = len(results.units) - len(shown)
    if hidden:
        lines.append(
            translate(language, "survey.show.hidden", count=hidden, threshold=organisation.anonymity_threshold)
        )
    return "\n".join(lines)


def _by_name(shown: dict[int, SurveyFigures], names: dict[int, str]) -> list[tuple[int, SurveyFigures]]:
    return sorted(shown.items(), key=lambda item: names.get(item[0], "").casefold())


def _row(name: str, figures: SurveyFigures, language: str) -> str:
    answered = f"{figures.respondents}/{figures.invited} {format_percent(figures.response_rate, language)}"
    values = [figures.qwl_index, *(figures.dimensions[d] for d in Dimension)]
    line = f"{name[:NAME_WIDTH]:<{NAME_WIDTH}} {answered:>12} " + " ".join(
        f"{format_figure(v, language):>5}" for v in values
    )
    if below := figures.below_risk_limit():
        line += "  " + translate(language, "survey.show.below_limit", dimensions=", ".join(d.value for d in below))
    return line
