"""Evaluations on both backends: answering again replaces the answers, and the draft never offers an item twice."""

from __future__ import annotations

from datetime import date

from bot.evaluation import Decision, Evaluation, Outcome, StrengthEvaluation, TargetEvaluation, carried_items
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from storage.db import Database
from storage.evaluation_repository import EvaluationRepository
from storage.plan_repository import PlanRepository
from tests.storage_helpers import make_org


def test_an_evaluation_answered_twice_keeps_the_teams_decisions_and_offers_nothing_twice(db: Database) -> None:
    team = make_org(db, {"kotihoito": 6}).teams[0]
    plans = PlanRepository(db)
    plan = plans.save(
        DevelopmentPlan(team.id, 2026)
        .with_strength(Strength("Autamme toisiamme"))
        .with_target(
            Target("Ennakoitavat työvuorot")
            .with_action(PlanAction("Toivetaulukko", status=ActionStatus.DONE))
            .with_action(PlanAction("Varahenkilölista"))
        )
        .agree(date(2026, 3, 10))
    )
    plans.save(DevelopmentPlan(team.id, 2025, agreed_on=date(2025, 3, 1)))  # an older year is not the one evaluated
    repo = EvaluationRepository(db)
    assert repo.plan_to_evaluate(team.id) == plan
    assert plan.id is not None and plan.targets[0].id is not None and plan.strengths[0].id is not None
    target, strength = plan.targets[0].id, plan.strengths[0].id

    first = Evaluation.answer(
        plan, (TargetEvaluation(target, Outcome.PARTLY),), (StrengthEvaluation(strength, True),), date(2026, 12, 3)
    )
    draft_id = repo.save(first, plan, carried_items(plan, first))
    (item,) = repo.carried(draft_id)
    assert (item.text, item.decision) == ("Varahenkilölista", Decision.OPEN)
    assert repo.decide(item.id or 0, Decision.DROPPED) and not repo.decide(item.id or 0, Decision.KEPT)

    second = Evaluation.answer(
        plan,
        (TargetEvaluation(target, Outcome.ACHIEVED, "taulukko", "Lista valmiiksi"),),
        (StrengthEvaluation(strength, False),),
        date(2026, 12, 10),
    )
    assert repo.save(second, plan, carried_items(plan, second)) == draft_id  # the same draft
    assert [(i.text, i.decision) for i in repo.carried(draft_id)] == [
        ("Varahenkilölista", Decision.DROPPED),
        ("Lista valmiiksi", Decision.OPEN),
    ]
    stored = repo.for_plan(plan.id)
    assert stored is not None and stored.evaluated_on == date(2026, 12, 10)
    assert stored.targets == (TargetEvaluation(target, Outcome.ACHIEVED, "taulukko", "Lista valmiiksi"),)
    assert stored.strengths == (StrengthEvaluation(strength, False),)
    draft = plans.current(team.id)
    assert draft is not None and (draft.id, draft.year, draft.agreed_on) == (draft_id, 2027, None)
    assert repo.plan_to_evaluate(team.id) == plan  # the unagreed draft is not evaluated
