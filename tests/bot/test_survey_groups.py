"""Survey results under the pulses' anonymity rules: threshold, roll-up into the parent, complementary suppression."""

from __future__ import annotations

import pytest

from bot.dimensions import Dimension
from bot.organisation import Organisation, Team
from bot.survey import SurveyFigures, SurveyResults
from bot.survey_groups import Hidden, organisation_report

ORG = Organisation(
    1,
    "Esimerkkilän kunta",
    teams=(
        Team(10, "perusturva", "Perusturva"),
        Team(11, "kotihoito", "Kotihoito", 10),
        Team(12, "ruoka", "Ruokapalvelu", 10),
    ),
    anonymity_threshold=5,
)
SAFETY = Dimension.SAFETY


def figures(respondents: int | None, invited: int | None, safety: float | None) -> SurveyFigures:
    if safety is None:
        return SurveyFigures(respondents, invited)
    return SurveyFigures(respondents, invited, safety - 5, {d: safety for d in Dimension})


def year(*, ruoka: SurveyFigures, whole: int = 21) -> SurveyResults:
    units = {10: figures(3, 4, 75.0), 11: figures(12, 14, 81.0), 12: ruoka}
    return SurveyResults(2027, figures(whole, 25, 78.0), units)


def test_a_unit_under_the_threshold_is_hidden_for_too_few_and_rolls_up_into_its_parent() -> None:
    report = organisation_report(year(ruoka=figures(4, 7, 76.0), whole=19), ORG)
    ruoka = report.group(12)
    assert ruoka is not None and ruoka.hidden is Hidden.FEW_RESPONDENTS
    assert ruoka.respondents is None and ruoka.dimensions == {} and ruoka.invited == 7
    parent = report.group(10)
    assert parent is not None and parent.visible and parent.respondents == 19 and parent.invited == 25
    assert parent.dimensions[SAFETY] == pytest.approx((3 * 75 + 12 * 81 + 4 * 76) / 19)  # weighted by respondents
    assert report.nearest_visible(12) is parent
    assert report.nearest_visible(11) is report.group(11)


def test_a_unit_with_enough_answers_is_hidden_when_its_parent_would_give_it_away_and_says_so() -> None:
    # Perusturva's group (21) less Kotihoito (12) and Ruokapalvelu (6) leaves its own 3 people: one must go.
    report = organisation_report(year(ruoka=figures(6, 7, 76.0)), ORG)
    ruoka = report.group(12)
    assert ruoka is not None and ruoka.hidden is Hidden.PROTECTED
    assert [g.unit_id for g in report.groups.values() if g.visible] == [10, 11]


def test_a_unit_the_vendor_left_out_is_not_reported_and_the_rest_of_the_organisation_is_protected() -> None:
    # The organisation counts 2 people who are in no unit's figures: Perusturva's group (15) would give them away.
    report = organisation_report(year(ruoka=figures(2, 7, None), whole=17), ORG)
    assert report.group(12) == report.groups[12] and report.groups[12].hidden is Hidden.NOT_REPORTED
    assert report.groups[10].hidden is Hidden.PROTECTED
    assert report.groups[11].visible and report.total.visible
    assert report.nearest_visible(12) is report.total


def test_a_small_organisation_shows_nothing() -> None:
    small = SurveyResults(2027, figures(4, 9, 70.0), {11: figures(4, 9, 70.0)})
    report = organisation_report(small, ORG)
    assert report.total.hidden is Hidden.FEW_RESPONDENTS and report.total.dimensions == {}
    assert report.nearest_visible(11) is None
    assert report.group(12) is None  # not in the file at all
