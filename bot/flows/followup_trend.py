"""The latest pulse trend of a team's target dimensions, shown only where the anonymity threshold allows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.dimensions import Dimension
from bot.organisation import Team
from bot.pulse import PulseRound
from bot.questions import QUESTION_BANK
from bot.results import RoundReport, RoundTallies, frozen_report, trend

QUESTION_DIMENSIONS = {question.id: question.dimension for question in QUESTION_BANK}


@dataclass(frozen=True)
class DimensionTrend:
    """Where a dimension stands for a team after the latest closed round that asked it.

    `closes_on` None: no closed round has asked the team about it yet. `index` None with a date: that round's
    result is hidden: under the anonymity threshold, or (`protected`) so that a smaller group's answers cannot be
    worked out from the unit's total. `change` is against the previous round whose index was shown.
    """

    dimension: Dimension
    closes_on: date | None = None
    index: float | None = None
    change: float | None = None
    protected: bool = False

    @property
    def hidden(self) -> bool:
        """True when the team was asked but too few answered for the result to be shown."""
        return self.closes_on is not None and self.index is None


def team_trends(
    team: Team,
    dimensions: Sequence[Dimension],
    rounds: Sequence[PulseRound],
    tallies: Callable[[int], RoundTallies],
    now: datetime,
) -> dict[Dimension, DimensionTrend]:
    """Each dimension's trend for the team's group (the team and the units under it), over closed rounds only.

    Each round counts with the group and threshold it opened with (bot.results.RoundTallies): today's tree would
    regroup a past round, and the two groupings subtract to one person. An open round's counters are not final, so
    they are left out. Only rounds that asked the group about a dimension count for that dimension: a round that
    asked other questions says nothing about it.
    """
    wanted = tuple(dict.fromkeys(dimensions))
    if not wanted:
        return {}
    # Which units made the team's group in a round is known only from the round's own tree, read with its tallies:
    # a supervisor's follow-up reads every closed round once.
    reports: dict[int, RoundReport] = {}
    asked: dict[int, set[Dimension]] = {}
    for pulse_round in rounds:
        if pulse_round.id is None or pulse_round.closes_at > now:
            continue
        report = frozen_report(tallies(pulse_round.id), QUESTION_DIMENSIONS)
        asked_then = _asked_dimensions(pulse_round, report.group_units(team.id))
        if asked_then & set(wanted):
            reports[pulse_round.id], asked[pulse_round.id] = report, asked_then
    result: dict[Dimension, DimensionTrend] = {}
    for dimension in wanted:
        asking = [report for round_id, report in reports.items() if dimension in asked[round_id]]
        points = trend(asking, team.id, dimension)
        if not points:
            result[dimension] = DimensionTrend(dimension)
            continue
        latest = points[-1]
        result[dimension] = DimensionTrend(dimension, latest.closes_on, latest.index, latest.change, latest.protected)
    return result


def _asked_dimensions(pulse_round: PulseRound, group: frozenset[int]) -> set[Dimension]:
    """The dimensions the round asked any team of the group about."""
    return {
        dimension
        for team_id in group
        for question_id in pulse_round.questions_for(team_id)
        if (dimension := QUESTION_DIMENSIONS.get(question_id)) is not None
    }
