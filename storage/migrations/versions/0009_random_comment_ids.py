"""Pulse comments get random ids: an increasing id (SQLite's rowid) told in which order comments came in, and so,
beside the order of the answered markers, whose comment was whose.

Existing comments are renumbered at random too, which also moves them out of their original order on SQLite and,
on PostgreSQL, gives them all this migration's transaction id instead of their answer's.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # No sequence hands out ids any more; the application draws each one (storage/pulse_repository.py).
        op.execute(
            """
            DO $$
            DECLARE serial text := pg_get_serial_sequence('pulse_comments', 'id');
            BEGIN
                ALTER TABLE pulse_comments ALTER COLUMN id DROP DEFAULT;
                IF serial IS NOT NULL THEN
                    EXECUTE 'DROP SEQUENCE ' || serial;
                END IF;
            END $$
            """
        )
        op.alter_column("pulse_comments", "id", type_=sa.BigInteger(), existing_type=sa.Integer(), nullable=False)
        op.execute("UPDATE pulse_comments SET id = 1 + floor(random() * 9007199254740990)::bigint")
    else:
        # "INTEGER PRIMARY KEY" is SQLite's rowid already, 64 bits wide: only the numbers change.
        op.execute("UPDATE pulse_comments SET id = 1 + (random() & 4611686018427387903)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE pulse_comments SET id = numbered.n FROM "
            "(SELECT id AS old, row_number() OVER (ORDER BY id) AS n FROM pulse_comments) AS numbered "
            "WHERE pulse_comments.id = numbered.old"
        )
        op.alter_column("pulse_comments", "id", type_=sa.Integer(), existing_type=sa.BigInteger(), nullable=False)
        op.execute("CREATE SEQUENCE pulse_comments_id_seq OWNED BY pulse_comments.id")
        op.execute("SELECT setval('pulse_comments_id_seq', coalesce(max(id), 0) + 1, false) FROM pulse_comments")
        op.execute("ALTER TABLE pulse_comments ALTER COLUMN id SET DEFAULT nextval('pulse_comments_id_seq')")
