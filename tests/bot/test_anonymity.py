"""Tests for the anonymity threshold, the roll-up of small units and complementary suppression."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.anonymity import (
    DEFAULT_THRESHOLD,
    MINIMUM_THRESHOLD,
    UnitNode,
    subtree_members,
    validate_threshold,
    visible_groups,
)
from bot.errors import DomainError

PARENT, TEAM_A, TEAM_B, TEAM_C = 1, 2, 3, 4


def test_threshold_defaults_to_five_and_never_goes_below_three() -> None:
    assert DEFAULT_THRESHOLD == 5
    assert validate_threshold(3) == 3
    assert validate_threshold(12) == 12
    with pytest.raises(DomainError) as raised:
        validate_threshold(2)
    assert raised.value.key == "anonymity.threshold_too_low"
    assert raised.value.params == {"minimum": MINIMUM_THRESHOLD, "given": 2}


def test_a_threshold_below_three_is_refused_when_computing_visibility_too() -> None:
    with pytest.raises(DomainError):
        visible_groups([UnitNode(1, None)], {1: 10}, threshold=2)


def test_small_team_is_hidden_and_so_is_the_next_smallest_sibling() -> None:
    # Parent unit with no direct members and three teams of 10, 6 and 3 respondents (19 in all).
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT), UnitNode(TEAM_B, PARENT), UnitNode(TEAM_C, PARENT)]
    respondents = {TEAM_A: 10, TEAM_B: 6, TEAM_C: 3}

    shown = visible_groups(units, respondents, threshold=5)

    # Showing the 6-team would give away the 3-team as 19 - 10 - 6; hiding it leaves 9 = 6 + 3 unexplained.
    assert shown == {PARENT, TEAM_A}


def test_lone_child_under_a_parent_without_members_is_shown_with_its_parent() -> None:
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT)]

    # The parent's group is the child's group: subtracting one from the other reveals no one.
    assert visible_groups(units, {TEAM_A: 7}, threshold=5) == {PARENT, TEAM_A}


def test_lone_child_is_hidden_when_its_parent_has_a_few_direct_members() -> None:
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT)]

    # 9 - 7 would show the parent's 2 own members.
    assert visible_groups(units, {PARENT: 2, TEAM_A: 7}, threshold=5) == {PARENT}


def test_a_tiny_organisation_shows_nothing() -> None:
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT), UnitNode(TEAM_B, PARENT)]

    assert visible_groups(units, {PARENT: 1, TEAM_A: 2, TEAM_B: 1}, threshold=5) == frozenset()


def test_roots_are_protected_against_the_organisation_total() -> None:
    # Two separate roots: the published total (14) minus the shown root (11) would expose the other (3).
    units = [UnitNode(1, None), UnitNode(2, None)]

    assert visible_groups(units, {1: 11, 2: 3}, threshold=5) == frozenset()
    assert visible_groups(units, {1: 11, 2: 5}, threshold=5) == {1, 2}


def test_units_missing_from_respondents_count_as_zero() -> None:
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT), UnitNode(TEAM_B, PARENT)]

    assert visible_groups(units, {TEAM_A: 8}, threshold=5) == {PARENT, TEAM_A}


def test_ties_hide_the_team_with_the_smaller_id() -> None:
    units = [UnitNode(PARENT, None), UnitNode(TEAM_A, PARENT), UnitNode(TEAM_B, PARENT), UnitNode(TEAM_C, PARENT)]

    assert visible_groups(units, {TEAM_A: 6, TEAM_B: 6, TEAM_C: 1}, threshold=5) == {PARENT, TEAM_B}


def test_subtree_members_include_the_unit_and_everything_below() -> None:
    units = [UnitNode(1, None), UnitNode(2, 1), UnitNode(3, 2), UnitNode(4, None)]

    assert subtree_members(units) == {1: {1, 2, 3}, 2: {2, 3}, 3: {3}, 4: {4}}


@pytest.mark.parametrize(
    "units",
    [
        [UnitNode(1, 2), UnitNode(2, 1)],
        [UnitNode(1, None), UnitNode(2, 3), UnitNode(3, 2)],
        [UnitNode(1, 1)],
    ],
    ids=["two-cycle", "cycle-beside-a-root", "own-parent"],
)
def test_a_cycle_is_refused(units: list[UnitNode]) -> None:
    with pytest.raises(ValueError, match="cycle"):
        visible_groups(units, {}, threshold=5)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown parent"):
        visible_groups([UnitNode(1, 99)], {}, threshold=5)
    with pytest.raises(ValueError, match="twice"):
        visible_groups([UnitNode(1, None), UnitNode(1, None)], {}, threshold=5)
    with pytest.raises(ValueError, match="unknown unit"):
        visible_groups([UnitNode(1, None)], {2: 5}, threshold=5)
    with pytest.raises(ValueError, match="negative"):
        visible_groups([UnitNode(1, None)], {1: -1}, threshold=5)


# --- The property: no hidden group can be recovered from the shown ones ------------------------------


@st.composite
def organisations(draw: st.DrawFn) -> tuple[list[UnitNode], dict[int, int], int]:
    """A random forest of up to 12 units with arbitrary ids, some respondent counts, and a threshold."""
    size = draw(st.integers(min_value=1, max_value=12))
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    units = []
    for position, unit_id in enumerate(ids):
        # A parent drawn from the earlier units keeps the forest acyclic.
        parent = draw(st.none() | st.sampled_from(ids[:position])) if position else None
        units.append(UnitNode(unit_id, parent))
    respondents = {
        unit.id: count
        for unit in units
        if (count := draw(st.none() | st.integers(0, 14))) is not None  # None: left out, counts as 0
    }
    threshold = draw(st.integers(MINIMUM_THRESHOLD, 7))
    return units, respondents, threshold


def published_groups(
    units: Sequence[UnitNode], respondents: Mapping[int, int], shown: frozenset[int], threshold: int
) -> list[tuple[frozenset[int], int]]:
    """Every group a report publishes, as (its units, its respondents), the organisation total included."""
    members = subtree_members(units)
    groups = [(members[u], sum(respondents.get(m, 0) for m in members[u])) for u in shown]
    everyone = frozenset(unit.id for unit in units)
    total = sum(respondents.get(u, 0) for u in everyone)
    if total >= threshold:
        groups.append((everyone, total))
    return groups


def derivable_remainders(outer: frozenset[int], size: int, groups: list[tuple[frozenset[int], int]]) -> set[int]:
    """Respondents left when any set of disjoint published groups inside `outer` is subtracted from it."""
    inside = [g for g in groups if g[0] < outer]
    remainders: set[int] = set()

    def choose(start: int, taken: frozenset[int], left: int) -> None:
        remainders.add(left)
        for position in range(start, len(inside)):
            group, count = inside[position]
            if not group & taken:
                choose(position + 1, taken | group, left - count)

    choose(0, frozenset(), size)
    return remainders


def exposed(groups: list[tuple[frozenset[int], int]], threshold: int) -> list[int]:
    """Remainders of 1 to threshold-1 people: a small group recovered by subtraction."""
    return [
        left for outer, size in groups for left in derivable_remainders(outer, size, groups) if 0 < left < threshold
    ]


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_no_small_group_can_be_recovered_by_subtraction(
    organisation: tuple[list[UnitNode], dict[int, int], int],
) -> None:
    units, respondents, threshold = organisation

    shown = visible_groups(units, respondents, threshold)
    groups = published_groups(units, respondents, shown, threshold)

    assert all(size >= threshold for _, size in groups)
    assert exposed(groups, threshold) == []


@settings(max_examples=100, deadline=None)
@given(organisations(), st.randoms(use_true_random=False))
def test_visibility_is_deterministic_whatever_the_order_of_units(
    organisation: tuple[list[UnitNode], dict[int, int], int], rng: random.Random
) -> None:
    units, respondents, threshold = organisation
    shuffled = list(units)
    rng.shuffle(shuffled)

    first = visible_groups(units, respondents, threshold)

    assert visible_groups(units, respondents, threshold) == first
    assert visible_groups(shuffled, respondents, threshold) == first


@settings(max_examples=100, deadline=None)
@given(organisations())
def test_nothing_is_suppressed_when_the_large_groups_are_already_safe(
    organisation: tuple[list[UnitNode], dict[int, int], int],
) -> None:
    units, respondents, threshold = organisation
    members = subtree_members(units)
    large = frozenset(u for u, group in members.items() if sum(respondents.get(m, 0) for m in group) >= threshold)

    if exposed(published_groups(units, respondents, large, threshold), threshold) == []:
        assert visible_groups(units, respondents, threshold) == large


def test_a_silent_unit_is_not_revealed_beside_its_sibling() -> None:
    # Unit 1's five answered, unit 2's one person did not: shown beside the total, "5 of 5" and "5 of 6" would say so.
    assert visible_groups([UnitNode(1), UnitNode(2)], {1: 5}, 5) == frozenset({1})
    assert visible_groups([UnitNode(1), UnitNode(2)], {1: 5}, 5, invited={1: 5, 2: 1}) == frozenset()


@st.composite
def organisations_asked(draw: st.DrawFn) -> tuple[list[UnitNode], dict[int, int], dict[int, int], int]:
    """As `organisations`, with how many each unit asked: its respondents and up to three who did not answer."""
    units, respondents, threshold = draw(organisations())
    invited = {unit.id: respondents.get(unit.id, 0) + draw(st.integers(0, 3)) for unit in units}
    return units, respondents, invited, threshold


@settings(max_examples=300, deadline=None)
@given(organisations_asked())
def test_no_ones_silence_can_be_recovered_by_subtraction(
    organisation: tuple[list[UnitNode], dict[int, int], dict[int, int], int],
) -> None:
    """With invited counts beside every group, a remainder where nobody answered must be one where nobody was asked."""
    units, respondents, invited, threshold = organisation

    shown = visible_groups(units, respondents, threshold, invited)
    groups = published_groups(units, respondents, shown, threshold)

    def asked(members: frozenset[int]) -> int:
        return sum(invited.get(unit_id, 0) for unit_id in members)

    assert exposed(groups, threshold) == []
    for outer, size in groups:
        inside = [(group, count) for group, count in groups if group < outer]
        silent = [
            asked(outer) - sum(asked(group) for group, _ in taken)
            for taken in _disjoint_sets(inside)
            if size - sum(count for _, count in taken) == 0
        ]
        assert all(left == 0 for left in silent), (outer, silent)


def _disjoint_sets(groups: list[tuple[frozenset[int], int]]) -> list[list[tuple[frozenset[int], int]]]:
    """Every set of pairwise disjoint groups among `groups`, the empty one included."""
    found: list[list[tuple[frozenset[int], int]]] = []

    def choose(start: int, taken: list[tuple[frozenset[int], int]], used: frozenset[int]) -> None:
        found.append(taken)
        for position in range(start, len(groups)):
            group = groups[position]
            if not group[0] & used:
                choose(position + 1, [*taken, group], used | group[0])

    choose(0, [], frozenset())
    return found
