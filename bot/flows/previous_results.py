"""The previous round's report, worked out once per closed round and kept: every thank-you of a round shows it.

A closed round's counts never change, nor the unit tree and threshold it is reported under (frozen when it opened),
so neither does its report. Yet the report (every unit's group under the threshold and the tree) costs a city of a
thousand teams a quarter of a second. Working it out again for each answer made the thank-you the slowest part of a
pulse answer; kept here, the round after it pays that once per process.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows.pulse_thanks import QUESTION_DIMENSIONS, PreviousResult
from bot.kept_values import KeptValues
from bot.organisation import Team
from bot.pulse import PulseRound
from bot.results import RoundReport, RoundTallies, frozen_report

KEPT_ROUNDS = 8  # rounds are open a week or two: the teams answering now look back at one or two closed rounds


class PreviousResults:
    """A closed round's group results per team, read from its report, which is made once per round."""

    def __init__(self, tallies: Callable[[int], RoundTallies]) -> None:
        self._tallies = tallies
        self._reports: KeptValues[RoundReport] = KeptValues(KEPT_ROUNDS)  # by round id

    def for_team(self, team: Team, earlier: PulseRound) -> PreviousResult:
        """The team's group in that closed round, as the round's own tree and threshold made it: its indices, or
        none when the group is hidden. Today's organisation plays no part: a reorganisation since then or a lower
        threshold would show the round under a second grouping, and two groupings subtract to one person."""
        assert earlier.id is not None  # rounds read back from storage always have their id
        report = self._report(earlier.id)
        group = report.group(team.id)
        if group is None or not group.visible:
            return PreviousResult(report.closes_on, {})
        return PreviousResult(report.closes_on, {d: v for d, v in group.indices.items() if v is not None})

    def _report(self, round_id: int) -> RoundReport:
        return self._reports.get_or_read(round_id, lambda: frozen_report(self._tallies(round_id), QUESTION_DIMENSIONS))
