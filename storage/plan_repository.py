"""Development plans: saving a plan with its strengths, targets and actions, and recording follow-ups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.dimensions import Dimension
from bot.plan import ActionStatus, DevelopmentPlan, FollowUp, PlanAction, Strength, Target
from storage.db import Database
from storage.models import FollowUpRow, PlanActionRow, PlanRow, PlanStrengthRow, PlanTargetRow


class PlanRepository:
    """Plans as domain objects; children keep their ids across saves so successes stay linked to targets."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def current(self, team_id: int) -> DevelopmentPlan | None:
        """The team's newest plan."""
        with self.db.transaction() as session:
            row = session.scalars(
                select(PlanRow).where(PlanRow.team_id == team_id).order_by(PlanRow.year.desc())
            ).first()
            return None if row is None else _plan(session, row)

    def get(self, plan_id: int) -> DevelopmentPlan | None:
        """One plan by id."""
        with self.db.transaction() as session:
            row = session.get(PlanRow, plan_id)
            return None if row is None else _plan(session, row)

    def get_many(self, plan_ids: Sequence[int]) -> list[DevelopmentPlan]:
        """Several plans by id, in a fixed number of queries however many."""
        if not plan_ids:
            return []
        with self.db.transaction() as session:
            rows = session.scalars(select(PlanRow).where(PlanRow.id.in_(list(plan_ids)))).all()
            return _plans(session, rows)

    def all_current(self) -> list[DevelopmentPlan]:
        """Every team's newest plan."""
        with self.db.transaction() as session:
            rows = session.scalars(select(PlanRow).order_by(PlanRow.team_id, PlanRow.year.desc())).all()
            newest: dict[int, PlanRow] = {}
            for row in rows:
                newest.setdefault(row.team_id, row)
            return _plans(session, list(newest.values()))

    def save(self, plan: DevelopmentPlan) -> DevelopmentPlan:
        """Insert or update the plan whole; what the plan no longer holds is removed.

        Follow-ups are history: record_follow_up writes each once, and a save leaves them as they are.
        """
        with self.db.transaction() as session:
            row = session.get(PlanRow, plan.id) if plan.id is not None else None
            if row is None:
                row = PlanRow(team_id=plan.team_id, year=plan.year)
                session.add(row)
            row.year, row.agreed_on, row.last_follow_up_on = plan.year, plan.agreed_on, plan.last_follow_up_on
            session.flush()
            _save_strengths(session, row.id, plan.strengths)
            _save_targets(session, row.id, plan.targets)
            session.flush()
            return _plan(session, row)

    def record_follow_up(self, plan_id: int, held_on: date, note: str = "") -> DevelopmentPlan:
        """The plan was discussed in a team meeting, with what was decided; the 3-month clock restarts."""
        with self.db.transaction() as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                raise LookupError(f"no plan {plan_id}")
            plan = _plan(session, row).record_follow_up(held_on, note)
            row.last_follow_up_on = plan.last_follow_up_on
            session.add(FollowUpRow(plan_id=plan_id, held_on=held_on, note=plan.follow_ups[-1].note))
            session.flush()
            return _plan(session, row)

    def all_follow_up_dates(self) -> dict[int, list[date]]:
        """Every plan's follow-ups by plan id, oldest first: the dashboard's export reads them in one query."""
        with self.db.transaction() as session:
            dates: dict[int, list[date]] = defaultdict(list)
            for plan_id, held_on in session.execute(
                select(FollowUpRow.plan_id, FollowUpRow.held_on).order_by(FollowUpRow.plan_id, FollowUpRow.held_on)
            ):
                dates[plan_id].append(held_on)
            return dict(dates)

    def follow_up_dates(self, plan_id: int) -> list[date]:
        """Every follow-up held for the plan, oldest first."""
        with self.db.transaction() as session:
            return list(
                session.scalars(
                    select(FollowUpRow.held_on).where(FollowUpRow.plan_id == plan_id).order_by(FollowUpRow.held_on)
                )
            )


def _save_strengths(session: Session, plan_id: int, strengths: Sequence[Strength]) -> None:
    kept = [s.id for s in strengths if s.id is not None]
    session.execute(delete(PlanStrengthRow).where(PlanStrengthRow.plan_id == plan_id, PlanStrengthRow.id.not_in(kept)))
    for position, strength in enumerate(strengths):
        row = _owned(session, PlanStrengthRow, strength.id, plan_id=plan_id)
        row.position, row.text = position, strength.text
        row.dimension = strength.dimension.value if strength.dimension else None


