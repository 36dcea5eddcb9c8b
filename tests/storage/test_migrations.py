"""Migrations create exactly the schema the models describe, on both backends, and can run again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Base


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    upgrade(db)  # a second run is harmless
    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert differences == []


def test_sqlite_runs_in_wal_mode(sqlite_database: Database) -> None:
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
