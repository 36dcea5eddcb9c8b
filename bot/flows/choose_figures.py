"""The figures the "me" cards show beside the dimensions: the team's annual survey, else its latest pulse results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.dimensions import Dimension, risk_limit
from bot.flows.followup_model import PulseReader
from bot.flows.followup_trend import team_trends
from bot.organisation import Organisation, Team, team_time
from bot.survey import SurveyResults
from bot.survey_view import team_survey_view


class SurveyReader(Protocol):
    """The imported annual survey results (storage's SurveyRepository fits)."""

    def years(self, org_id: int) -> list[int]: ...

    def get(self, org_id: int, year: int) -> SurveyResults | None: ...


@dataclass(frozen=True)
class TeamFigures:
    """Where the team stands per dimension (0-100 %), from the survey of `year` or pulse rounds up to `as_of`."""

    values: Mapping[Dimension, float]
    year: int | None = None  # the survey's year; None: the figures are the pulse's
    as_of: date | None = None  # the latest pulse round behind them

    def below_risk_limit(self) -> tuple[Dimension, ...]:
        """The foundation dimensions under their risk limit, the furthest under first."""
        under = [d for d, value in self.values.items() if (limit := risk_limit(d)) is not None and value < limit]
        return tuple(sorted(under, key=lambda d: (self.values[d] - (risk_limit(d) or 0.0), _ORDER[d])))

    def weakest_first(self) -> tuple[Dimension, ...]:
        """Every dimension to develop, in the order the cards offer them: under a risk limit, then the lowest."""
        under = self.below_risk_limit()
        rest = sorted((d for d in self.values if d not in under), key=lambda d: (self.values[d], _ORDER[d]))
        return (*under, *rest, *(d for d in Dimension if d not in self.values))

    def strongest_first(self) -> tuple[Dimension, ...]:
        """Every dimension to hold on to, the highest first."""
        known = sorted(self.values, key=lambda d: (-self.values[d], _ORDER[d]))
        return (*known, *(d for d in Dimension if d not in self.values))


_ORDER = {dimension: position for position, dimension in enumerate(Dimension)}


class FigureReader:
    """Finds the figures a team's "me" cards show: the newest survey the team may see, else the pulse."""

    def __init__(self, surveys: SurveyReader, pulses: PulseReader) -> None:
        self.surveys = surveys
        self.pulses = pulses

    def for_team(self, organisation: Organisation, team: Team, now: datetime) -> TeamFigures | None:
        """The team's figures as of `now`; None when neither the survey nor a pulse round may show any."""
        this_year = team_time(now, team).year
        years = [year for year in self.surveys.years(organisation.id) if year <= this_year]
        if years:
            results = self.surveys.get(organisation.id, years[-1])
            # The team's own figures only, and only when the survey's anonymity rules show them (bot.survey_view).
            view = team_survey_view(results, organisation, team.id) if results else None
            if view is not None and view.hidden is None and view.dimensions:
                return TeamFigures(dict(view.dimensions), year=years[-1])
        rounds = self.pulses.rounds(organisation.id)
        trends = team_trends(team, tuple(Dimension), rounds, self.pulses.tallies, now)
        shown = {d: trend.index for d, trend in trends.items() if trend.index is not None}
        if not shown:
            return None
        latest = max(t.closes_on for t in trends.values() if t.index is not None and t.closes_on is not None)
        return TeamFigures(shown, as_of=latest)
