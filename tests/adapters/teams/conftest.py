"""Teams test fixtures: the flow fixtures, with row ids that start from 1 on PostgreSQL too (stable goldens)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from adapters.cli.demo import seed_demo
from storage.db import Database
from storage.models import Base
from storage.org_repository import OrganisationRepository
from tests.bot.flows.conftest import START, Demo, chat, clock  # noqa: F401

ACTIVITIES = Path(__file__).parent / "activities"


def restart_ids(db: Database) -> None:
    """Start every id sequence from 1 again: the db fixture empties PostgreSQL tables but keeps their counters.

    SQLite hands out max(id) + 1, so an emptied table starts from 1 there by itself; the goldens hold the ids
    the cards carry in their button values, and must read the same on both.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if "id" in table.columns and table.columns["id"].primary_key:
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), 1, false)"), {"table": table.name}
                )


@pytest.fixture
def demo(db: Database) -> Demo:
    """The flows' demo organisation, seeded after the ids were restarted."""
    restart_ids(db)
    org = seed_demo(db, START)
    return Demo(db, org, OrganisationRepository(db).members())


def activity(name: str) -> dict[str, Any]:
    """A captured-format activity from tests/teams/activities/."""
    loaded: dict[str, Any] = json.loads((ACTIVITIES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded
