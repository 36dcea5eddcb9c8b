"""Without a reachable PostgreSQL the storage tests skip with the reason shown, and fail when CI requires it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


def run_migration_test(require: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TYHY_TEST_POSTGRES_URL": UNREACHABLE, "TYHY_REQUIRE_POSTGRES": "1" if require else "0"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "tests/test_migrations.py", "-k", "postgres"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("require", [False, True])
def test_unreachable_postgres_skips_visibly_or_fails_when_required(require: bool) -> None:
    result = run_migration_test(require)
    if require:
        assert result.returncode == 1 and "PostgreSQL is required" in result.stdout
    else:
        assert result.returncode == 0 and "PostgreSQL tests skipped" in result.stdout and "1 skipped" in result.stdout
