"""The previous round's result in the thank-you: made once per closed round, under the tree and threshold the round
opened with, whatever the organisation looks like today."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.anonymity import UnitNode
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
    """Stored counts of closed rounds: six in each team; kotihoito answered 4, ruokapalvelu 2, the school 3.

    The rounds opened under `units` and `threshold`: by default the organisation's three teams side by side, and 5.
    """

    def __init__(self, units: tuple[UnitNode, ...] | None = None, threshold: int = 5) -> None:
        self.reads: list[int] = []
        self.units = units or tuple(UnitNode(team.id, team.parent_id) for team in ORGANISATION.teams)
        self.threshold = threshold

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
            self.units,
            self.threshold,
        )


def closed_round(round_id: int) -> PulseRound:
    opens, closes = datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    return PulseRound(opens, closes, {team.id: (QUESTION.id,) for team in ORGANISATION.teams}, id=round_id)


def test_every_answer_of_a_round_sees_the_same_result_from_one_reading() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    first = results.for_team(HOME, closed_round(7))
    again = results.for_team(HOME, closed_round(7))
    kitchen = results.for_team(KITCHEN, closed_round(7))

    assert first == again
    assert first.closes_on == date(2026, 11, 2)
    assert first.indices == {QUESTION.dimension: 75.0}  # 4 on the 1..5 scale
    assert kitchen.indices == {QUESTION.dimension: 25.0}
    assert tallies.reads == [7]


def test_a_round_keeps_the_threshold_it_opened_with() -> None:
    assert PreviousResults(CountingTallies()).for_team(HOME, closed_round(7)).indices
    # Opened under a threshold of 7, the six of kotihoito stay hidden whatever the organisation's is now.
    assert PreviousResults(CountingTallies(threshold=7)).for_team(HOME, closed_round(7)).indices == {}


def test_a_round_keeps_the_tree_it_opened_with() -> None:
    # Opened with ruokapalvelu under kotihoito: kotihoito's group holds both teams' twelve people, and keeps them.
    nested = (UnitNode(HOME.id), UnitNode(KITCHEN.id, HOME.id), UnitNode(SCHOOL.id))
    results = PreviousResults(CountingTallies(nested))
    assert results.for_team(HOME, closed_round(7)).indices == {QUESTION.dimension: 50.0}
    # A team that did not exist when the round opened has no result in it.
    assert results.for_team(replace(HOME, id=99), closed_round(7)).indices == {}


def test_only_the_latest_rounds_are_kept() -> None:
    tallies = CountingTallies()
    results = PreviousResults(tallies)
    for round_id in range(1, KEPT_ROUNDS + 2):
        results.for_team(HOME, closed_round(round_id))
    results.for_team(HOME, closed_round(1))  # the oldest was let go: read again
    results.for_team(HOME, closed_round(KEPT_ROUNDS + 1))  # the newest is still kept
    assert tallies.reads == [*range(1, KEPT_ROUNDS + 2), 1]
