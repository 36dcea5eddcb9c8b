"""The evaluation's rules: every target and strength answered, texts within limits, and what carries over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.errors import DomainError
from bot.evaluation import (
    MAX_EVALUATION_TEXT,
    CarriedItem,
    CarryKind,
    Evaluation,
    Outcome,
    StrengthEvaluation,
    TargetEvaluation,
    carried_items,
    keep_in_draft,
)
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target

DAY = date(2026, 12, 3)
PLAN = DevelopmentPlan(
    team_id=1,
    year=2026,
    strengths=(Strength("Autamme toisiamme", id=5),),
    targets=(
        Target(
            "Työvuorot ennakoitaviksi",
            actions=(
                PlanAction("Toivetaulukko", 7, status=ActionStatus.DONE, id=1),
                PlanAction("Varahenkilölista", 8, date(2026, 6, 1), ActionStatus.STUCK, id=2),
            ),
            id=10,
        ),
        Target("Palautetta säännöllisesti", actions=(PlanAction("Kahdenkeskiset", id=3),), id=11),
    ),
    agreed_on=date(2026, 3, 1),
    id=99,
)
KEPT = (StrengthEvaluation(5, kept=True),)


def test_an_answer_needs_every_target_and_strength_and_names_the_first_missing() -> None:
    with pytest.raises(DomainError) as missing_target:
        Evaluation.answer(PLAN, (TargetEvaluation(10, Outcome.ACHIEVED),), KEPT, DAY)
    assert (missing_target.value.key, missing_target.value.params) == ("evaluation.target_missing", {"number": 2})
    both = (TargetEvaluation(10, Outcome.ACHIEVED), TargetEvaluation(11, Outcome.PARTLY))
    with pytest.raises(DomainError) as missing_strength:
        Evaluation.answer(PLAN, both, (), DAY)
    assert missing_strength.value.key == "evaluation.strength_missing"
    assert "vahvuudelle 1" in missing_strength.value.message("fi")


def test_a_target_of_another_plan_or_a_text_too_long_is_refused() -> None:
    with pytest.raises(DomainError) as other:
        Evaluation.answer(PLAN, (TargetEvaluation(12, Outcome.ACHIEVED),), KEPT, DAY)
    assert other.value.key == "evaluation.plan_changed"
    long = "x" * (MAX_EVALUATION_TEXT + 1)
    answers = (TargetEvaluation(10, Outcome.ACHIEVED), TargetEvaluation(11, Outcome.PARTLY, next_step=long))
    with pytest.raises(DomainError) as too_long:
        Evaluation.answer(PLAN, answers, KEPT, DAY)
    assert too_long.value.params == {"number": 2, "max": MAX_EVALUATION_TEXT}


def test_unfinished_actions_and_what_next_carry_over_in_plan_order() -> None:
    answers = (
        TargetEvaluation(10, Outcome.PARTLY, helped=" yhteinen taulukko ", next_step=" Lista kuntoon "),
        TargetEvaluation(11, Outcome.NOT_ACHIEVED),
    )
    evaluation = Evaluation.answer(PLAN, answers, KEPT, DAY)
    assert evaluation.of_target(10) == TargetEvaluation(10, Outcome.PARTLY, "yhteinen taulukko", "Lista kuntoon")
    assert [(i.kind, i.from_target_id, i.text, i.owner_id) for i in carried_items(PLAN, evaluation)] == [
        (CarryKind.UNFINISHED_ACTION, 10, "Varahenkilölista", 8),
        (CarryKind.NEXT_STEP, 10, "Lista kuntoon", None),
        (CarryKind.UNFINISHED_ACTION, 11, "Kahdenkeskiset", None),
    ]


def test_a_kept_item_goes_under_a_copy_of_its_target_once_without_last_years_dates() -> None:
    draft = DevelopmentPlan(team_id=1, year=2027)
    item = CarriedItem(CarryKind.UNFINISHED_ACTION, 10, "Varahenkilölista", 8)
    once = keep_in_draft(draft, item, PLAN.targets[0], None)
    assert [t.title for t in once.targets] == ["Työvuorot ennakoitaviksi"] and once.targets[0].id is None
    assert once.targets[0].actions == (PlanAction("Varahenkilölista", 8),)
    stored = DevelopmentPlan(1, 2027, targets=(replace(once.targets[0], id=40),))
    twice = keep_in_draft(stored, CarriedItem(CarryKind.NEXT_STEP, 10, "Lista kuntoon"), PLAN.targets[0], 40)
    assert len(twice.targets) == 1 and [a.text for a in twice.targets[0].actions] == [
        "Varahenkilölista",
        "Lista kuntoon",
    ]
    full = DevelopmentPlan(1, 2027, targets=tuple(Target(f"t{n}", id=50 + n) for n in range(3)))
    with pytest.raises(DomainError):
        keep_in_draft(full, item, PLAN.targets[0], None)
