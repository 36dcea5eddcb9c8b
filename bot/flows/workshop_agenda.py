"""What the workshop's agenda shows: the team's results, the tally of its choosing, and its targets, gathered once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.dimensions import Dimension
from bot.flows.choose_model import ChooseSession, Pick
from bot.flows.choose_tally import TallyItem, tally
from bot.flows.followup_model import PulseReader
from bot.flows.followup_trend import DimensionTrend, team_trends
from bot.organisation import Organisation, Team
from bot.plan import DevelopmentPlan
from bot.survey import SurveyResults
from bot.survey_groups import SurveyGroup, organisation_report


class SurveyReader(Protocol):
    """The annual survey's results per year (storage's SurveyRepository fits)."""

    def years(self, org_id: int) -> list[int]: ...

    def get(self, org_id: int, year: int) -> SurveyResults | None: ...


class ChoiceReader(Protocol):
    """The team's choosing sessions and their picks (storage's ChooseRepository fits)."""

    def latest_tallied(self, team_id: int) -> ChooseSession | None: ...

    def picks(self, session_id: int) -> list[Pick]: ...


class PlanReader(Protocol):
    """The team's current plan (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...


@dataclass(frozen=True)
class SurveyShown:
    """The team's survey figures beside the whole organisation's, for a year whose team group was large enough."""

    year: int
    team: SurveyGroup
    organisation: SurveyGroup


@dataclass(frozen=True)
class AgendaView:
    """Everything the agenda card shows; the survey when the team's figures may be shown, else the pulse."""

    team: Team
    workshop_on: date
    plan: DevelopmentPlan | None
    survey: SurveyShown | None
    pulse: tuple[DimensionTrend, ...]  # only the dimensions with a shown index
    tally: tuple[TallyItem, ...]  # empty when nothing was chosen or too few took part to show it
    tally_hidden: bool  # a choosing took place but too few sent picks for its tally to be shown


class WorkshopAgendas:
    """Gathers the agenda of one team's workshop; the scheduler's job uses it a week before the day."""

    def __init__(self, plans: PlanReader, surveys: SurveyReader, choices: ChoiceReader, pulses: PulseReader) -> None:
        self.plans = plans
        self.surveys = surveys
        self.choices = choices
        self.pulses = pulses

    def view(self, organisation: Organisation, team: Team, workshop_on: date, now: datetime) -> AgendaView:
        """The agenda as of `now`, for the workshop on `workshop_on` (the team's day)."""
        threshold = organisation.anonymity_threshold
        survey = self._survey(organisation, team, workshop_on.year)
        pulse: tuple[DimensionTrend, ...] = ()
        if survey is None:  # the pulse stands in for a survey the team has not got (or too few answered)
            trends = team_trends(team, tuple(Dimension), self.pulses.rounds(organisation.id), self.pulses.tallies, now)
            pulse = tuple(trend for trend in trends.values() if trend.index is not None)
        items, hidden = self._tally(team, threshold)
        return AgendaView(team, workshop_on, self.plans.current(team.id), survey, pulse, items, hidden)

    def _survey(self, organisation: Organisation, team: Team, year: int) -> SurveyShown | None:
        """The latest year up to the workshop's, when the anonymity rules show the team's group and the whole's."""
        years = [y for y in self.surveys.years(organisation.id) if y <= year]
        results = self.surveys.get(organisation.id, max(years)) if years else None
        if results is None:
            return None
        report = organisation_report(results, organisation)
        group = report.group(team.id)
        if group is None or not group.visible or not report.total.visible:
            return None
        return SurveyShown(results.year, group, report.total)

    def _tally(self, team: Team, threshold: int) -> tuple[tuple[TallyItem, ...], bool]:
        session = self.choices.latest_tallied(team.id)
        if session is None:
            return (), False
        picks = self.choices.picks(session.id)
        if len({pick.member_id for pick in picks}) < threshold:  # as on the tally card: no small-group tallies
            return (), True
        return tally(picks), False
