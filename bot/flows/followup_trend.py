"""The latest pulse trend of a team's target dimensions, shown only where the anonymity threshold allows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.anonymity import UnitNode, subtree_members
from bot.dimensions import Dimension
from bot.organisation import Organisation, Team
from bot.pulse import PulseRound
from bot.questions import QUESTION_BANK
from bot.results import RoundReport, RoundTallies, round_report, trend

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
    organisation: Organisation,
    team: Team,
    dimensions: Sequence[Dimension],
    rounds: Sequence[PulseRound],
    tallies: Callable[[int], RoundTallies],
    now: datetime,
) -> dict[Dimension, DimensionTrend]:
    """Each dimension's trend for the team's group (the team and the units under it), over closed rounds only.

    An open round's counters are not final, so they are left out. Only rounds that asked the group about a
    dimension count for that dimension: a round that asked other questions says nothing about it.
    """
    wanted = tuple(dict.fromkeys(dimensions))
    if not wanted:
        return {}
    units = [UnitNode(t.id, t.parent_id) for t in organisation.teams]
    group = subtree_members(units).get(team.id, frozenset({team.id}))
    asked = {r.id: _asked_dimensions(r, group) for r in rounds if r.id is not None and r.closes_at <= now}
    relevant = [r for r in rounds if r.id is not None and asked.get(r.id, set()) & set(wanted)]
    reports: dict[int, RoundReport] = {}
    for pulse_round in relevant:
        assert pulse_round.id is not None  # kept above
        counted = tallies(pulse_round.id)
        reports[pulse_round.id] = round_report(counted, units, QUESTION_DIMENSIONS, organisation.anonymity_threshold)
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
