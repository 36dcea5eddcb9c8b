"""`tyhy serve --production` refuses to start without a chat platform's credentials, and says which are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.server.production import production_problems
from tests.adapters.cli.test_cli import tyhy

KEY = {"TYHY_SECRET_KEY": "a-long-random-string"}
SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", **KEY}
TEAMS = {"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001", "MICROSOFT_APP_PASSWORD": "p", **KEY}


@pytest.mark.parametrize(
    ("environ", "problems"),
    [
        ({}, ["production.no_platform", "production.secret_key"]),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, ["production.secret_key"]),
        (SLACK, []),
        (TEAMS, []),
        (
            {"TEAMS_SERVICE_URL": "http://127.0.0.1:9/", **KEY},
            ["production.no_platform", "production.teams_credentials"],
        ),
        ({**SLACK, "MICROSOFT_APP_ID": TEAMS["MICROSOFT_APP_ID"]}, ["production.teams_credentials"]),
    ],
)
def test_production_needs_a_platform_with_credentials(environ: dict[str, str], problems: list[str]) -> None:
    assert production_problems(environ) == problems


def test_serve_production_without_credentials_says_why_and_does_not_start(tmp_path: Path) -> None:
    result = tyhy("serve", "--production", db_url=f"sqlite:///{tmp_path / 'tyhy.db'}", timeout=30)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "tyhybot will not start in production mode:"
    assert "SLACK_BOT_TOKEN" in result.stderr and "MICROSOFT_APP_ID" in result.stderr
    assert "TYHY_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("service_url", ["", "http://127.0.0.1:9/"], ids=["tenant alone", "with a local connector"])
def test_a_tenant_without_an_app_id_stops_serve_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, service_url: str
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_TENANT_ID", "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d")
    monkeypatch.setenv("TEAMS_SERVICE_URL", service_url)
    for production in ((), ("--production",)):
        result = tyhy("serve", "--port", "0", *production, db_url=f"sqlite:///{tmp_path / 'tyhy.db'}", timeout=30)
        assert result.returncode == 2
        (line,) = result.stderr.splitlines()
        assert "MICROSOFT_APP_TENANT_ID" in line and "MICROSOFT_APP_ID" in line
        assert result.stdout == ""  # it never said it was listening
