"""The outbox migration: creates what the models describe on both backends, and steps down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import storage.outbox_models  # noqa: F401  # registers the outbox tables until storage/models.py imports them
from storage.db import Database
from storage.migrate import _config, upgrade
from storage.models import Base


def test_the_outbox_tables_match_their_models(db: Database) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert differences == []


def test_the_outbox_migration_goes_down_and_up_again(db: Database) -> None:
    try:
        with db.engine.begin() as connection:
            command.downgrade(_config(connection), "0003")
        assert not inspect(db.engine).has_table("outbox")
        assert not inspect(db.engine).has_table("rate_buckets")
    finally:
        upgrade(db)
        # SQLite's PRAGMAs read a connection's cached schema: pooled connections from earlier tests predate the DDL.
        db.engine.dispose()
    assert inspect(db.engine).has_table("outbox") and inspect(db.engine).has_table("rate_buckets")
    assert {ix["name"] for ix in inspect(db.engine).get_indexes("outbox")} >= {"ix_outbox_claim"}
