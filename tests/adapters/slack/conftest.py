"""Fixtures for the Slack adapter tests: the flow fixtures, with row ids that are the same on every run."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from adapters.cli.demo import seed_demo
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.bot.flows.conftest import START, Demo, chat, clock  # noqa: F401


def restart_ids(db: Database) -> None:
    """Row ids from 1 again, so button values in golden files do not depend on the tests that ran before.

    SQLite reuses ids once the tables are empty; PostgreSQL sequences keep counting after a DELETE.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        names = connection.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"))
        for (name,) in names.all():
            connection.execute(text(f'ALTER SEQUENCE "{name}" RESTART WITH 1'))


@pytest.fixture
def demo(db: Database) -> Demo:
    """The flows' demo organisation (tests/flows/conftest.py), seeded with ids counted from 1."""
    restart_ids(db)
    org = seed_demo(db, START)
    return Demo(db, org, OrganisationRepository(db).members())
