"""Survey results under the anonymity rules: a unit the vendor left without figures, and the tree of each year.

A unit the vendor left out for too few respondents has no figures (and maybe no counts): those columns may be NULL.
A year keeps the unit tree and the anonymity threshold it was imported under and is shown under them for good, as a
pulse round does (0013). Years imported already get today's tree and threshold, the ones they were shown under.

Revision ID: 0017
Revises: 0016
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("respondents", sa.Integer()),
    ("invited", sa.Integer()),
    ("qwl_index", sa.Float()),
    *((name, sa.Float()) for name in ("fe", "yi", "pl", "sw", "co", "le", "pr", "oc")),
)


def upgrade() -> None:
    with op.batch_alter_table("survey_groups") as batch:  # SQLite rebuilds the table; PostgreSQL alters in place
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=True)
    op.add_column("survey_imports", sa.Column("anonymity_threshold", sa.Integer(), nullable=False, server_default="5"))
    op.create_table(
        "survey_import_units",
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("survey_imports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("unit_id", sa.Integer(), primary_key=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
    )
    op.execute(
        "UPDATE survey_imports SET anonymity_threshold = "
        "(SELECT o.anonymity_threshold FROM organisations o WHERE o.id = survey_imports.org_id)"
    )
    op.execute(
        "INSERT INTO survey_import_units (import_id, unit_id, parent_id) "
        "SELECT i.id, t.id, t.parent_id FROM survey_imports i JOIN teams t ON t.org_id = i.org_id"
    )


def downgrade() -> None:
    op.drop_table("survey_import_units")
    with op.batch_alter_table("survey_imports") as batch:
        batch.drop_column("anonymity_threshold")
    op.execute("DELETE FROM survey_groups WHERE qwl_index IS NULL OR respondents IS NULL OR invited IS NULL")
    with op.batch_alter_table("survey_groups") as batch:
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=False)
