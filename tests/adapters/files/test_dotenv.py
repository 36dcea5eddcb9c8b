"""The optional .env file: read forgivingly, never over the real environment, a bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.files.dotenv import DotenvError, load_dotenv, parse_dotenv


def test_values_comments_quotes_and_export_are_read() -> None:
    text = '# settings\nTYHY_PORT=8080\nexport TYHY_HOST = 0.0.0.0  # all interfaces\nTYHY_LANGUAGE="sv"\n\nEMPTY=\n'
    assert parse_dotenv(text) == {"TYHY_PORT": "8080", "TYHY_HOST": "0.0.0.0", "TYHY_LANGUAGE": "sv", "EMPTY": ""}


def test_the_environment_wins_and_a_missing_file_is_fine(tmp_path: Path) -> None:
    env = {"TYHY_PORT": "9000"}
    (tmp_path / ".env").write_text("TYHY_PORT=8080\nTYHY_LOG_LEVEL=INFO\n")
    assert load_dotenv(tmp_path / ".env", env) == ["TYHY_LOG_LEVEL"]
    assert env == {"TYHY_PORT": "9000", "TYHY_LOG_LEVEL": "INFO"}
    assert load_dotenv(tmp_path / "missing.env", env) == []


def test_a_line_that_is_not_a_setting_is_named() -> None:
    with pytest.raises(DotenvError, match="line 2"):
        parse_dotenv("TYHY_PORT=1\nthis is not a setting\n")
