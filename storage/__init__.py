"""Persistence: SQLAlchemy models, Alembic migrations and repositories returning domain objects."""
