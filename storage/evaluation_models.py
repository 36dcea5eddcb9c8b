"""The tables of the year-end evaluation: one per evaluated plan, its answers, and what it carried into next year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class EvaluationRow(Base):
    """A plan's evaluation; answering again replaces its answers (migration 0017)."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("plan_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    evaluated_on: Mapped[date] = mapped_column(Date)


class EvaluationTargetRow(Base):
    """One target's outcome, what helped and what next: the team's shared answer, never a person's."""

    __tablename__ = "evaluation_targets"
    __table_args__ = (UniqueConstraint("evaluation_id", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("plan_targets.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(16))
    helped: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")


class EvaluationStrengthRow(Base):
    """Whether one strength was kept."""

    __tablename__ = "evaluation_strengths"
    __table_args__ = (UniqueConstraint("evaluation_id", "strength_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    strength_id: Mapped[int] = mapped_column(ForeignKey("plan_strengths.id", ondelete="CASCADE"))
    kept: Mapped[bool] = mapped_column(Boolean)


class CarryOverRow(Base):
    """An item an evaluation offered to next year's draft plan, and the team's decision about it."""

    __tablename__ = "carry_overs"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    draft_plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    from_target_id: Mapped[int] = mapped_column(ForeignKey("plan_targets.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(16), default="open")
    draft_target_id: Mapped[int | None] = mapped_column(ForeignKey("plan_targets.id", ondelete="SET NULL"))
