"""Pulse results per unit and across rounds: dimension indices and risks, shown only where anonymity allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.anonymity import UnitNode, subtree_members, validate_threshold, visible_groups
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
    """Every team's tally for one pulse round."""

    round_id: int
    closes_on: date
    tallies: tuple[TeamTally, ...]


@dataclass(frozen=True)
class GroupResult:
    """What a report shows for one group: a unit with everything below it, or the whole organisation.

    A hidden group shows only how many were invited; nothing derived from answers, not even how many answered.
    """

    unit_id: int | None  # None: the organisation-wide total
    visible: bool
    respondents: int | None
    invited: int
    response_rate: float | None  # 0..1
    indices: Mapping[Dimension, float | None]  # 0..100 per dimension; empty when hidden
    risks: frozenset[Dimension]  # foundation dimensions below their risk limit


@dataclass(frozen=True)
class RoundReport:
    """The results of one round for every unit and for the whole organisation."""

    round_id: int
    closes_on: date
    threshold: int
    groups: Mapping[int, GroupResult]
    total: GroupResult

    def group(self, unit_id: int | None) -> GroupResult | None:
        """The result of a unit (None: the organisation total), or None if the unit did not exist then."""
        return self.total if unit_id is None else self.groups.get(unit_id)


@dataclass(frozen=True)
class TrendPoint:
    """One round in a unit's trend; `change` is against the previous round whose index was shown."""

    round_id: int
    closes_on: date
    index: float | None
    change: float | None


def _check_counts(counts: Mapping[tuple[str, int], int]) -> None:
    for (question_id, value), count in counts.items():
        if value not in ANSWER_VALUES:
            raise ValueError(f"question {question_id!r} has a count for value {value} off the scale")
        if count < 0:
            raise ValueError(f"question {question_id!r} has a negative count")


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
    # 1 on the Likert scale is 0 % and 5 is 100 %.
    return {d: (sums[d] / answers[d] - 1) / 4 * 100 if answers[d] else None for d in Dimension}


def _index_answerers(tally: TeamTally, questions: frozenset[str]) -> int:
    """A lower bound on how many people in a team gave a real answer to a dimension's questions.

    Only counts per question are stored, so the most-answered question is the best safe bound.
    """
    per_question: Counter[str] = Counter()
    for (question_id, value), count in tally.counts.items():
        if question_id in questions and value != CANT_SAY:
            per_question[question_id] += count
    return min(tally.respondents, max(per_question.values(), default=0))


def _group_result(
    unit_id: int | None,
    tallies: Iterable[TeamTally],
    visible: bool,
    index_shown: frozenset[Dimension],
    question_dimension: Mapping[str, Dimension],
) -> GroupResult:
    tallies = list(tallies)
    invited = sum(tally.invited for tally in tallies)
    if not visible:
        return GroupResult(unit_id, False, None, invited, None, {}, frozenset())
    respondents = sum(tally.respondents for tally in tallies)
    counts: Counter[tuple[str, int]] = Counter()
    for tally in tallies:
        counts.update(tally.counts)
    computed = dimension_index(counts, question_dimension)
    indices = {d: computed[d] if d in index_shown else None for d in Dimension}
    risks = frozenset(d for d, limit in RISK_LIMITS.items() if (index := indices[d]) is not None and index < limit)
    response_rate = respondents / invited if invited else None
    return GroupResult(unit_id, True, respondents, invited, response_rate, indices, risks)


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
    members = subtree_members(units)
    by_team: dict[int, TeamTally] = {}
    for tally in round_tallies.tallies:
        if tally.team_id not in members:
            raise ValueError(f"tally for unknown team {tally.team_id}")
        if tally.team_id in by_team:
            raise ValueError(f"two tallies for team {tally.team_id}")
        _check_counts(tally.counts)
        by_team[tally.team_id] = tally
    tallies = tuple(by_team.values())

    shown = visible_groups(units, {t.team_id: t.respondents for t in tallies}, threshold)
    total_shown = sum(t.respondents for t in tallies) >= threshold
    index_groups: dict[Dimension, frozenset[int]] = {}
    total_index_shown: set[Dimension] = set()
    for dimension in Dimension:
        questions = frozenset(q for q, d in question_dimension.items() if d == dimension)
        answerers = {t.team_id: _index_answerers(t, questions) for t in tallies}
        index_groups[dimension] = visible_groups(units, answerers, threshold)
        if sum(answerers.values()) >= threshold:
            total_index_shown.add(dimension)

    # Hiding more groups than a safe family already hides keeps it safe (a hidden group's atom, 0 or at least
    # the threshold, merges into its parent's), so intersecting the two families is safe for both counts.
    groups = {
        unit_id: _group_result(
            unit_id,
            (by_team[m] for m in sorted(group) if m in by_team),
            unit_id in shown,
            frozenset(d for d, ids in index_groups.items() if unit_id in ids),
            question_dimension,
        )
        for unit_id, group in sorted(members.items())
    }
    total = _group_result(None, tallies, total_shown, frozenset(total_index_shown), question_dimension)
    return RoundReport(round_tallies.round_id, round_tallies.closes_on, threshold, groups, total)


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
        points.append(TrendPoint(report.round_id, report.closes_on, index, change))
    return points
