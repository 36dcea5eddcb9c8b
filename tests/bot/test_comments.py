"""Which pulse comments a supervisor may read: the team's figures shown, its own respondents and commenters enough."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.anonymity import UnitNode
from bot.comments import COMMENT_THRESHOLD_VARIABLE, comment_threshold_from_env, team_comments
from bot.results import RoundTallies, TeamTally, frozen_report

# A unit (1) with its own six people and two teams under it: 2 of 6 and 3 of 4.
UNITS = (UnitNode(1), UnitNode(2, 1), UnitNode(3, 1))


def _tallies(respondents: dict[int, int]) -> RoundTallies:
    tallies = tuple(TeamTally(team_id, 10, count, {}) for team_id, count in respondents.items())
    return RoundTallies(7, date(2027, 1, 31), tallies, UNITS, 3)


def _read(respondents: dict[int, int], comments: list[tuple[int, str]], team_id: int, threshold: int = 3):
    tallies = _tallies(respondents)
    return team_comments(frozen_report(tallies, {}), tallies, team_id, comments, threshold, shuffle=lambda _: None)


def test_a_team_with_enough_respondents_and_commenters_shows_only_its_own_comments() -> None:
    comments = [(1, "a"), (1, "b"), (1, "c"), (3, "under")]
    seen = _read({1: 6, 2: 0, 3: 6}, comments, 1)
    assert seen is not None and sorted(seen.shown) == ["a", "b", "c"] and seen.waiting == 0


def test_fewer_commenters_than_the_comment_threshold_only_counts_them() -> None:
    seen = _read({1: 6, 3: 6}, [(1, "a"), (1, "b")], 1)
    assert seen is not None and seen.shown == () and seen.waiting == 2 and not seen.results_hidden


def test_the_comment_threshold_raises_the_bar_but_never_lowers_it_below_three() -> None:
    three = [(1, "a"), (1, "b"), (1, "c")]
    assert _read({1: 6, 3: 6}, three, 1, threshold=4).waiting == 3  # type: ignore[union-attr]
    assert _read({1: 6, 3: 6}, three[:2], 1, threshold=1).waiting == 2  # type: ignore[union-attr]


def test_a_team_hidden_by_complementary_suppression_says_nothing_of_its_comments() -> None:
    # Unit 1's group of 6 would show; team 3 with 4 of them would leave 2 by subtraction, so team 3 is hidden.
    seen = _read({1: 2, 3: 4}, [(3, "a"), (3, "b"), (3, "c"), (3, "d")], 3)
    assert seen is not None and seen.results_hidden and seen.shown == () and seen.waiting == 0


def test_a_unit_whose_own_respondents_are_too_few_shows_none_though_its_group_is_shown() -> None:
    seen = _read({1: 2, 2: 3, 3: 3}, [(1, "a"), (1, "b")], 1)
    assert seen is not None and seen.results_hidden


def test_a_team_not_in_the_round_has_nothing_to_say() -> None:
    assert _read({1: 6}, [], 3) is None


def test_the_comment_threshold_setting_is_raised_to_three_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    assert comment_threshold_from_env({}) == 3
    assert comment_threshold_from_env({COMMENT_THRESHOLD_VARIABLE: "5"}) == 5
    with caplog.at_level(logging.WARNING):
        assert comment_threshold_from_env({COMMENT_THRESHOLD_VARIABLE: "-7"}) == 3
        assert COMMENT_THRESHOLD_VARIABLE in caplog.text
        caplog.clear()
        assert comment_threshold_from_env({COMMENT_THRESHOLD_VARIABLE: "-7"}) == 3
        assert caplog.text == ""  # told once, not on every page that reads it
    with pytest.raises(ValueError, match=COMMENT_THRESHOLD_VARIABLE):
        comment_threshold_from_env({COMMENT_THRESHOLD_VARIABLE: "some"})
