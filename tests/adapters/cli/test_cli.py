"""The `tyhy` command as an operator runs it: real processes, a real SQLite file, clear errors without tracebacks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.i18n import translate
from tests.paths import FIXTURES as TEST_FIXTURES

FIXTURES = TEST_FIXTURES / "org"


def tyhy(*args: str, db_url: str, language: str = "en", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TYHY_DATABASE_URL": db_url, "TYHY_LANGUAGE": language}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tyhy.db'}"


def test_help_imports_no_platform_sdk_or_database_layer() -> None:
    code = (
        "import sys, adapters.cli.main; adapters.cli.main.build_parser().format_help();"
        "heavy = {'slack_bolt', 'slack_sdk', 'botbuilder', 'sqlalchemy', 'aiohttp', 'dateparser'};"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    help_text = subprocess.run([sys.executable, "-m", "adapters.cli", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "serve" in help_text.stdout and "demo" in help_text.stdout


@pytest.mark.parametrize(
    ("language", "heading", "line"),
    [
        ("fi", "käyttö: tyhy", "näytä tämä ohje ja lopeta"),
        ("sv", "användning: tyhy", "visa den här hjälpen och avsluta"),
        ("en", "usage: tyhy", "show this help and exit"),
    ],
)
def test_help_speaks_the_consoles_language(language: str, heading: str, line: str, db_url: str) -> None:
    helped = tyhy("--help", db_url=db_url, language=language)
    assert helped.returncode == 0 and helped.stdout.startswith(heading) and line in helped.stdout
    sub = tyhy("survey", "import", "--help", db_url=db_url, language=language)
    assert sub.returncode == 0 and sub.stdout.startswith(f"{heading} survey import") and line in sub.stdout
    assert "--year" in sub.stdout


def test_upgrade_import_show_and_plan(db_url: str) -> None:
    created = tyhy("db", "upgrade", db_url=db_url)
    assert created.returncode == 0 and created.stdout.startswith("Created the database sqlite:///"), created.stdout
    again = tyhy("db", "upgrade", db_url=db_url, language="fi")
    assert again.returncode == 0 and "on jo ajan tasalla" in again.stdout, again.stdout
    imported = tyhy("org", "import", str(FIXTURES / "small.yaml"), db_url=db_url)
    assert imported.returncode == 0, imported.stderr
    assert "3" in imported.stdout
    shown = tyhy("org", "show", db_url=db_url)
    assert "Testilän kunta" in shown.stdout and "Kotihoito [kotihoito]" in shown.stdout
    assert "Aino Esihenkilö" in shown.stdout
    no_plan = tyhy("plan", "show", "kotihoito", db_url=db_url)
    assert no_plan.returncode == 0 and "Kotihoito" in no_plan.stdout


def test_a_bad_org_file_is_one_clear_line_in_the_persons_language(db_url: str, tmp_path: Path) -> None:
    tyhy("db", "upgrade", db_url=db_url)
    bad = tmp_path / "org.csv"
    bad.write_text("unit,name,role,email\nkoti,Aino,pomo,a@x.fi\n", encoding="utf-8")
    result = tyhy("org", "import", str(bad), db_url=db_url, language="fi")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "pomo" in result.stderr and "2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Testilän" not in tyhy("org", "show", db_url=db_url).stdout


def test_unknown_team_is_named(db_url: str) -> None:
    tyhy("db", "upgrade", db_url=db_url)
    tyhy("org", "import", str(FIXTURES / "small.yaml"), db_url=db_url)
    result = tyhy("plan", "show", "nosuchteam", db_url=db_url)
    assert result.returncode == 2 and "nosuchteam" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing",  # nothing listens on port 1
        "not a url at all",
        "mysql://x@127.0.0.1:1/y",  # a driver we do not ship
    ],
)
def test_an_unreachable_database_is_one_clear_line(url: str) -> None:
    result = tyhy("db", "upgrade", db_url=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "TYHY_DATABASE_URL" in result.stderr


def test_a_database_without_tables_says_to_upgrade(db_url: str) -> None:
    result = tyhy("org", "show", db_url=db_url)
    assert result.returncode == 1 and "tyhy db upgrade" in result.stderr


def test_demo_seeds_once_and_serve_answers_healthz(db_url: str) -> None:
    tyhy("db", "upgrade", db_url=db_url)
    first = tyhy("demo", "--if-empty", db_url=db_url)
    assert first.returncode == 0, first.stderr
    second = tyhy("demo", "--if-empty", db_url=db_url)
    assert second.returncode == 0 and second.stdout != first.stdout
    shown = tyhy("org", "show", db_url=db_url)
    assert "Esimerkkilän kunta" in shown.stdout and "(14)" in shown.stdout
    plan = tyhy("plan", "show", "kotihoito", db_url=db_url, language="fi")
    assert "Työvuorot ennakoitaviksi" in plan.stdout

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TYHY_DATABASE_URL": db_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        # The one process on SQLite also runs the calendar: it says so once its leadership loop has started.
        while time.monotonic() < deadline and (body is None or not body.get("scheduling")):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.loads(response.read())
            except OSError:
                pass
            time.sleep(0.2)
        expected = {"status": "ok", "database": "sqlite", "organisation": "Esimerkkilän kunta", "scheduling": True}
        assert body == expected
        # Without --demo or --local-chat there is no web chat: it has no sign-in.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
        assert refused.value.code == 404
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert "/enter?key=" not in out


@pytest.mark.parametrize("flag", ["--demo", "--local-chat"])
def test_production_never_serves_the_web_chat(flag: str, db_url: str) -> None:
    result = tyhy("serve", "--production", flag, db_url=db_url, language="en")
    assert result.returncode == 2
    assert result.stderr.strip() == translate("en", "cli.web_chat_not_with_production", flag=flag)


def test_serve_listens_on_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.cli.main import build_parser

    monkeypatch.delenv("TYHY_HOST", raising=False)
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    monkeypatch.setenv("TYHY_HOST", "0.0.0.0")
    assert build_parser().parse_args(["serve"]).host == "0.0.0.0"


def test_admin_link_prints_a_link_that_signs_the_officer_in_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # What `make run` prints before it starts the server: the README says to open this link.
    from datetime import UTC, datetime

    from adapters.web.dashboard.signin import SigninRefused, redeem_link, signing_secret
    from storage.db import Database

    for name in ("TYHY_HOST", "TYHY_PORT", "TYHY_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert tyhy("db", "upgrade", db_url=db_url).returncode == 0
    assert tyhy("demo", "--if-empty", db_url=db_url).returncode == 0
    printed = tyhy("admin", "link", db_url=db_url)
    assert printed.returncode == 0, printed.stderr
    link = printed.stdout.strip().splitlines()[-1]
    prefix = "http://127.0.0.1:3978/signin?token="
    assert link.startswith(prefix), link
    db = Database(db_url)
    try:
        now = datetime.now(UTC)
        member = redeem_link(db, link.removeprefix(prefix), now, signing_secret(db))
        assert member.name in printed.stdout  # the line above the link says whose it is
        with pytest.raises(SigninRefused) as refused:
            redeem_link(db, link.removeprefix(prefix), now, signing_secret(db))
        assert refused.value.reason == "used"
    finally:
        db.dispose()
