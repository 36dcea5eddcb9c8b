"""Without PostgreSQL, Chromium or the shared data their tests skip with the reason, and fail when CI requires them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
MISSING = "/nonexistent/tyhy-test/chromium"
# The checks' self-test needs only the browser fixture: no demo server is started before Chromium is looked for.
BROWSER_TEST = "tests/browser/test_accessibility.py::test_the_checks_find_what_they_look_for"
SHARED_DATA_TESTS = (
    "tests/adapters/slack/test_slack_manifest.py",
    "tests/bot/test_dates.py",
    "-k",
    "manifest_is_valid or when_dev or when_planning_dev",
)


def run_tests(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in a process of its own, with the skip reasons summarised (-rs)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("require", [False, True])
def test_unreachable_postgres_skips_visibly_or_fails_when_required(require: bool) -> None:
    env = {"TYHY_TEST_POSTGRES_URL": UNREACHABLE, "TYHY_REQUIRE_POSTGRES": "1" if require else "0"}
    result = run_tests(env, "tests/storage/test_migrations.py", "-k", "postgres")
    if require:
        assert result.returncode == 1 and "PostgreSQL is required" in result.stdout
    else:
        assert result.returncode == 0 and "PostgreSQL tests skipped" in result.stdout and "1 skipped" in result.stdout


@pytest.mark.parametrize("require", [False, True])
def test_missing_chromium_skips_visibly_or_fails_when_required(require: bool) -> None:
    result = run_tests({"TYHY_CHROMIUM": MISSING, "TYHY_REQUIRE_BROWSER": "1" if require else "0"}, BROWSER_TEST)
    if require:
        assert result.returncode == 1, result.stdout
        assert "the browser tests are required (TYHY_REQUIRE_BROWSER=1)" in result.stdout
        assert MISSING in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 skipped" in result.stdout
        assert f"browser tests skipped: Chromium not found at {MISSING}" in result.stdout  # the -rs summary


@pytest.mark.parametrize("require", [False, True])
def test_missing_shared_data_skips_visibly_or_fails_when_required(require: bool) -> None:
    result = run_tests(
        {"TYHY_SHARED_DATA": MISSING, "TYHY_REQUIRE_POSTGRES": "1" if require else "0"}, *SHARED_DATA_TESTS
    )
    if require:
        assert result.returncode == 1, result.stdout
        assert "3 failed" in result.stdout
        assert "the shared data is required (TYHY_REQUIRE_POSTGRES=1)" in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "3 skipped" in result.stdout
        assert "shared data missing: when-dev.tsv is not in the shared data" in result.stdout
        assert "shared data missing: when-planning-dev.tsv is not in the shared data" in result.stdout
