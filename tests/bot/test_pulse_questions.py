"""Choosing a round's questions: the targets' dimensions every round, the rest of the bank in turn."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.dimensions import Dimension
from bot.flows.pulse_questions import choose_questions, target_dimensions
from bot.plan import DevelopmentPlan, Target
from bot.pulse import MAX_QUESTIONS
from bot.questions import QUESTION_BANK, Question, question_by_id, questions_for


def plan_with(*targets: tuple[Dimension, ...]) -> DevelopmentPlan:
    return DevelopmentPlan(
        team_id=1, year=2026, targets=tuple(Target(f"goal {i}", dims) for i, dims in enumerate(targets))
    )


KOTIHOITO = plan_with(
    (Dimension.PROCESSES, Dimension.SAFETY), (Dimension.SUPERVISOR_WORK, Dimension.CULTURE)
)  # the demo plan's targets
RUOKAPALVELU = plan_with((Dimension.COMPETENCE,))


def dimensions_of(ids: tuple[str, ...]) -> list[Dimension]:
    return [question_by_id(q).dimension for q in ids]


@pytest.mark.parametrize("plan", [None, RUOKAPALVELU, KOTIHOITO, plan_with()], ids=["none", "one", "four", "empty"])
@pytest.mark.parametrize("round_number", range(12))
def test_three_to_five_distinct_questions_from_distinct_dimensions(
    plan: DevelopmentPlan | None, round_number: int
) -> None:
    ids = choose_questions(plan, round_number)
    assert 3 <= len(ids) <= MAX_QUESTIONS
    assert len(set(ids)) == len(ids)
    assert len(set(dimensions_of(ids))) == len(ids)  # one question per dimension: a short card covers more


@pytest.mark.parametrize("round_number", range(12))
def test_every_round_covers_each_dimension_a_target_touches(round_number: int) -> None:
    ids = choose_questions(KOTIHOITO, round_number)
    touched = {Dimension.PROCESSES, Dimension.SAFETY, Dimension.SUPERVISOR_WORK, Dimension.CULTURE}
    assert touched <= set(dimensions_of(ids))
    assert dimensions_of(ids)[:4] == [
        Dimension.PROCESSES,
        Dimension.SAFETY,
        Dimension.SUPERVISOR_WORK,
        Dimension.CULTURE,
    ]
    assert len(ids) == 5  # four targeted and one more, so the others are still asked now and then


def test_the_item_asked_of_a_targeted_dimension_rotates_round_by_round() -> None:
    asked = [choose_questions(RUOKAPALVELU, n)[0] for n in range(8)]
    assert asked == ["CO1", "CO2", "CO3", "CO4", "CO1", "CO2", "CO3", "CO4"]


@pytest.mark.parametrize("plan", [None, RUOKAPALVELU, KOTIHOITO], ids=["none", "one", "four"])
def test_over_rounds_every_dimension_and_every_item_is_asked(plan: DevelopmentPlan | None) -> None:
    asked_by_round = [choose_questions(plan, n) for n in range(40)]
    assert {d for ids in asked_by_round[:8] for d in dimensions_of(ids)} == set(Dimension)
    assert {q for ids in asked_by_round for q in ids} == {q.id for q in QUESTION_BANK}


def test_other_dimensions_take_equal_turns() -> None:
    counts = Counter(d for n in range(12) for d in dimensions_of(choose_questions(None, n)))
    # Without a plan, 3 questions a round walk the 8 dimensions in a circle: 36 slots, 4 or 5 each.
    assert sum(counts.values()) == 36 and set(counts) == set(Dimension)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_the_same_inputs_always_give_the_same_questions() -> None:
    assert choose_questions(KOTIHOITO, 7) == choose_questions(KOTIHOITO, 7)
    assert choose_questions(KOTIHOITO, 3) != choose_questions(KOTIHOITO, 4)


def test_the_first_rounds_of_a_team_without_a_plan() -> None:
    assert choose_questions(None, 0) == ("FE1", "YI1", "PL1")
    assert choose_questions(None, 1) == ("SW1", "CO1", "LE1")
    assert choose_questions(None, 2) == ("PR1", "OC1", "FE2")  # the circle comes round: the next item


def test_targets_touching_more_dimensions_than_a_card_holds_take_turns() -> None:
    wide = plan_with(tuple(Dimension)[:4], tuple(Dimension)[4:7])
    assert target_dimensions(wide) == tuple(Dimension)[:7]
    seen: set[Dimension] = set()
    for n in range(3):
        ids = choose_questions(wide, n)
        assert len(ids) == MAX_QUESTIONS
        assert set(dimensions_of(ids)) <= set(tuple(Dimension)[:7])
        seen |= set(dimensions_of(ids))
    assert seen == set(tuple(Dimension)[:7])


def test_a_dimension_named_twice_is_asked_once() -> None:
    plan = plan_with((Dimension.SAFETY, Dimension.GOALS), (Dimension.SAFETY,))
    assert target_dimensions(plan) == (Dimension.SAFETY, Dimension.GOALS)
    assert dimensions_of(choose_questions(plan, 0)).count(Dimension.SAFETY) == 1


def test_a_smaller_bank_is_respected() -> None:
    bank: tuple[Question, ...] = questions_for(Dimension.SAFETY) + questions_for(Dimension.GOALS)
    ids = choose_questions(RUOKAPALVELU, 0, bank)  # competence is not in this bank: nothing to ask about it
    assert set(dimensions_of(ids)) == {Dimension.SAFETY, Dimension.GOALS}


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        choose_questions(None, -1)
    with pytest.raises(ValueError):
        choose_questions(None, 0, ())
