"""Pulse results per unit and across rounds: dimension indices and risks, shown only where anonymity allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.anonymity import (
    DEFAULT_THRESHOLD,
    UnitNode,
    UnitTree,
    protected_groups,
    unit_tree,
    validate_threshold,
    visible_groups,
)
from bot.dimensions import RISK_LIMITS, Dimension
from bot.pulse import ANSWER_VALUES, CANT_SAY


@dataclass(frozen=True)
class TeamTally:
    """One team's stored answers in one round: counts keyed by (question id, value), 0 meaning "can't say"."""

    team_id: int
    invited: int
    respondents: int
    counts: Mapping[tuple[str, int], int]


@dataclass(frozen=True)
class RoundTallies:
    """Every team's tally for one pulse round, with the unit tree and the threshold it was opened under.

    A round is reported under those forever: recomputed under a later tree or threshold, two views of one round
    would subtract to a single person (a 1-person unit moved to another parent, or a group shown only at 3).
    """

    round_id: int
    closes_on: date
    tallies: tuple[TeamTally, ...]
    units: tuple[UnitNode, ...] = ()  # every unit when the round opened, with its parent then
    threshold: int = DEFAULT_THRESHOLD  # the organisation's when the round opened


@dataclass(frozen=True)
class GroupResult:
    """What a report shows for one group: a unit with everything below it, or the whole organisation.

    A hidden group shows only how many were invited; nothing derived from answers, not even how many answered.
    `protected` says a hidden group reached the threshold and is hidden only so that a smaller group's answers
    cannot be worked out by subtraction; `protected_indices` says the same of a shown group's hidden indices.
    """

    unit_id: int | None  # None: the organisation-wide total
    visible: bool
    respondents: int | None
    invited: int
    response_rate: float | None  # 0..1
    indices: Mapping[Dimension, float | None]  # 0..100 per dimension; empty when hidden
    risks: frozenset[Dimension]  # foundation dimensions below their risk limit
    protected: bool = False
    protected_indices: frozenset[Dimension] = frozenset()


@dataclass(frozen=True)
class RoundReport:
    """The results of one round for every unit and for the whole organisation."""

    round_id: int
    closes_on: date
    threshold: int
    groups: Mapping[int, GroupResult]
    total: GroupResult
    tree: UnitTree | None = None  # the units the groups were made of; None: not known

    def group(self, unit_id: int | None) -> GroupResult | None:
        """The result of a unit (None: the organisation total), or None if the unit did not exist then."""
        return self.total if unit_id is None else self.groups.get(unit_id)

    def group_units(self, unit_id: int) -> frozenset[int]:
        """The units a unit's group held in this round: itself and those under it then (none if it did not exist)."""
        if self.tree is None or unit_id not in self.tree.children:
            return frozenset()
        found: set[int] = set()
        stack = [unit_id]
        while stack:
            found.add(current := stack.pop())
            stack.extend(self.tree.children[current])
        return frozenset(found)


@dataclass(frozen=True)
class TrendPoint:
    """One round in a unit's trend; `change` is against the previous round whose index was shown."""

    round_id: int
    closes_on: date
    index: float | None
    change: float | None
    protected: bool = False  # hidden so that a smaller group's answers cannot be worked out, not for too few


def _check_counts(counts: Mapping[tuple[str, int], int]) -> None:
    for (question_id, value), count in counts.items():
        if value not in ANSWER_VALUES:
            raise ValueError(f"question {question_id!r} has a count for value {value} off the scale")
        if count < 0:
            raise ValueError(f"question {question_id!r} has a negative count")


def _indices(sums: Mapping[Dimension, int], answers: Mapping[Dimension, int]) -> dict[Dimension, float | None]:
    # 1 on the Likert scale is 0 % and 5 is 100 %.
    return {d: (sums[d] / answers[d] - 1) / 4 * 100 if answers[d] else None for d in Dimension}


