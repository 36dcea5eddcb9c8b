"""The annual survey's results of a year: the whole organisation's figures and each unit's, as the vendor reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.dimensions import Dimension, risk_limit

FIRST_YEAR = 2000  # no vendor file is older; a year outside these is a typo
LAST_YEAR = 2100


@dataclass(frozen=True)
class SurveyFigures:
    """One group's results: how many answered of how many invited, the QWL index and every dimension (0-100 %)."""

    respondents: int
    invited: int
    qwl_index: float
    dimensions: Mapping[Dimension, float]

    @property
    def response_rate(self) -> float:
        """Respondents of invited, in per cent (0 when nobody was invited)."""
        return 100.0 * self.respondents / self.invited if self.invited else 0.0

    def below_risk_limit(self) -> tuple[Dimension, ...]:
        """The foundation dimensions under their risk limit, in the model's order."""
        return tuple(
            d for d in Dimension if (limit := risk_limit(d)) is not None and self.dimensions.get(d, limit) < limit
        )


@dataclass(frozen=True)
class SurveyResults:
    """A year's survey: the whole organisation, and the units the file had a row for (by team id)."""

    year: int
    organisation: SurveyFigures
    units: Mapping[int, SurveyFigures]


def shown_units(results: SurveyResults, threshold: int) -> dict[int, SurveyFigures]:
    """The units whose figures may be shown: at least `threshold` respondents behind them (DOMAIN.md's promise)."""
    return {team_id: figures for team_id, figures in results.units.items() if figures.respondents >= threshold}
