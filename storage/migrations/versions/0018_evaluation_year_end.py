"""The year-end evaluation: answers per target and strength, and the items it carries into next year's draft.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("plan_id", name="uq_evaluations_plan_id"),
    )
    op.create_table(
        "evaluation_targets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_id", sa.Integer(), sa.ForeignKey("plan_targets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("helped", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.UniqueConstraint("evaluation_id", "target_id", name="uq_evaluation_targets_evaluation_id"),
    )
    op.create_index("ix_evaluation_targets_evaluation_id", "evaluation_targets", ["evaluation_id"])
    op.create_table(
        "evaluation_strengths",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("strength_id", sa.Integer(), sa.ForeignKey("plan_strengths.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("evaluation_id", "strength_id", name="uq_evaluation_strengths_evaluation_id"),
    )
    op.create_index("ix_evaluation_strengths_evaluation_id", "evaluation_strengths", ["evaluation_id"])
    op.create_table(
        "carry_overs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("draft_plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("from_target_id", sa.Integer(), sa.ForeignKey("plan_targets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column(
            "draft_target_id", sa.Integer(), sa.ForeignKey("plan_targets.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_index("ix_carry_overs_evaluation_id", "carry_overs", ["evaluation_id"])
    op.create_index("ix_carry_overs_draft_plan_id", "carry_overs", ["draft_plan_id"])


def downgrade() -> None:
    op.drop_table("carry_overs")
    op.drop_table("evaluation_strengths")
    op.drop_table("evaluation_targets")
    op.drop_table("evaluations")
