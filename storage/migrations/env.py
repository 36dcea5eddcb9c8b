"""Alembic's environment: runs migrations on the connection storage.migrate hands it."""

from __future__ import annotations

from alembic import context

import storage.models  # noqa: F401  (importing it registers every table in Base.metadata)
from storage.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
