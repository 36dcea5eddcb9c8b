"""Where the tests find the project, its fixtures and the shared data beside it, wherever a test file sits."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# TYHY_SHARED_DATA points elsewhere only to test what happens without the folder.
SHARED_DATA = Path(os.environ.get("TYHY_SHARED_DATA") or ROOT.parent / "shared" / "data")


def shared_data_file(name: str) -> Path:
    """A file of the shared data: a test without it skips with the reason, and fails where CI requires everything.

    CI (`.ci/run`) sets TYHY_REQUIRE_POSTGRES=1 and has the folder, so a test that quietly skipped there would
    count a check that never ran.
    """
    path = SHARED_DATA / name
    if not path.exists():
        reason = f"{name} is not in the shared data beside the project"
        if os.environ.get("TYHY_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"the shared data is required (TYHY_REQUIRE_POSTGRES=1) but {reason}")
        pytest.skip(f"shared data missing: {reason}")
    return path
