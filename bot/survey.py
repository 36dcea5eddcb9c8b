"""The annual survey's results of a year: the whole organisation's figures and each unit's, as the vendor reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.anonymity import UnitNode
from bot.dimensions import Dimension, risk_limit

FIRST_YEAR = 2000  # no vendor file is older; a year outside these is a typo
LAST_YEAR = 2100


@dataclass(frozen=True)
class SurveyFigures:
    """One group's results: how many answered of how many invited, the QWL index and every dimension (0-100 %).

    A unit the vendor left without figures (blank or "-" cells: too few answered there) has no QWL index and no
    dimensions, and its counts only where the file gave them.
    """

    respondents: int | None
    invited: int | None
    qwl_index: float | None = None
    dimensions: Mapping[Dimension, float] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        """True when the vendor gave the figures (not a unit they left out for too few respondents)."""
        return self.qwl_index is not None

    @property
    def response_rate(self) -> float | None:
        """Respondents of invited, in per cent; None when either count is unknown or nobody was invited."""
        if self.respondents is None or not self.invited:
            return None
        return 100.0 * self.respondents / self.invited

    def below_risk_limit(self) -> tuple[Dimension, ...]:
        """The foundation dimensions under their risk limit, in the model's order."""
        return tuple(
            d for d in Dimension if (limit := risk_limit(d)) is not None and self.dimensions.get(d, limit) < limit
        )


@dataclass(frozen=True)
class SurveyResults:
    """A year's survey: the whole organisation, and the units the file had a row for (by team id).

    A stored year keeps the unit tree and anonymity threshold it was imported under and is shown under them for
    good, as a pulse round is: two groupings of one year could otherwise subtract to a few people's answers.
    Empty or None (a year just read from a file): the organisation's of today.
    """

    year: int
    organisation: SurveyFigures
    units: Mapping[int, SurveyFigures]
    tree: tuple[UnitNode, ...] = ()
    threshold: int | None = None
