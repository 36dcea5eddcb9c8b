"""The results review's figures: the team's survey year beside the organisation's, its risks, the questions."""

from __future__ import annotations

from datetime import date

from bot.calendar import AnnualCalendar, StepKind
from bot.dimensions import Dimension, risk_limit
from bot.formatting import format_percent
from bot.i18n import translate
from bot.messages import Block, Facts, Text
from bot.organisation import Organisation, Team
from bot.survey_groups import Hidden, SurveyGroup
from bot.survey_text import format_figure
from bot.survey_view import TeamSurveyView


def survey_year(calendar: AnnualCalendar, today: date) -> int:
    """The year of the survey a review on `today` looks back at: the latest survey step on or before it."""
    held = [
        year
        for year in (today.year, today.year - 1)
        for step in calendar.steps
        if step.kind is StepKind.SURVEY and step.enabled and calendar.date_of(step.key, year) <= today
    ]
    return max(held, default=today.year)


def review_blocks(
    view: TeamSurveyView | None, year: int, team: Team, organisation: Organisation, language: str
) -> list[Block]:
    """What the review card adds: the figures that may be shown, why any are not, and the questions to discuss."""
    if view is None:
        return [Text(translate(language, "survey.review.none", year=year)), _questions(language)]
    blocks: list[Block] = []
    names = {t.id: t.name for t in organisation.teams}
    if view.hidden is not None:
        key = f"survey.review.hidden.{view.hidden.value}"
        reason = translate(language, key, team=team.name, threshold=view.threshold)
        if view.figures is None:
            instead = translate(language, "survey.review.nothing_shown")
        elif view.shown_unit_id is None:
            instead = translate(language, "survey.review.instead_organisation", organisation=organisation.name)
        else:
            # The unit's figures hold the team's answers, unless the file had none of the team to pool.
            plain = view.hidden is Hidden.NOT_REPORTED
            key = "survey.review.instead_unit_plain" if plain else "survey.review.instead_unit"
            instead = translate(language, key, unit=names.get(view.shown_unit_id, ""))
        blocks.append(Text(f"{reason} {instead}"))
    if view.figures is not None:
        shown_name = organisation.name if view.shown_unit_id is None else names.get(view.shown_unit_id, "")
        blocks.append(Text(translate(language, "survey.review.figures", unit=shown_name, year=view.year)))
        blocks.append(Facts(_facts(view, view.figures, language)))
        blocks.append(Text(_summary(view, language)))
    blocks.append(_questions(language))
    return blocks


def _percent(value: float, language: str, below_limit: bool = False) -> str:
    return f"{format_figure(value, language, below_limit)}{'%' if language == 'en' else ' %'}"


def _facts(view: TeamSurveyView, shown: SurveyGroup, language: str) -> tuple[tuple[str, str], ...]:
    whole = view.organisation if view.organisation.visible and view.shown_unit_id is not None else None
    rate = shown.response_rate
    answered = translate(
        language,
        "survey.review.answered",
        rate=format_percent(rate, language) if rate is not None else "–",
        respondents=shown.respondents,
        invited=shown.invited,
    )
    if whole is not None and whole.response_rate is not None:
        beside = format_percent(whole.response_rate, language)
        answered += " · " + translate(language, "survey.review.organisation", value=beside)
    facts = [(translate(language, "survey.review.response_rate"), answered)]
    qwl = _percent(shown.qwl_index or 0.0, language)
    if whole is not None and whole.qwl_index is not None:
        qwl += " · " + translate(language, "survey.review.organisation", value=_percent(whole.qwl_index, language))
    facts.append((translate(language, "survey.column.qwl"), qwl))
    for dimension in Dimension:
        label = f"{dimension.value} {translate(language, f'dimension.{dimension.value}')}"
        facts.append((label, _dimension(view, dimension, whole, language)))
    return tuple(facts)


def _dimension(view: TeamSurveyView, dimension: Dimension, whole: SurveyGroup | None, language: str) -> str:
    value = view.dimensions[dimension]
    limit = risk_limit(dimension)
    text = _percent(value, language, limit is not None and value < limit)
    if limit is not None:
        key = "survey.review.below_limit" if value < limit else "survey.review.above_limit"
        text = translate(language, key, value=text, limit=format_percent(limit, language))
    if whole is not None and dimension in whole.dimensions:
        org_value = whole.dimensions[dimension]
        beside = _percent(org_value, language, limit is not None and org_value < limit)
        text += " · " + translate(language, "survey.review.organisation", value=beside)
    change = view.change(dimension)
    if change is not None:
        sign = "+" if change >= 0 else "−"
        text += " · " + translate(
            language, "survey.review.change", change=f"{sign}{format_figure(abs(change), language)}", year=view.year - 1
        )
    return text


def _summary(view: TeamSurveyView, language: str) -> str:
    def named(dimension: Dimension) -> str:
        name = translate(language, f"dimension.{dimension.value}")
        value = view.dimensions[dimension]
        below = (limit := risk_limit(dimension)) is not None and value < limit
        return f"{name} ({dimension.value}) {_percent(value, language, below)}"

    lines = [
        translate(language, "survey.review.strongest", dimension=named(view.strongest()[0])),
        translate(language, "survey.review.weakest", dimension=named(view.weakest()[0])),
    ]
    below = view.below_risk_limit()
    if below:
        lines.append(translate(language, "survey.review.risks", dimensions=", ".join(named(d) for d in below)))
    else:
        lines.append(translate(language, "survey.review.no_risks"))
    return "\n".join(lines)


def _questions(language: str) -> Text:
    return Text(translate(language, "survey.review.questions"))
