"""The tests' copied demo is the demo: the same rows, ids and next ids as seeding it afresh."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.cli.demo import seed_demo
from bot.plan import DevelopmentPlan
from storage.db import Database
from storage.plan_repository import PlanRepository
from tests.conftest import _empty
from tests.demo_copy import demo_in, restart_ids, table_rows

WHEN = datetime(2027, 2, 8, 7, tzinfo=UTC)  # a clock no other test seeds with: the first call here seeds for real


def _comparable(db: Database) -> dict[str, Any]:
    # Rows compare in an order of their own (a table's physical order changes with its updates); a comment's id is
    # drawn at random (nothing may tell who wrote it), so comments compare by their other fields.
    rows: dict[str, Any] = {table.name: sorted(rows, key=repr) for table, rows in table_rows(db)}
    rows["pulse_comments"] = sorted((row["round_id"], row["team_id"], row["text"]) for row in rows["pulse_comments"])
    return rows


def test_a_copied_demo_holds_what_a_fresh_seeding_writes_and_numbers_new_rows_alike(db: Database) -> None:
    restart_ids(db)
    seed_demo(db, WHEN)
    fresh = _comparable(db)
    team_id = next(iter(fresh["teams"]))["id"]
    next_plan = PlanRepository(db).save(DevelopmentPlan(team_id, 2030)).id
    for _ in range(2):  # the first seeds and keeps the rows, the second copies them
        _empty(db)
        organisation = demo_in(db, WHEN)
        assert _comparable(db) == fresh
        assert organisation.name == "Esimerkkilän kunta"
        assert PlanRepository(db).save(DevelopmentPlan(team_id, 2030)).id == next_plan
