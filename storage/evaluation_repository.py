"""Year-end evaluations: the plan to evaluate, the answers, next year's draft and the items carried into it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.evaluation import (
    CarriedItem,
    CarryKind,
    Decision,
    Evaluation,
    Outcome,
    StrengthEvaluation,
    TargetEvaluation,
)
from bot.plan import DevelopmentPlan
from storage.db import Database
from storage.evaluation_models import CarryOverRow, EvaluationRow, EvaluationStrengthRow, EvaluationTargetRow
from storage.models import PlanRow
from storage.plan_repository import PlanRepository


class EvaluationRepository:
    """Evaluations as domain objects; a plan has at most one, and answering again replaces its answers."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.plans = PlanRepository(db)

    def plan_to_evaluate(self, team_id: int) -> DevelopmentPlan | None:
        """The team's newest agreed plan: the year's, even when next year's draft already exists."""
        with self.db.transaction() as session:
            plan_id = session.scalars(
                select(PlanRow.id)
                .where(PlanRow.team_id == team_id, PlanRow.agreed_on.is_not(None))
                .order_by(PlanRow.year.desc())
            ).first()
        return None if plan_id is None else self.plans.get(plan_id)

    def plans_to_evaluate(self) -> dict[int, DevelopmentPlan]:
        """Every team's newest agreed plan, by team id, in a fixed number of queries (the dashboard's pages)."""
        with self.db.transaction() as session:
            newest: dict[int, int] = {}
            for team_id, plan_id in session.execute(
                select(PlanRow.team_id, PlanRow.id).where(PlanRow.agreed_on.is_not(None)).order_by(PlanRow.year)
            ):
                newest[team_id] = plan_id  # the rows come oldest year first: the last one stays
        plans = self.plans.get_many(list(newest.values()))
        return {plan.team_id: plan for plan in plans}

    def for_plan(self, plan_id: int) -> Evaluation | None:
        """The plan's evaluation, if it has been answered."""
        with self.db.transaction() as session:
            row = session.scalars(select(EvaluationRow).where(EvaluationRow.plan_id == plan_id)).first()
            return None if row is None else _evaluation(session, row)

    def for_plans(self, plan_ids: Sequence[int]) -> dict[int, Evaluation]:
        """The evaluations of several plans, by plan id."""
        with self.db.transaction() as session:
            rows = session.scalars(select(EvaluationRow).where(EvaluationRow.plan_id.in_(list(plan_ids)))).all()
            return {row.plan_id: _evaluation(session, row) for row in rows}

    def save(self, evaluation: Evaluation, plan: DevelopmentPlan, offered: Sequence[CarriedItem]) -> int:
        """Store the answers, make sure next year's draft exists, and offer it the carried items; one transaction.

        Items the team has decided already stay as they were; those still open are replaced by `offered`, less any
        the team decided before (an evaluation answered twice offers nothing twice). Returns the draft's plan id.
        """
        with self.db.transaction() as session:
            row = session.scalars(select(EvaluationRow).where(EvaluationRow.plan_id == evaluation.plan_id)).first()
            if row is None:
                row = EvaluationRow(plan_id=evaluation.plan_id, evaluated_on=evaluation.evaluated_on)
                session.add(row)
            row.evaluated_on = evaluation.evaluated_on
            session.flush()
            session.execute(delete(EvaluationTargetRow).where(EvaluationTargetRow.evaluation_id == row.id))
            session.execute(delete(EvaluationStrengthRow).where(EvaluationStrengthRow.evaluation_id == row.id))
            for answer in evaluation.targets:
                session.add(
                    EvaluationTargetRow(
                        evaluation_id=row.id,
                        target_id=answer.target_id,
                        outcome=answer.outcome.value,
                        helped=answer.helped,
                        next_step=answer.next_step,
                    )
                )
            for kept in evaluation.strengths:
                session.add(EvaluationStrengthRow(evaluation_id=row.id, strength_id=kept.strength_id, kept=kept.kept))
            draft_id = _draft_id(session, plan)
            _offer(session, row.id, draft_id, offered)
            return draft_id

    def draft_of(self, plan_id: int) -> int | None:
        """The id of the draft plan the evaluation of `plan_id` carried items into."""
        with self.db.transaction() as session:
            return session.scalars(
                select(CarryOverRow.draft_plan_id)
                .join(EvaluationRow, EvaluationRow.id == CarryOverRow.evaluation_id)
                .where(EvaluationRow.plan_id == plan_id)
            ).first()

    def carried(self, draft_plan_id: int) -> list[CarriedItem]:
        """The items offered to a draft plan, in the order offered."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(CarryOverRow).where(CarryOverRow.draft_plan_id == draft_plan_id).order_by(CarryOverRow.position)
            ).all()
            return [_item(r) for r in rows]

    def carried_item(self, item_id: int) -> tuple[CarriedItem, int] | None:
        """One carried item and its draft plan's id."""
        with self.db.transaction() as session:
            row = session.get(CarryOverRow, item_id)
            return None if row is None else (_item(row), row.draft_plan_id)

    def decide(self, item_id: int, decision: Decision) -> bool:
        """Record the team's decision about an open item; False when it was decided already (a double tap)."""
        with self.db.transaction() as session:
            result = session.execute(
                update(CarryOverRow)
                .where(CarryOverRow.id == item_id, CarryOverRow.decision == Decision.OPEN.value)
                .values(decision=decision.value)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def reopen(self, item_id: int) -> None:
        """Put a decision back, when keeping the item could not be saved into the draft."""
        with self.db.transaction() as session:
            session.execute(update(CarryOverRow).where(CarryOverRow.id == item_id).values(decision=Decision.OPEN.value))

    def placed(self, item_id: int, draft_target_id: int) -> None:
        """Remember the draft target a kept item went under, so the next item of its old target joins it."""
        with self.db.transaction() as session:
            session.execute(
                update(CarryOverRow).where(CarryOverRow.id == item_id).values(draft_target_id=draft_target_id)
            )


def _draft_id(session: Session, plan: DevelopmentPlan) -> int:
    """Next year's plan of the team: the one already started (by a choosing, say), else a new empty draft."""
    year = plan.year + 1
    draft = session.scalars(select(PlanRow).where(PlanRow.team_id == plan.team_id, PlanRow.year == year)).first()
    if draft is None:
        draft = PlanRow(team_id=plan.team_id, year=year)
        session.add(draft)
        session.flush()
    return draft.id


def _offer(session: Session, evaluation_id: int, draft_id: int, offered: Sequence[CarriedItem]) -> None:
    session.execute(
        delete(CarryOverRow).where(
            CarryOverRow.evaluation_id == evaluation_id, CarryOverRow.decision == Decision.OPEN.value
        )
    )
    decided = session.scalars(select(CarryOverRow).where(CarryOverRow.evaluation_id == evaluation_id)).all()
    seen = {(r.kind, r.from_target_id, r.text) for r in decided}
    position = max((r.position for r in decided), default=-1) + 1
    for item in offered:
        if (item.kind.value, item.from_target_id, item.text) in seen:
            continue
        seen.add((item.kind.value, item.from_target_id, item.text))
        session.add(
            CarryOverRow(
                evaluation_id=evaluation_id,
                draft_plan_id=draft_id,
                position=position,
                kind=item.kind.value,
                from_target_id=item.from_target_id,
                text=item.text,
                owner_id=item.owner_id,
                decision=Decision.OPEN.value,
            )
        )
        position += 1


def _item(row: CarryOverRow) -> CarriedItem:
    return CarriedItem(
        CarryKind(row.kind),
        row.from_target_id,
        row.text,
        row.owner_id,
        Decision(row.decision),
        row.draft_target_id,
        id=row.id,
    )


def _evaluation(session: Session, row: EvaluationRow) -> Evaluation:
    targets = session.scalars(
        select(EvaluationTargetRow).where(EvaluationTargetRow.evaluation_id == row.id).order_by(EvaluationTargetRow.id)
    ).all()
    strengths = session.scalars(
        select(EvaluationStrengthRow)
        .where(EvaluationStrengthRow.evaluation_id == row.id)
        .order_by(EvaluationStrengthRow.id)
    ).all()
    return Evaluation(
        plan_id=row.plan_id,
        targets=tuple(TargetEvaluation(t.target_id, Outcome(t.outcome), t.helped, t.next_step) for t in targets),
        strengths=tuple(StrengthEvaluation(s.strength_id, s.kept) for s in strengths),
        evaluated_on=row.evaluated_on,
        id=row.id,
    )
