"""Where the tests find the project, its fixtures and the shared data beside it, wherever a test file sits."""

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# TYHY_SHARED_DATA moves it, so a test can show what happens when it is not there.
SHARED_DATA = Path(os.environ.get("TYHY_SHARED_DATA") or ROOT.parent / "shared" / "data")


def shared_data_missing(path: Path) -> NoReturn:
    """Skip with the reason shown, or fail when CI requires every test to run (TYHY_REQUIRE_POSTGRES=1)."""
    reason = f"{path.name} is not there ({path}; the shared data sits beside the project)"
    if os.environ.get("TYHY_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"the shared test data is required (TYHY_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"shared test data skipped: {reason}")
