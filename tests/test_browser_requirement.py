"""Without Chromium the browser tests skip with the reason shown, and fail when CI requires them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MISSING = "/nonexistent/tyhy-test/chromium"
# The checks' self-test needs only the browser fixture: no demo server is started before Chromium is looked for.
BROWSER_TEST = "tests/browser/test_accessibility.py::test_the_checks_find_what_they_look_for"


def run_browser_test(require: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TYHY_CHROMIUM": MISSING, "TYHY_REQUIRE_BROWSER": "1" if require else "0"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("require", [False, True])
def test_missing_chromium_skips_visibly_or_fails_when_required(require: bool) -> None:
    result = run_browser_test(require)
    if require:
        assert result.returncode == 1, result.stdout
        assert "the browser tests are required (TYHY_REQUIRE_BROWSER=1)" in result.stdout
        assert MISSING in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 skipped" in result.stdout
        assert f"browser tests skipped: Chromium not found at {MISSING}" in result.stdout  # the -rs summary
