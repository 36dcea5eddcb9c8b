"""`team_survey_view`: the team's visible survey figures by dimension code, what the choosing and review build on."""

from __future__ import annotations

from bot.dimensions import Dimension
from bot.survey import SurveyFigures, SurveyResults
from bot.survey_groups import Hidden
from bot.survey_view import team_survey_view
from tests.bot.test_survey_groups import ORG


def figures(respondents: int, invited: int, *values: float) -> SurveyFigures:
    qwl, *dimensions = values
    return SurveyFigures(respondents, invited, qwl, dict(zip(Dimension, dimensions, strict=True)))


def year(number: int, kotihoito_pl: float) -> SurveyResults:
    return SurveyResults(
        number,
        figures(19, 25, 71.5, 78, 74, 69, 72, 80, 65, 61, 70),
        {
            10: figures(3, 4, 68, 75, 70, 66, 70, 78, 60, 58, 69),
            11: figures(12, 14, 73.2, 81, 77, kotihoito_pl, 74, 82, 67, 63, 72),
            12: figures(4, 7, 70, 76, 72, 59, 71, 79, 66, 60, 68),
        },
    )


def test_a_shown_team_has_its_own_figures_by_code_ranked_with_its_risks_and_changes() -> None:
    view = team_survey_view(year(2027, 68.0), ORG, 11, previous=year(2026, 72.5))
    assert view.hidden is None and view.shown_unit_id == 11
    assert {d.value: v for d, v in view.dimensions.items()}["PL"] == 68.0
    assert view.strongest() == (Dimension.COMPETENCE,) and view.weakest(2) == (
        Dimension.PROCESSES,
        Dimension.LEADERSHIP,
    )
    assert view.below_risk_limit() == (Dimension.GOALS,)
    assert view.change(Dimension.GOALS) == -4.5
    assert view.organisation.dimensions[Dimension.SAFETY] == 78.0


def test_a_hidden_team_gets_its_parents_figures_and_the_reason() -> None:
    view = team_survey_view(year(2027, 68.0), ORG, 12)
    assert view.hidden is Hidden.FEW_RESPONDENTS and view.shown_unit_id == 10
    assert view.figures is not None and view.figures.respondents == 19
    assert view.change(Dimension.GOALS) is None  # no previous year given


def test_a_figure_just_under_its_risk_limit_never_reads_as_the_limit() -> None:
    from bot.flows.survey_review import review_blocks
    from bot.messages import Facts

    results = year(2027, 68.0)
    kotihoito = SurveyFigures(12, 14, 73.2, {**results.units[11].dimensions, Dimension.SAFETY: 79.96})
    view = team_survey_view(SurveyResults(2027, results.organisation, {**results.units, 11: kotihoito}), ORG, 11)
    facts = next(b for b in review_blocks(view, 2027, ORG.teams[1], ORG, "fi") if isinstance(b, Facts))
    assert dict(facts.items)["FE Fyysinen ja emotionaalinen turvallisuus"].startswith("⚠ 79,9 %, alle riskirajan 80 %")


def test_a_team_the_vendor_left_out_is_told_so_and_its_parents_figures_are_not_said_to_hold_its_answers() -> None:
    from bot.flows.survey_review import review_blocks
    from bot.messages import Text

    base = year(2027, 68.0)
    results = SurveyResults(
        2027,
        figures(38, 43, 71.5, 78, 74, 69, 72, 80, 65, 61, 70),
        {
            10: figures(20, 22, 68, 75, 70, 66, 70, 78, 60, 58, 69),
            11: base.units[11],
            12: SurveyFigures(6, 7),
        },
    )
    view = team_survey_view(results, ORG, 12)
    assert view.hidden is Hidden.NOT_REPORTED and view.shown_unit_id == 10
    texts = [b.text for b in review_blocks(view, 2027, ORG.teams[2], ORG, "en") if isinstance(b, Text)]
    assert texts[0] == (
        "The survey's results file has no figures of Ruokapalvelu alone. "
        "Below are the results of the nearest unit that can be shown, Perusturva."
    )
