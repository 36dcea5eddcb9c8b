"""The demo organisation seeded once per backend and clock, then copied row by row into each test's empty database.

Seeding writes the organisation, plans, pulse rounds, answers and surveys through the repositories, which takes
about half a second on PostgreSQL, and hundreds of tests start from the demo. The first test of a backend and clock
seeds it for real, with ids counted from 1, and keeps what it wrote; the next ones get the same rows inserted back
in one transaction, and PostgreSQL's id sequences where seeding left them, so ids read the same in every test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Table, select, text

from adapters.cli.demo import seed_demo
from bot.organisation import Organisation
from storage.db import Database
from storage.models import Base
from storage.org_repository import OrganisationRepository


@dataclass(frozen=True)
class _Seeded:
    rows: tuple[tuple[Table, list[dict[str, Any]]], ...]  # tables in dependency order, parents first
    sequences: tuple[tuple[str, int, bool], ...]  # PostgreSQL: each id sequence's (name, last value, is called)


_seeded: dict[tuple[str, datetime], _Seeded] = {}


def demo_in(db: Database, now: datetime) -> Organisation:
    """`seed_demo(db, now)` into the empty database `db`, with ids from 1: copied after the backend's first time."""
    key = (db.engine.dialect.name, now)
    seeded = _seeded.get(key)
    if seeded is None:
        restart_ids(db)
        seed_demo(db, now)
        _seeded[key] = _read(db)
    else:
        _write(db, seeded)
    organisation = OrganisationRepository(db).get()
    assert organisation is not None  # seeded or copied just now
    return organisation


def restart_ids(db: Database) -> None:
    """Start every id sequence from 1 again: emptying PostgreSQL's tables keeps their counters.

    SQLite hands out max(id) + 1, so an emptied table starts from 1 there by itself. Golden files hold the ids that
    cards carry in their button values, and must read the same on both backends whatever ran before.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for name in _sequence_names(connection):
            connection.execute(text("SELECT setval(:sequence, 1, false)"), {"sequence": name})


def table_rows(db: Database) -> tuple[tuple[Table, list[dict[str, Any]]], ...]:
    """Every row of every table, tables in dependency order (parents first)."""
    with db.engine.connect() as connection:
        return tuple(
            (table, [dict(row._mapping) for row in connection.execute(select(table))])
            for table in Base.metadata.sorted_tables
        )


def _read(db: Database) -> _Seeded:
    rows = table_rows(db)
    with db.engine.connect() as connection:
        sequences = []
        if connection.dialect.name == "postgresql":
            for name in _sequence_names(connection):
                # The name comes from pg_get_serial_sequence, already quoted as an identifier.
                last, called = connection.execute(text(f"SELECT last_value, is_called FROM {name}")).one()
                sequences.append((name, int(last), bool(called)))
    return _Seeded(rows, tuple(sequences))


def _write(db: Database, seeded: _Seeded) -> None:
    with db.engine.begin() as connection:
        for table, rows in seeded.rows:
            if rows:
                connection.execute(table.insert(), rows)
        for name, last, called in seeded.sequences:
            connection.execute(
                text("SELECT setval(:sequence, :last, :called)"), {"sequence": name, "last": last, "called": called}
            )


def _sequence_names(connection: Connection) -> list[str]:
    """The sequences that number the tables' integer ids (PostgreSQL)."""
    names = []
    for table in Base.metadata.sorted_tables:
        key = _integer_key(table)
        if key is None:
            continue
        found = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": key}
        ).scalar_one()
        if found is not None:
            names.append(str(found))
    return names


def _integer_key(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return None
    return str(keys[0].name)
