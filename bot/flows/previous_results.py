"""The previous round's report, worked out once per closed round and kept: every thank-you of a round shows it.

A closed round's counts never change, but its report (every unit's group under the anonymity threshold and the
team tree) costs a city of a thousand teams a quarter of a second. Working it out again for each answer made the
thank-you the slowest part of a pulse answer; kept here, the round after it pays that once per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from bot.anonymity import UnitNode
from bot.flows.pulse_thanks import QUESTION_DIMENSIONS, PreviousResult
from bot.organisation import Organisation, Team
from bot.pulse import PulseRound
from bot.results import RoundReport, RoundTallies, round_report

KEPT_ROUNDS = 8  # rounds are open a week or two: the teams answering now look back at one or two closed rounds


class PreviousResults:
    """A closed round's group results per team, read from its report, which is made once per round."""

    def __init__(self, tallies: Callable[[int], RoundTallies]) -> None:
        self._tallies = tallies
        self._lock = threading.Lock()
        # round id -> (the organisation the report was made for, the report). The organisation in memory is read
        # afresh every few seconds; a report is made again only when the new one differs in what the report rests
        # on: the anonymity threshold and the team tree.
        self._reports: OrderedDict[int, tuple[Organisation, RoundReport]] = OrderedDict()

    def for_team(self, organisation: Organisation, team: Team, earlier: PulseRound) -> PreviousResult:
        """The team's group in that closed round: its indices, or none when the group is hidden."""
        assert earlier.id is not None  # rounds read back from storage always have their id
        report = self._report(organisation, earlier.id)
        group = report.group(team.id)
        if group is None or not group.visible:
            return PreviousResult(report.closes_on, {})
        return PreviousResult(report.closes_on, {d: v for d, v in group.indices.items() if v is not None})

    def _report(self, organisation: Organisation, round_id: int) -> RoundReport:
        with self._lock:
            kept = self._reports.get(round_id)
            if kept is not None and (kept[0] is organisation or _same_shape(kept[0], organisation)):
                self._reports[round_id] = (organisation, kept[1])  # compared by identity next time
                self._reports.move_to_end(round_id)
                return kept[1]
        # Made outside the lock: two answers arriving together may both make it, and either result is right.
        units = [UnitNode(t.id, t.parent_id) for t in organisation.teams]
        report = round_report(self._tallies(round_id), units, QUESTION_DIMENSIONS, organisation.anonymity_threshold)
        with self._lock:
            self._reports[round_id] = (organisation, report)
            self._reports.move_to_end(round_id)
            while len(self._reports) > KEPT_ROUNDS:
                self._reports.popitem(last=False)
        return report


def _same_shape(first: Organisation, second: Organisation) -> bool:
    """Whether a report made for one organisation holds for the other: the same threshold and team tree."""
    if first.anonymity_threshold != second.anonymity_threshold or len(first.teams) != len(second.teams):
        return False
    return all(a.id == b.id and a.parent_id == b.parent_id for a, b in zip(first.teams, second.teams, strict=True))
