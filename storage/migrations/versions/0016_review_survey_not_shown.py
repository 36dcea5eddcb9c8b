"""A unit the survey's vendor left without figures: its counts and figures may be NULL.

Revision ID: 0016_review
Revises: 0015
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016_review"
down_revision = "0015"
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


def downgrade() -> None:
    op.execute("DELETE FROM survey_groups WHERE qwl_index IS NULL OR respondents IS NULL OR invited IS NULL")
    with op.batch_alter_table("survey_groups") as batch:
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=False)
