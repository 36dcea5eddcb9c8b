"""The previous round's result in the thank-you: made once per closed round, made again when the tree or threshold
changes, and the same figures either way."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.flows.previous_results import KEPT_ROUNDS, PreviousResults
from bot.organisation import Organisation, Team
from bot.pulse import PulseRound
from bot.questions import QUESTION_BANK
from bot.results import RoundTallies, TeamTally

QUESTION = QUESTION_BANK[0]
HOME = Team(1, "koti", "Kotihoito")
KITCHEN = Team(2, "ruoka", "Ruokapalvelu")
SCHOOL = Team(3, "koulu", "Koulu")
ORGANISATION = Organisation(1, "Kunta", anonymity_threshold=5, teams=(HOME, KITCHEN, SCHOOL))


class CountingTallies:
    """Stored counts of closed rounds: six in each team; kotihoito answered 4, ruokapalvelu 2, the school 3."""

    def __init__(self) -> None:
        self.reads: list[int] = []

    def __call__(self, round_id: int) -> RoundTallies:
        self.reads.append(round_id)
        return RoundTallies(
            round_id,
            date(2026, 11, 2),
            (
                TeamTally(HOME.id, 8, 6, {(QUESTION.id, 4): 6}),
                TeamTally(KITCHEN.id, 8, 6, {(QUESTION.id, 2): 6}),
                TeamTally(SCHOOL.id, 8, 6, {(QUESTION.id, 3): 6}),
            ),
        )


def closed_round(round_id: int) -> PulseRound:
    opens, closes = datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    return PulseRound(opens, closes, {team.id: (QUESTION.id,) for team in ORGANISATION.teams}, id=round_id)


def test_every_answer_of_a_round_sees_the_same_result_from_one_reading() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    first = results.for_team(ORGANISATION, HOME, closed_round(7))
    # The organisation read afresh: a new object with the same tree and threshold.
    again = results.for_team(replace(ORGANISATION, name="Kunta"), HOME, closed_round(7))
    kitchen = results.for_team(ORGANISATION, KITCHEN, closed_round(7))

    assert first == again
    assert first.closes_on == date(2026, 11, 2)
    assert first.indices == {QUESTION.dimension: 75.0}  # 4 on the 1..5 scale
    assert kitchen.indices == {QUESTION.dimension: 25.0}
    assert tallies.reads == [7]


def test_a_raised_threshold_hides_what_the_old_one_showed() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    assert results.for_team(ORGANISATION, HOME, closed_round(7)).indices
    stricter = replace(ORGANISATION, anonymity_threshold=7)
    assert results.for_team(stricter, HOME, closed_round(7)).indices == {}


def test_a_moved_team_is_reported_under_its_new_parent() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    assert results.for_team(ORGANISATION, HOME, closed_round(7)).indices == {QUESTION.dimension: 75.0}
    # Ruokapalvelu moved under kotihoito: kotihoito's group now holds both teams' twelve people.
    moved = replace(ORGANISATION, teams=(HOME, replace(KITCHEN, parent_id=HOME.id), SCHOOL))
    assert results.for_team(moved, HOME, closed_round(7)).indices == {QUESTION.dimension: 50.0}
    assert tallies.reads == [7, 7]


def test_only_the_latest_rounds_are_kept() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    for round_id in range(1, KEPT_ROUNDS + 2):
        results.for_team(ORGANISATION, HOME, closed_round(round_id))
    results.for_team(ORGANISATION, HOME, closed_round(1))  # the oldest was let go: read again
    results.for_team(ORGANISATION, HOME, closed_round(KEPT_ROUNDS + 1))  # the newest is still kept
    assert tallies.reads == [*range(1, KEPT_ROUNDS + 2), 1]
