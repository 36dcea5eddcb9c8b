"""Pulse results for the dashboard: one report per closed round from bot.results, read per team's group."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from adapters.web.dashboard.models import CellState, DimensionSeries, IndexCell, RateCell, SeriesPoint
from bot.dimensions import RISK_LIMITS, Dimension
from bot.flows.followup_trend import QUESTION_DIMENSIONS
from bot.organisation import Organisation
from bot.pulse import PulseRound
from bot.questions import dimension_name
from bot.results import RoundReport, frozen_report, trend
from storage.db import Database
from storage.pulse_repository import PulseRepository


@dataclass(frozen=True)
class PulseHistory:
    """Every closed round of the organisation with its report, computed once for the whole organisation.

    Reports always cover every unit, whoever is looking: suppression (the threshold, roll-up and the
    complementary hiding that stops subtraction) is decided by bot.results over the whole tree, and a
    viewer's team filter only chooses which of its rows are shown. Each round is reported under the tree and
    threshold it opened with, so a team's group in it is the units under the team then, not now.
    """

    rounds: tuple[PulseRound, ...]  # closed, oldest first
    reports: Mapping[int, RoundReport]

    def _group(self, pulse_round: PulseRound, team_id: int) -> frozenset[int]:
        return self.reports[pulse_round.id].group_units(team_id) if pulse_round.id is not None else frozenset()

    def asked(self, pulse_round: PulseRound, team_id: int) -> frozenset[Dimension]:
        """The dimensions the round asked any team of the team's group (as it was then) about."""
        return frozenset(
            dimension
            for member_team in self._group(pulse_round, team_id)
            for question_id in pulse_round.questions_for(member_team)
            if (dimension := QUESTION_DIMENSIONS.get(question_id)) is not None
        )

    def asked_group(self, pulse_round: PulseRound, team_id: int) -> bool:
        """True when the round asked any team of the team's group (as it was then) anything."""
        return any(pulse_round.questions_for(t) for t in self._group(pulse_round, team_id))


def pulse_history(db: Database, organisation: Organisation, now: datetime) -> PulseHistory:
    """The closed rounds and their reports; an open round's counters are not final, so it is left out."""
    repository = PulseRepository(db)
    closed = tuple(r for r in repository.rounds(organisation.id) if r.id is not None and r.closes_at <= now)
    reports = {r.id: frozen_report(repository.tallies(r.id), QUESTION_DIMENSIONS) for r in closed if r.id is not None}
    return PulseHistory(closed, reports)


def dimension_series(history: PulseHistory, team_id: int, language: str) -> tuple[DimensionSeries, ...]:
    """Each dimension ever asked of the group, with one point per closed round that asked it."""
    series = []
    for dimension in Dimension:
        asking = [
            history.reports[r.id] for r in history.rounds if r.id is not None and dimension in history.asked(r, team_id)
        ]
        if not asking:
            continue
        points = tuple(
            SeriesPoint(p.round_id, p.closes_on, p.index, p.protected) for p in trend(asking, team_id, dimension)
        )
        series.append(
            DimensionSeries(dimension, dimension_name(dimension, language), RISK_LIMITS.get(dimension), points)
        )
    return tuple(series)


def round_indices(history: PulseHistory, team_id: int, round_id: int | None, language: str) -> tuple[IndexCell, ...]:
    """Each dimension's index in one round (the row's round) for the group; a dimension it did not ask is empty.

    One round only: the latest value of each dimension from different rounds would put figures side by side that
    were never true on the same day.
    """
    by_dimension = {s.dimension: s for s in dimension_series(history, team_id, language)}
    cells = []
    for dimension in Dimension:
        name = dimension_name(dimension, language)
        limit = RISK_LIMITS.get(dimension)
        found = by_dimension.get(dimension)
        point = next((p for p in found.points if p.round_id == round_id), None) if found else None
        if point is None:
            cells.append(IndexCell(dimension, name, CellState.NO_DATA, risk_limit=limit))
            continue
        state = CellState.HIDDEN if point.value is None else CellState.SHOWN
        cells.append(IndexCell(dimension, name, state, point.value, point.closes_on, limit, point.protected))
    return tuple(cells)


def response_rates(history: PulseHistory, team_id: int) -> tuple[RateCell, ...]:
    """The group's response rate in every closed round that asked it; hidden where bot.results hides the group."""
    cells = []
    for pulse_round in history.rounds:
        if pulse_round.id is None or not history.asked_group(pulse_round, team_id):
            continue
        report = history.reports[pulse_round.id]
        group = report.group(team_id)
        if group is None:
            continue
        shown = group.visible and group.response_rate is not None
        cells.append(
            RateCell(
                CellState.SHOWN if shown else CellState.HIDDEN,
                group.response_rate if shown else None,
                group.invited,
                report.closes_on,
                pulse_round.id,
                protected=not shown and group.protected,
            )
        )
    return tuple(cells)


def latest_rate(rates: tuple[RateCell, ...]) -> RateCell:
    """The response rate of the latest closed round that asked the group (from `response_rates`)."""
    return rates[-1] if rates else RateCell(CellState.NO_DATA)


def closing_days(history: PulseHistory, year: int, zone: tzinfo) -> tuple[date, ...]:
    """The days (on the organisation's clock) the closed rounds closed on within a year."""
    days = {r.closes_at.astimezone(zone).date() for r in history.rounds}
    return tuple(sorted(day for day in days if day.year == year))