def dimension_index(
    counts: Mapping[tuple[str, int], int], question_dimension: Mapping[str, Dimension]
) -> dict[Dimension, float | None]:
    """Each dimension's mean answer scaled to 0-100 %, or None without answers; "can't say" is left out.

    All answers to a dimension's questions are pooled, so a question answered by more people weighs more.
    Questions that belong to no dimension are ignored.
    """
    _check_counts(counts)
    sums: Counter[Dimension] = Counter()
    answers: Counter[Dimension] = Counter()
    for (question_id, value), count in counts.items():
        dimension = question_dimension.get(question_id)
        if dimension is None or value == CANT_SAY:
            continue
        sums[dimension] += value * count
        answers[dimension] += count
    return _indices(sums, answers)


_DIMENSIONS = tuple(Dimension)
_POSITION = {dimension: position for position, dimension in enumerate(_DIMENSIONS)}


@dataclass
class _Pooled:
    """A group's answers reduced to integer sums: adding up teams in any order gives the same figures.

    Per dimension, in `_DIMENSIONS` order, as plain lists: a city's report adds these up a thousand times.
    """

    invited: int = 0
    respondents: int = 0
    sums: list[int] = field(default_factory=lambda: [0] * len(_DIMENSIONS))  # answer values, "can't say" left out
    answers: list[int] = field(default_factory=lambda: [0] * len(_DIMENSIONS))  # real answers

    def add(self, other: _Pooled) -> None:
        self.invited += other.invited
        self.respondents += other.respondents
        self.sums = [mine + theirs for mine, theirs in zip(self.sums, other.sums, strict=True)]
        self.answers = [mine + theirs for mine, theirs in zip(self.answers, other.answers, strict=True)]

    def indices(self) -> dict[Dimension, float | None]:
        return _indices(
            dict(zip(_DIMENSIONS, self.sums, strict=True)), dict(zip(_DIMENSIONS, self.answers, strict=True))
        )


def _pool_tally(tally: TeamTally, question_dimension: Mapping[str, Dimension]) -> tuple[_Pooled, dict[Dimension, int]]:
    """A team's pooled answers, and per dimension a lower bound on how many of its people gave a real answer.

    Only counts per question are stored, so a dimension's most-answered question is the best safe bound.
    """
    # Summed per question first: a few questions per team, each with up to six values.
    per_question: dict[str, tuple[int, int]] = {}  # question id -> (real answers, sum of their values)
    for (question_id, value), count in tally.counts.items():
        if value != CANT_SAY:
            answers, total = per_question.get(question_id, (0, 0))
            per_question[question_id] = (answers + count, total + value * count)
    pooled = _Pooled(tally.invited, tally.respondents)
    answerers: dict[Dimension, int] = {}
    for question_id, (answers, total) in per_question.items():
        dimension = question_dimension.get(question_id)
        if dimension is None:
            continue
        position = _POSITION[dimension]
        pooled.sums[position] += total
        pooled.answers[position] += answers
        answerers[dimension] = max(answerers.get(dimension, 0), min(tally.respondents, answers))
    return pooled, answerers


def _group_result(
    unit_id: int | None,
    pooled: _Pooled,
    visible: bool,
    index_shown: frozenset[Dimension],
    protected: bool = False,
    index_protected: frozenset[Dimension] = frozenset(),
) -> GroupResult:
    if not visible:
        return GroupResult(unit_id, False, None, pooled.invited, None, {}, frozenset(), protected)
    computed = pooled.indices()
    indices = {d: computed[d] if d in index_shown else None for d in Dimension}
    risks = frozenset(d for d, limit in RISK_LIMITS.items() if (index := indices[d]) is not None and index < limit)
    response_rate = pooled.respondents / pooled.invited if pooled.invited else None
    hidden_indices = frozenset(d for d in index_protected if indices[d] is None)
    return GroupResult(
        unit_id, True, pooled.respondents, pooled.invited, response_rate, indices, risks, False, hidden_indices
    )


