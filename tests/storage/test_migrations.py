"""Migrations create exactly the schema the models describe, on both backends, and can run again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.anonymity import UnitNode
from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Base
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository


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


def test_rounds_from_before_0013_keep_todays_tree_and_threshold(tmp_path: Path) -> None:
    """Their tree when they opened was never kept: the migration freezes the one they have been shown under."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0012")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (id, name, language, timezone, anonymity_threshold) "
                "VALUES (1, 'Kunta', 'fi', 'Europe/Helsinki', 4)"
            )
        )
        for team_id, parent in ((1, None), (2, 1), (3, None)):
            connection.execute(
                text(
                    "INSERT INTO teams (id, org_id, key, name, parent_id, timezone) "
                    "VALUES (:id, 1, :key, :key, :parent, 'Europe/Helsinki')"
                ),
                {"id": team_id, "key": f"t{team_id}", "parent": parent},
            )
        connection.execute(
            text(
                "INSERT INTO pulse_rounds (id, org_id, opens_at, closes_at, reminder_sent) "
                "VALUES (7, 1, '2026-01-01 08:00:00', '2026-01-08 08:00:00', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pulse_round_teams (round_id, team_id, question_ids, invited, respondents) "
                "VALUES (7, 2, 'FE1', 6, 5)"
            )
        )
    upgrade(db)
    tallies = PulseRepository(db).tallies(7)
    db.dispose()
    assert tallies.threshold == 4
    assert tallies.units == (UnitNode(1), UnitNode(2, 1), UnitNode(3))


def test_targets_from_before_0020_keep_their_text_as_the_target_and_get_an_empty_goal(tmp_path: Path) -> None:
    """The one text was written and shown as the target: it stays whole as the target, nothing is split by guess."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0015")
    with db.engine.begin() as connection:
        for statement in (
            "INSERT INTO organisations (id, name, language, timezone, anonymity_threshold) "
            "VALUES (1, 'Kunta', 'fi', 'Europe/Helsinki', 5)",
            "INSERT INTO teams (id, org_id, key, name, timezone) "
            "VALUES (1, 1, 'kotihoito', 'Kotihoito', 'Europe/Helsinki')",
            "INSERT INTO plans (id, team_id, year, agreed_on) VALUES (1, 1, 2026, '2026-03-10')",
            "INSERT INTO plan_targets (id, plan_id, position, goal, dimensions, practice, follow_up) "
            "VALUES (1, 1, 0, 'Työvuorot ennakoitaviksi: lista kolme viikkoa etukäteen.', 'PR', 'Toivetaulukko', '')",
            "INSERT INTO follow_ups (id, plan_id, held_on) VALUES (1, 1, '2026-05-20')",
        ):
            connection.execute(text(statement))
    upgrade(db)
    plan = PlanRepository(db).current(1)
    db.dispose()
    assert plan is not None
    [target] = plan.targets
    assert (target.title, target.goal, target.practice) == (
        "Työvuorot ennakoitaviksi: lista kolme viikkoa etukäteen.",
        "",
        "Toivetaulukko",
    )
    assert [(f.held_on, f.note) for f in plan.follow_ups] == [(date(2026, 5, 20), "")]
