"""Throwaway databases for benches: a migrated SQLite file, or a PostgreSQL schema of its own that is dropped after."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TYHY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def temporary_sqlite(name: str = "bench") -> Iterator[Database]:
    """A migrated SQLite database in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / f'{name}.db'}")
        upgrade(db)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def temporary_postgres_url(name: str = "bench") -> Iterator[tuple[Database, str]]:
    """A migrated schema of its own on the local PostgreSQL, dropped at the end, and a URL that puts another process's
    connections (a server's) in the same schema."""
    schema = f"tyhy_{name}_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    db = Database(url)
    try:
        upgrade(db)
        yield db, url
    finally:
        db.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def temporary_postgres(name: str = "bench") -> Iterator[Database]:
    """A migrated schema of its own on the local PostgreSQL, dropped at the end."""
    with temporary_postgres_url(name) as (db, _):
        yield db
