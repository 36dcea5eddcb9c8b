"""The command-line tests' demo database: made once by the real `tyhy db upgrade` and `tyhy demo`, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.adapters.cli.test_cli import tyhy


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo, as the commands made it; tests copy it, never change it."""
    path = tmp_path_factory.mktemp("cli-demo") / "tyhy.db"
    url = f"sqlite:///{path}"
    upgraded = tyhy("db", "upgrade", db_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    seeded = tyhy("demo", db_url=url)
    assert seeded.returncode == 0, seeded.stderr
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A database of the test's own holding the demo (a copy of the one the commands made)."""
    path = tmp_path / "tyhy.db"
    shutil.copyfile(demo_file, path)
    return f"sqlite:///{path}"
