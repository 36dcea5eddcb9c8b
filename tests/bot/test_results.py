"""Tests for pulse results: dimension indices, what a round report shows per unit, and trends."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.anonymity import UnitNode, subtree_members, visible_groups
from bot.dimensions import RISK_LIMITS, Dimension
from bot.errors import DomainError
from bot.results import (
    GroupResult,
    RoundReport,
    RoundTallies,
    TeamTally,
    TrendPoint,
    dimension_index,
    round_report,
    trend,
)

PARENT, TEAM_A, TEAM_B, TEAM_C = 1, 2, 3, 4
UNITS = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT), UnitNode(TEAM_B, PARENT), UnitNode(TEAM_C, PARENT)]
QUESTIONS = {
    "safe1": Dimension.SAFETY,
    "safe2": Dimension.SAFETY,
    "belong": Dimension.BELONGING,
    "goals": Dimension.GOALS,
    "lead": Dimension.LEADERSHIP,
}
CANT_SAY = 0


def counts(answers: dict[str, list[int]]) -> Counter[tuple[str, int]]:
    """Stored counts for the given answers, one value per person per question."""
    return Counter((question, value) for question, values in answers.items() for value in values)


def tally(team_id: int, invited: int, answers: dict[str, list[int]]) -> TeamTally:
    respondents = max(len(values) for values in answers.values())
    return TeamTally(team_id, invited, respondents, counts(answers))


def report(*tallies: TeamTally, round_id: int = 1, closes_on: date = date(2027, 1, 31)) -> RoundReport:
    return round_report(RoundTallies(round_id, closes_on, tallies), UNITS, QUESTIONS, threshold=5)


def hidden(unit_id: int | None, invited: int) -> GroupResult:
    return GroupResult(unit_id, False, None, invited, None, {}, frozenset())


# --- dimension_index ---------------------------------------------------------------------------------


def test_index_scales_the_mean_answer_to_percent() -> None:
    index = dimension_index(
        counts({"safe1": [5, 5], "belong": [1], "goals": [3], "lead": [4, 5]}),
        QUESTIONS,
    )

    assert index[Dimension.SAFETY] == 100.0
    assert index[Dimension.BELONGING] == 0.0
    assert index[Dimension.GOALS] == 50.0
    assert index[Dimension.LEADERSHIP] == 87.5


def test_cant_say_is_left_out_of_the_mean() -> None:
    index = dimension_index(counts({"safe1": [5, CANT_SAY, CANT_SAY], "belong": [CANT_SAY]}), QUESTIONS)

    assert index[Dimension.SAFETY] == 100.0
    assert index[Dimension.BELONGING] is None


def test_every_dimension_is_listed_and_those_without_answers_are_none() -> None:
    index = dimension_index(counts({"safe1": [4]}), QUESTIONS)

    assert set(index) == set(Dimension)
    assert [d for d, value in index.items() if value is not None] == [Dimension.SAFETY]


def test_answers_to_a_dimensions_questions_are_pooled() -> None:
    index = dimension_index(counts({"safe1": [5, 5], "safe2": [1]}), QUESTIONS)

    assert index[Dimension.SAFETY] == pytest.approx((11 / 3 - 1) / 4 * 100)


def test_questions_outside_every_dimension_are_ignored() -> None:
    index = dimension_index(counts({"safe1": [5], "extra": [1, 1, 1]}), QUESTIONS)

    assert index[Dimension.SAFETY] == 100.0


def test_counts_off_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="off the scale"):
        dimension_index({("safe1", 6): 1}, QUESTIONS)
    with pytest.raises(ValueError, match="negative"):
        dimension_index({("safe1", 3): -1}, QUESTIONS)


# --- round_report ------------------------------------------------------------------------------------


def three_teams(small_team_answer: int = 1) -> RoundReport:
    """Teams of 10, 6 and 3 respondents under one parent with no direct members."""
    return report(
        tally(TEAM_A, 12, {"safe1": [5] * 10, "belong": [4] * 10}),
        tally(TEAM_B, 8, {"safe1": [4] * 6, "belong": [4] * 6}),
        tally(TEAM_C, 4, {"safe1": [small_team_answer] * 3, "belong": [3] * 3}),
    )


def test_small_team_and_its_next_smallest_sibling_show_nothing_but_the_invited() -> None:
    result = three_teams()

    assert result.groups[TEAM_C] == hidden(TEAM_C, invited=4)  # three answered: too few
    # Six answered, but the parent minus A and B would show C's three: B is hidden to protect them, and says so.
    assert result.groups[TEAM_B] == replace(hidden(TEAM_B, invited=8), protected=True)


def test_shown_groups_give_respondents_rate_and_indices() -> None:
    result = three_teams()

    team_a = result.groups[TEAM_A]
    assert team_a.visible
    assert (team_a.respondents, team_a.invited, team_a.response_rate) == (10, 12, 10 / 12)
    assert team_a.indices[Dimension.SAFETY] == 100.0
    assert team_a.indices[Dimension.LEADERSHIP] is None  # not asked


def test_hidden_teams_answers_count_in_the_parent_unit() -> None:
    parent = three_teams().groups[PARENT]

    assert (parent.respondents, parent.invited, parent.response_rate) == (19, 24, 19 / 24)
    safety_mean = (10 * 5 + 6 * 4 + 3 * 1) / 19
    assert parent.indices[Dimension.SAFETY] == pytest.approx((safety_mean - 1) / 4 * 100)


def test_a_hidden_teams_result_does_not_depend_on_its_answers() -> None:
    assert three_teams(small_team_answer=1).groups[TEAM_C] == three_teams(small_team_answer=5).groups[TEAM_C]


def test_organisation_total_is_shown_at_the_threshold() -> None:
    total = three_teams().total

    assert total.unit_id is None
    assert total.visible
    assert total.respondents == 19
    assert three_teams().group(None) == total


def test_a_tiny_organisation_shows_no_results_at_all() -> None:
    result = report(tally(TEAM_A, 3, {"safe1": [1, 1]}), tally(TEAM_B, 3, {"safe1": [2, 2]}))

    assert result.total == hidden(None, invited=6)
    assert all(not group.visible for group in result.groups.values())
    assert all(group.respondents is None for group in result.groups.values())


def test_a_unit_not_asked_this_round_is_hidden_with_nobody_invited() -> None:
    result = report(tally(TEAM_A, 12, {"safe1": [5] * 10}))

    assert result.groups[TEAM_B] == hidden(TEAM_B, invited=0)


def test_risks_are_foundation_dimensions_below_their_limit() -> None:
    result = report(
        tally(
            TEAM_A,
            6,
            {
                "safe1": [4] * 6,  # 75 %: below the 80 % limit
                "belong": [4] * 6,  # 75 %: at the 75 % limit, not below it
                "goals": [3] * 6,  # 50 %: below the 70 % limit
                "lead": [1] * 6,  # 0 %, but leadership has no risk limit
            },
        )
    )

    assert result.groups[TEAM_A].risks == {Dimension.SAFETY, Dimension.GOALS}


def test_an_index_resting_on_a_hidden_team_alone_is_not_shown() -> None:
    # Only the 3-person team was asked about safety; the parent's safety index would be theirs.
    result = report(
        tally(TEAM_A, 10, {"belong": [4] * 10}),
        tally(TEAM_C, 3, {"safe1": [1] * 3, "belong": [4] * 3}),
    )

    parent = result.groups[PARENT]
    assert parent.visible and parent.respondents == 13
    assert parent.indices[Dimension.SAFETY] is None
    assert parent.indices[Dimension.BELONGING] == 75.0
    assert Dimension.SAFETY not in parent.risks
    assert result.total.indices[Dimension.SAFETY] is None


def test_an_index_given_by_fewer_than_the_threshold_is_not_shown() -> None:
    # Six answered, but four said "can't say" about safety: the index would be two people's answers.
    result = report(tally(TEAM_A, 6, {"safe1": [1, 2] + [CANT_SAY] * 4, "belong": [4] * 6}))

    team = result.groups[TEAM_A]
    assert team.respondents == 6
    assert team.indices[Dimension.SAFETY] is None
    assert team.indices[Dimension.BELONGING] == 75.0


def test_index_is_suppressed_against_subtraction_too() -> None:
    # Safety: 10 real answers in A, 3 in C; B's 6 people all said "can't say". Everyone is shown by
    # respondents, but the parent's safety index minus A's would be C's three answers.
    result = report(
        tally(TEAM_A, 10, {"safe1": [5] * 10}),
        tally(TEAM_B, 6, {"safe1": [CANT_SAY] * 6, "belong": [4] * 6}),
        tally(TEAM_C, 5, {"safe1": [1] * 3 + [CANT_SAY] * 2, "belong": [4] * 5}),
    )

    assert all(result.groups[unit].visible for unit in (PARENT, TEAM_A, TEAM_B, TEAM_C))
    shown_safety = {unit for unit, group in result.groups.items() if group.indices[Dimension.SAFETY] is not None}
    assert shown_safety == {PARENT}


def test_bad_tallies_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown team"):
        report(tally(99, 5, {"safe1": [5] * 5}))
    with pytest.raises(ValueError, match="two tallies"):
        report(tally(TEAM_A, 5, {"safe1": [5] * 5}), tally(TEAM_A, 5, {"safe1": [5] * 5}))
    with pytest.raises(DomainError):
        round_report(RoundTallies(1, date(2027, 1, 31), ()), UNITS, QUESTIONS, threshold=2)


# --- The report agrees with its definition, worked out group by group -----------------------------------


def defined_report(
    tallies: tuple[TeamTally, ...], units: list[UnitNode], questions: dict[str, Dimension], threshold: int
) -> tuple[dict[int, GroupResult], GroupResult]:
    """Each group's result straight from the definition: pool the group's counts, then ask `visible_groups`."""
    by_team = {t.team_id: t for t in tallies}
    invited = {t.team_id: t.invited for t in tallies}
    shown = visible_groups(units, {t.team_id: t.respondents for t in tallies}, threshold, invited)

    def answerers(tally: TeamTally, dimension: Dimension) -> int:
        real = Counter(q for (q, v), n in tally.counts.items() for _ in range(n) if v != CANT_SAY)
        return min(tally.respondents, max((real[q] for q in questions if questions[q] == dimension), default=0))

    index_shown = {
        d: visible_groups(units, {t.team_id: answerers(t, d) for t in tallies}, threshold) for d in Dimension
    }
    total_index_shown = {d for d in Dimension if sum(answerers(t, d) for t in tallies) >= threshold}

    def result(unit_id: int | None, group: list[TeamTally], visible: bool, index_in: set[Dimension]) -> GroupResult:
        invited = sum(t.invited for t in group)
        # Hidden although the group reached the threshold: only complementary suppression hides such a group.
        protected = unit_id is not None and sum(t.respondents for t in group) >= threshold
        if not visible:
            return replace(hidden(unit_id, invited), protected=protected)
        respondents = sum(t.respondents for t in group)
        pooled: Counter[tuple[str, int]] = Counter()
        for t in group:
            pooled.update(t.counts)
        computed = dimension_index(pooled, questions)
        indices = {d: computed[d] if d in index_in else None for d in Dimension}
        risks = frozenset(d for d in RISK_LIMITS if (i := indices[d]) is not None and i < RISK_LIMITS[d])
        rate = respondents / invited if invited else None
        protected_indices = frozenset(
            d
            for d in Dimension
            if unit_id is not None and d not in index_in and sum(answerers(t, d) for t in group) >= threshold
        )
        return GroupResult(unit_id, True, respondents, invited, rate, indices, risks, False, protected_indices)

    groups = {
        unit_id: result(
            unit_id,
            [by_team[m] for m in members if m in by_team],
            unit_id in shown,
            {d for d in Dimension if unit_id in index_shown[d]},
        )
        for unit_id, members in subtree_members(units).items()
    }
    total_shown = sum(t.respondents for t in tallies) >= threshold
    return groups, result(None, list(tallies), total_shown, total_index_shown)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[UnitNode], tuple[TeamTally, ...], int]:
    """A random forest of up to 10 units, tallies for some of them over a few questions, and a threshold."""
    size = draw(st.integers(1, 10))
    ids = draw(st.lists(st.integers(1, 300), min_size=size, max_size=size, unique=True))
    units = [UnitNode(u, draw(st.none() | st.sampled_from(ids[:i])) if i else None) for i, u in enumerate(ids)]
    asked = [*QUESTIONS, "unmapped"]
    tallies = []
    for unit_id in draw(st.lists(st.sampled_from(ids), unique=True)):
        respondents = draw(st.integers(0, 9))
        per_question = {
            # Up to one answer more than respondents: the bound on answerers must not trust the counts.
            q: draw(st.lists(st.integers(CANT_SAY, 5), max_size=respondents + 1))
            for q in draw(st.lists(st.sampled_from(asked), unique=True))
        }
        invited = respondents + draw(st.integers(0, 4))
        tallies.append(TeamTally(unit_id, invited, respondents, counts(per_question)))
    return units, tuple(tallies), draw(st.integers(3, 6))


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_every_groups_result_is_what_its_definition_gives(
    drawn: tuple[list[UnitNode], tuple[TeamTally, ...], int],
) -> None:
    units, tallies, threshold = drawn

    result = round_report(RoundTallies(1, date(2027, 1, 31), tallies), units, QUESTIONS, threshold)

    groups, total = defined_report(tallies, units, QUESTIONS, threshold)
    assert result.groups == groups
    assert result.total == total


# --- trend -------------------------------------------------------------------------------------------


def test_trend_runs_in_date_order_and_skips_hidden_rounds_when_comparing() -> None:
    spring = report(tally(TEAM_A, 10, {"safe1": [3] * 8}), round_id=1, closes_on=date(2027, 3, 31))
    summer = report(tally(TEAM_A, 10, {"safe1": [5] * 2}), round_id=2, closes_on=date(2027, 6, 15))
    autumn = report(tally(TEAM_A, 10, {"safe1": [4] * 9}), round_id=3, closes_on=date(2027, 10, 1))

    points = trend([autumn, spring, summer], TEAM_A, Dimension.SAFETY)

    assert points == [
        TrendPoint(1, date(2027, 3, 31), 50.0, None),
        TrendPoint(2, date(2027, 6, 15), None, None),  # two answers: hidden
        TrendPoint(3, date(2027, 10, 1), 75.0, 25.0),  # compared with spring, the last shown round
    ]


def test_a_trend_point_says_whether_it_is_hidden_for_too_few_or_to_protect_a_smaller_group() -> None:
    too_few = report(tally(TEAM_A, 10, {"safe1": [3] * 2}), tally(TEAM_B, 10, {"safe1": [3] * 8}), round_id=1)
    protecting = report(tally(TEAM_A, 10, {"safe1": [3] * 6}), tally(TEAM_B, 10, {"safe1": [3] * 2}), round_id=2)

    assert [(p.index, p.protected) for p in trend([too_few], TEAM_A, Dimension.SAFETY)] == [(None, False)]
    assert [(p.index, p.protected) for p in trend([protecting], TEAM_A, Dimension.SAFETY)] == [(None, True)]
    assert [p.protected for p in trend([protecting], PARENT, Dimension.SAFETY)] == [False]  # shown


def test_trend_of_the_organisation_and_of_a_unit_missing_from_a_round() -> None:
    first = report(tally(TEAM_A, 10, {"safe1": [4] * 6}), round_id=1, closes_on=date(2027, 3, 31))
    second = report(tally(TEAM_A, 10, {"safe1": [5] * 6}), round_id=2, closes_on=date(2027, 9, 30))
    empty_first = RoundReport(1, date(2027, 3, 31), 5, {}, first.total)

    assert [p.change for p in trend([first, second], None, Dimension.SAFETY)] == [None, 25.0]
    assert [p.index for p in trend([empty_first, second], TEAM_A, Dimension.SAFETY)] == [None, 100.0]
