"""Member identities keep the person's directory object id (Teams' aadObjectId), which matches them across ids.

Installing the Teams app into a team matched its roster to the organisation by Teams id only: everyone the
organisation file listed without one became a second member. The roster names each person's Microsoft Entra
object id, which stays the same whatever bot or tenant asks; it is kept with the identity and looked up by it.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "member_identities",
        sa.Column("aad_object_id", sa.String(length=100), nullable=False, server_default=""),
    )
    op.create_index("ix_member_identities_directory", "member_identities", ["platform", "aad_object_id"])


def downgrade() -> None:
    op.drop_index("ix_member_identities_directory", table_name="member_identities")
    with op.batch_alter_table("member_identities") as batch:
        batch.drop_column("aad_object_id")
