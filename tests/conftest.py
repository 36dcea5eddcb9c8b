"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and no platform credentials in reach."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

POSTGRES_URL = os.environ.get("TYHY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CREDENTIAL_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppTenantId",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID",
    "TEAMS_SERVICE_URL",
    "TYHY_DATABASE_URL",
)


@pytest.fixture(autouse=True)
def no_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test can reach a real Slack, Teams or a production database through the environment."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def postgres_unavailable(reason: str) -> None:
    """Skip with a visible reason, or fail when CI requires PostgreSQL."""
    if os.environ.get("TYHY_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (TYHY_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("db") / "tyhy-test.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    # A schema of its own per test session, so parallel runs and leftovers never collide.
    schema = f"tyhy_test_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    try:
        with admin.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # any failure to reach the server means: not available here
        admin.dispose()
        postgres_unavailable(f"{POSTGRES_URL} is unreachable ({type(error).__name__})")
    database = Database(POSTGRES_URL, connect_args={"connect_timeout": 5, "options": f"-csearch_path={schema}"})
    try:
        upgrade(database)
        yield database
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _empty(database: Database) -> None:
    with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database; every test using it runs once on each backend."""
    database: Database = request.getfixturevalue(f"{request.param}_database")
    _empty(database)
    yield database
    _empty(database)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Behaviour apart from lint: "N passed" alone would count every catalog and layout rule as a test."""
    passed = [report for report in terminalreporter.stats.get("passed", []) if report.when == "call"]
    lint = sum(1 for report in passed if "lint" in report.keywords)
    terminalreporter.write_line(f"passed: {len(passed) - lint} behaviour tests, {lint} lint checks (catalogs, layout)")