def round_report(
    round_tallies: RoundTallies,
    units: Sequence[UnitNode],
    question_dimension: Mapping[str, Dimension],
    threshold: int,
) -> RoundReport:
    """Results of one round for every unit's group (the unit and everything below it) and the organisation.

    Groups are shown as `visible_groups` allows. A shown group's dimension index is itself suppressed the
    same way, counting only people who gave a real answer to that dimension: teams can be asked different
    questions and anyone can answer "can't say", so a large group's index may rest on a hidden team alone.
    """
    validate_threshold(threshold)
    tree = unit_tree(units)
    own: dict[int, _Pooled] = {}
    answerers: dict[Dimension, dict[int, int]] = {d: {} for d in Dimension}
    for tally in round_tallies.tallies:
        if tally.team_id not in tree.children:
            raise ValueError(f"tally for unknown team {tally.team_id}")
        if tally.team_id in own:
            raise ValueError(f"two tallies for team {tally.team_id}")
        _check_counts(tally.counts)
        # Each team's counts are read once; the groups below add up these sums, not the counts again.
        own[tally.team_id], team_answerers = _pool_tally(tally, question_dimension)
        for dimension, count in team_answerers.items():
            answerers[dimension][tally.team_id] = count

    respondents = {team_id: pooled.respondents for team_id, pooled in own.items()}
    invited = {team_id: pooled.invited for team_id, pooled in own.items()}
    # With the invited counts: response rates show them beside each group, so a remainder with nobody answering
    # must be as hidden as one with a single answer.
    shown = visible_groups(tree, respondents, threshold, invited)
    protected = protected_groups(tree, respondents, threshold, shown)
    total_shown = sum(pooled.respondents for pooled in own.values()) >= threshold
    index_groups: dict[Dimension, frozenset[int]] = {}
    index_protected: dict[Dimension, frozenset[int]] = {}
    total_index_shown: set[Dimension] = set()
    for dimension, counts in answerers.items():
        # A dimension nobody answered (a round asks a few questions) can show no group: skip the walk.
        index_groups[dimension] = visible_groups(tree, counts, threshold) if counts else frozenset()
        index_protected[dimension] = protected_groups(tree, counts, threshold, index_groups[dimension])
        if sum(counts.values()) >= threshold:
            total_index_shown.add(dimension)

    pooled_groups: dict[int, _Pooled] = {}
    for unit_id in reversed(tree.preorder):  # children before their parents
        group = _Pooled()
        if unit_id in own:
            group.add(own[unit_id])
        for child in tree.children[unit_id]:
            group.add(pooled_groups[child])
        pooled_groups[unit_id] = group
    total = _Pooled()
    for root in tree.roots:
        total.add(pooled_groups[root])

    # Hiding more groups than a safe family already hides keeps it safe (a hidden group's atom, 0 or at least
    # the threshold, merges into its parent's), so intersecting the two families is safe for both counts.
    groups = {
        unit_id: _group_result(
            unit_id,
            pooled_groups[unit_id],
            unit_id in shown,
            frozenset(d for d, ids in index_groups.items() if unit_id in ids),
            unit_id in protected,
            frozenset(d for d, ids in index_protected.items() if unit_id in ids),
        )
        for unit_id in sorted(pooled_groups)
    }
    total_result = _group_result(None, total, total_shown, frozenset(total_index_shown))
    return RoundReport(round_tallies.round_id, round_tallies.closes_on, threshold, groups, total_result, tree)


def frozen_report(round_tallies: RoundTallies, question_dimension: Mapping[str, Dimension]) -> RoundReport:
    """The round's results under the unit tree and threshold it was opened with, whatever they are today."""
    return round_report(round_tallies, round_tallies.units, question_dimension, round_tallies.threshold)


def trend(reports: Sequence[RoundReport], unit_id: int | None, dimension: Dimension) -> list[TrendPoint]:
    """A unit's index (None: the organisation's) round by round in date order; hidden rounds have no index."""
    points: list[TrendPoint] = []
    previous: float | None = None
    for report in sorted(reports, key=lambda r: (r.closes_on, r.round_id)):
        group = report.group(unit_id)
        index = group.indices.get(dimension) if group is not None and group.visible else None
        change = index - previous if index is not None and previous is not None else None
        if index is not None:
            previous = index
        protected = group is not None and (
            group.protected if not group.visible else dimension in group.protected_indices
        )
        points.append(TrendPoint(report.round_id, report.closes_on, index, change, protected))
    return points
