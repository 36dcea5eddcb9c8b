"""The annual survey's results: one import per organisation and year, the vendor's figures per unit and overall.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DIMENSION_COLUMNS = ("fe", "yi", "pl", "sw", "co", "le", "pr", "oc")


def upgrade() -> None:
    op.create_table(
        "survey_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_survey_imports_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_imports")),
        sa.UniqueConstraint("org_id", "year", name=op.f("uq_survey_imports_org_id")),
    )
    op.create_table(
        "survey_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("qwl_index", sa.Float(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in DIMENSION_COLUMNS),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["survey_imports.id"],
            name=op.f("fk_survey_groups_import_id_survey_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_survey_groups_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_groups")),
    )
    op.create_index(op.f("ix_survey_groups_import_id"), "survey_groups", ["import_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_groups_import_id"), table_name="survey_groups")
    op.drop_table("survey_groups")
    op.drop_table("survey_imports")
