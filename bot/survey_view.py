"""A team's survey year as it may be shown: its own figures, or the nearest unit's, beside the organisation's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.dimensions import Dimension, risk_limit
from bot.organisation import Organisation
from bot.survey import SurveyResults
from bot.survey_groups import Hidden, SurveyGroup, organisation_report


@dataclass(frozen=True)
class TeamSurveyView:
    """What a team may see of a survey year.

    `figures` are the team's own when `hidden` is None; else the nearest unit above it that is shown
    (`shown_unit_id`), or the whole organisation's (`shown_unit_id` None); None when nothing may be shown.
    Dimensions are keyed by `Dimension`, whose values are the codes FE, YI, PL, SW, CO, LE, PR, OC.
    """

    year: int
    team_id: int
    threshold: int
    hidden: Hidden | None
    shown_unit_id: int | None
    figures: SurveyGroup | None
    organisation: SurveyGroup
    previous: SurveyGroup | None = None  # the same group the year before, when that year was imported and shown

    @property
    def dimensions(self) -> Mapping[Dimension, float]:
        """The shown figures per dimension (0-100 %); empty when nothing may be shown."""
        return self.figures.dimensions if self.figures is not None else {}

    def ranked(self) -> tuple[Dimension, ...]:
        """The dimensions from the strongest to the weakest (the model's order between equals)."""
        order = {d: i for i, d in enumerate(Dimension)}
        return tuple(sorted(self.dimensions, key=lambda d: (-self.dimensions[d], order[d])))

    def strongest(self, count: int = 1) -> tuple[Dimension, ...]:
        """The `count` highest dimensions."""
        return self.ranked()[:count]

    def weakest(self, count: int = 1) -> tuple[Dimension, ...]:
        """The `count` lowest dimensions, the lowest first."""
        return tuple(reversed(self.ranked()))[:count]

    def below_risk_limit(self) -> tuple[Dimension, ...]:
        """The foundation dimensions under their risk limit (FE 80 %, YI 75 %, PL 70 %)."""
        return tuple(d for d, v in self.dimensions.items() if (limit := risk_limit(d)) is not None and v < limit)

    def change(self, dimension: Dimension) -> float | None:
        """The change since the year before, in percentage points, when both years are shown for the same group."""
        if self.previous is None or dimension not in self.dimensions:
            return None
        before = self.previous.dimensions.get(dimension)
        return None if before is None else self.dimensions[dimension] - before


def team_survey_view(
    results: SurveyResults, organisation: Organisation, team_id: int, previous: SurveyResults | None = None
) -> TeamSurveyView:
    """The team's visible survey figures (or the nearest shown unit's), the organisation's, and last year's.

    The anonymity rules are those of `bot.survey_groups`: the team's own figures only when shown there.
    """
    report = organisation_report(results, organisation)
    own = report.group(team_id)
    shown = report.nearest_visible(team_id)
    hidden = None if own is not None and own.visible else (own.hidden if own is not None else Hidden.NOT_REPORTED)
    shown_unit_id = shown.unit_id if shown is not None else None
    before = None
    if previous is not None and shown is not None:
        earlier = organisation_report(previous, organisation).group(shown_unit_id)
        before = earlier if earlier is not None and earlier.visible else None
    return TeamSurveyView(results.year, team_id, report.threshold, hidden, shown_unit_id, shown, report.total, before)
