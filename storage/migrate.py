"""Schema migrations with Alembic, run from code so `tyhy db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema up to `revision` (the newest by default); safe to run again."""
    from storage.db_limits import unbounded  # psycopg is imported only when needed

    db.check()
    with db.engine.begin() as connection, unbounded(connection):  # building an index may take its time
        command.upgrade(_config(connection), revision)


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None before the first upgrade."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def make_revision(db: Database, message: str) -> None:
    """Autogenerate a migration from the models (a developer's tool, used when the models change)."""
    with db.engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)