def _save_targets(session: Session, plan_id: int, targets: Sequence[Target]) -> None:
    kept = [t.id for t in targets if t.id is not None]
    session.execute(delete(PlanTargetRow).where(PlanTargetRow.plan_id == plan_id, PlanTargetRow.id.not_in(kept)))
    for position, target in enumerate(targets):
        row = _owned(session, PlanTargetRow, target.id, plan_id=plan_id)
        row.position, row.title, row.goal = position, target.title, target.goal
        row.practice, row.follow_up = target.practice, target.follow_up
        row.dimensions = ",".join(d.value for d in target.dimensions)
        session.flush()
        _save_actions(session, row.id, target.actions)


def _save_actions(session: Session, target_id: int, actions: Sequence[PlanAction]) -> None:
    kept = [a.id for a in actions if a.id is not None]
    session.execute(delete(PlanActionRow).where(PlanActionRow.target_id == target_id, PlanActionRow.id.not_in(kept)))
    for position, action in enumerate(actions):
        row = _owned(session, PlanActionRow, action.id, target_id=target_id)
        row.position, row.text, row.owner_id = position, action.text, action.owner_id
        row.due_on, row.status, row.due_words = action.due_on, action.status.value, action.due_words


RowT = TypeVar("RowT", PlanStrengthRow, PlanTargetRow, PlanActionRow)


def _owned(session: Session, model: type[RowT], row_id: int | None, **owner: int) -> RowT:
    """The existing child row when it belongs to this owner, else a new one (ids from elsewhere are not trusted)."""
    if row_id is not None:
        row = session.get(model, row_id)
        if row is not None and all(getattr(row, k) == v for k, v in owner.items()):
            return row
    row = model(**owner)
    session.add(row)
    return row


def _plan(session: Session, row: PlanRow) -> DevelopmentPlan:
    return _plans(session, [row])[0]


def _plans(session: Session, rows: Sequence[PlanRow]) -> list[DevelopmentPlan]:
    """The plans with their strengths, targets, actions and follow-ups, in four queries however many plans there are."""
    plan_ids = [row.id for row in rows]
    strengths: dict[int, list[PlanStrengthRow]] = defaultdict(list)
    for s in session.scalars(
        select(PlanStrengthRow).where(PlanStrengthRow.plan_id.in_(plan_ids)).order_by(PlanStrengthRow.position)
    ):
        strengths[s.plan_id].append(s)
    target_rows: dict[int, list[PlanTargetRow]] = defaultdict(list)
    for t in session.scalars(
        select(PlanTargetRow).where(PlanTargetRow.plan_id.in_(plan_ids)).order_by(PlanTargetRow.position)
    ):
        target_rows[t.plan_id].append(t)
    target_ids = [t.id for targets in target_rows.values() for t in targets]
    follow_ups: dict[int, list[FollowUpRow]] = defaultdict(list)
    for f in session.scalars(
        select(FollowUpRow).where(FollowUpRow.plan_id.in_(plan_ids)).order_by(FollowUpRow.held_on, FollowUpRow.id)
    ):
        follow_ups[f.plan_id].append(f)
    actions: dict[int, list[PlanActionRow]] = defaultdict(list)
    for a in session.scalars(
        select(PlanActionRow).where(PlanActionRow.target_id.in_(target_ids)).order_by(PlanActionRow.position)
    ):
        actions[a.target_id].append(a)
    return [
        DevelopmentPlan(
            team_id=row.team_id,
            year=row.year,
            strengths=tuple(
                Strength(s.text, Dimension(s.dimension) if s.dimension else None, id=s.id) for s in strengths[row.id]
            ),
            targets=tuple(
                Target(
                    title=t.title,
                    goal=t.goal,
                    dimensions=tuple(Dimension(code) for code in t.dimensions.split(",") if code),
                    practice=t.practice,
                    follow_up=t.follow_up,
                    actions=tuple(
                        PlanAction(a.text, a.owner_id, a.due_on, ActionStatus(a.status), id=a.id, due_words=a.due_words)
                        for a in actions[t.id]
                    ),
                    id=t.id,
                )
                for t in target_rows[row.id]
            ),
            agreed_on=row.agreed_on,
            last_follow_up_on=row.last_follow_up_on,
            id=row.id,
            follow_ups=tuple(FollowUp(f.held_on, f.note, id=f.id) for f in follow_ups[row.id]),
        )
        for row in rows
    ]
