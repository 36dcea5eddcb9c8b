"""Fixtures for the browser tests: Debian's Chromium under Playwright, a demo server process, screenshots."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from adapters.cli import commands
from adapters.web.dashboard.signin import link_message
from storage.db import Database
from tests.conftest import CREDENTIAL_VARIABLES
from tests.process.server_process import ROOT, free_port

# Package-scoped: one server and one Chromium for the browser tests, gone before the rest of the suite runs.
# The sync API is used throughout, in plain `def` tests: pytest-asyncio leaves those without an event loop,
# and Playwright's sync API refuses to run inside one.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
STARTUP_SECONDS = 30.0
# A long poll of the chat's refresh script holds the server's clean stop for up to 25 s even after its tab has
# closed (aiohttp waits for running handlers); the test does not wait for that, it kills the process.
STOP_SECONDS = 2.0


def chromium_path() -> Path | None:
    """TYHY_CHROMIUM, or Debian's Chromium; None when neither is an executable file."""
    candidate = Path(os.environ.get("TYHY_CHROMIUM") or DEFAULT_CHROMIUM)
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


def browser_unavailable(reason: str) -> None:
    """Skip with a visible reason, or fail when CI requires the browser tests (TYHY_REQUIRE_BROWSER=1)."""
    if os.environ.get("TYHY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests are required (TYHY_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="package")
def chromium() -> Path:
    """Where Chromium is; skips (or fails under TYHY_REQUIRE_BROWSER=1) before anything is started without it."""
    path = chromium_path()
    if path is None:
        wanted = os.environ.get("TYHY_CHROMIUM") or DEFAULT_CHROMIUM
        browser_unavailable(f"Chromium not found at {wanted}; install the chromium package")
    assert path is not None
    return path


@pytest.fixture(scope="package")
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium from the system: Playwright's own browser download is never needed."""
    with sync_playwright() as driver:
        try:
            launched = driver.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox"])
        except PlaywrightError as error:  # a broken install shows its reason rather than a bare trace
            browser_unavailable(f"Chromium at {chromium} did not start: {error.message}")
            raise
        yield launched
        launched.close()


@dataclass(frozen=True)
class DemoServer:
    """A `tyhy serve --demo` process and the database it uses."""

    url: str  # ends with "/"
    database_url: str
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def chat_link(self) -> str:
        """The web chat's link as the server printed it at start (`make run` shows the same line)."""
        found = re.search(r"http://\S+/enter\?key=\S+", self.log.read_text(errors="replace"))
        assert found, f"the server printed no web chat link:\n{self.output()}"
        return found.group(0)

    def healthy(self) -> bool:
        assert self.process.poll() is None, f"the server exited with {self.process.returncode}:\n{self.output()}"
        try:
            with urllib.request.urlopen(f"{self.url}healthz", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def _server_env(database_url: str, tmp: Path) -> dict[str, str]:
    # No developer's Slack or Teams credentials, nor their .env file, reach the server under test.
    env = {name: value for name, value in os.environ.items() if name not in CREDENTIAL_VARIABLES}
    return {**env, "TYHY_DATABASE_URL": database_url, "TYHY_ENV_FILE": str(tmp / "none.env")}


@pytest.fixture(scope="package")
def started_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A fresh SQLite database with the demo organisation, and the server starting on it on a free port.

    The database is prepared by the commands `tyhy db upgrade` and `tyhy demo` run in this process (two Python
    start-ups fewer); the server is a process of its own, as a person runs it.
    """
    tmp = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{tmp / 'tyhy.db'}"
    assert commands.db_upgrade(argparse.Namespace(database=database_url)) == 0
    assert commands.demo(argparse.Namespace(database=database_url, if_empty=False)) == 0
    port = free_port()
    log = tmp / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            env=_server_env(database_url, tmp),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = DemoServer(f"http://127.0.0.1:{port}/", database_url, log, process)
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(log, ARTIFACTS / "browser-server.log")  # what the server said, next to the screenshots


@pytest.fixture(scope="package")
def demo_server(started_server: DemoServer, browser: Browser) -> DemoServer:
    """The server once /healthz answers; Chromium starts while the server does (the fixtures' order)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not started_server.healthy():
        assert time.monotonic() < deadline, f"no /healthz in {STARTUP_SECONDS} s:\n{started_server.output()}"
        time.sleep(0.1)
    return started_server


@pytest.fixture(scope="package")
def demo_database(demo_server: DemoServer) -> Iterator[Database]:
    """The server's database, for what a test prepares outside the browser (a sign-in link)."""
    db = Database(demo_server.database_url)
    yield db
    db.dispose()


class Shots:
    """Screenshots of one test, numbered in the order taken, kept under test-artifacts/screenshots/."""

    def __init__(self, page: Page, test_name: str) -> None:
        self.page = page
        self.prefix = re.sub(r"[^A-Za-z0-9_-]+", "_", test_name)[:80]
        self.count = 0

    def take(self, step: str, number: int | None = None) -> Path:
        self.count += 1
        path = SCREENSHOTS / f"{self.prefix}-{number or self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Remembered for the shots fixture: a failing test's page is always saved, as it was when it failed.
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def shots(demo_server: DemoServer, browser: Browser, request: pytest.FixtureRequest) -> Iterator[Shots]:
    """A fresh browser context (no cookies) per test, and its screenshots; one is saved at the end of a test
    that failed or took none."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=demo_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    taken = Shots(context.new_page(), request.node.name)
    taken.page.goto(demo_server.chat_link())  # as a person opens the chat: from the link the server printed
    yield taken
    try:
        if taken.count == 0 or request.node.stash.get(_FAILED, False):
            taken.take("failed" if request.node.stash.get(_FAILED, False) else "end", number=99)
    finally:
        context.close()


@pytest.fixture
def page(shots: Shots) -> Page:
    return shots.page


def dashboard_link(db: Database, server: DemoServer, language: str) -> str:
    """What `tyhy admin link` prints for the wellbeing officer (its last line), asking for `language`."""
    printed = link_message(db, server.url, None, datetime.now(UTC), language)
    return printed.splitlines()[-1] + f"&lang={language}"
