"""The dashboard while its database is down: every page says so in the reader's language (503), never a traceback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web.dashboard.routes import add_dashboard_routes
from bot.i18n import translate
from storage.db import Database
from tests.adapters.web.dashboard.page_helpers import visible_text
from tests.process.server_process import free_port

PAGES = [
    ("GET", "/dashboard"),
    ("GET", "/dashboard/team/kotihoito"),
    ("GET", "/dashboard/calendar"),
    ("POST", "/dashboard/calendar"),
    ("GET", "/dashboard/survey-import"),
    ("GET", "/dashboard/survey-import/template.csv"),
    ("GET", "/dashboard/export.xlsx"),
    ("GET", "/dashboard/export.csv"),
    ("GET", "/signin"),
    ("GET", "/signin?token=1.2.3.4"),
    ("POST", "/signin"),
    ("POST", "/signout"),
]


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """The dashboard on a PostgreSQL address nobody listens on: every connection is refused at once."""
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test")
    app = web.Application()
    add_dashboard_routes(app, db, lambda: datetime(2027, 3, 1, 9, tzinfo=UTC))
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        # A session cookie, so each page has to ask the database who is signed in.
        test_client.session.cookie_jar.update_cookies({"tyhy_session": "a-session"})
        yield test_client
    db.dispose()


@pytest.mark.parametrize(("method", "path"), PAGES)
async def test_every_page_says_the_database_is_down(
    client: TestClient[web.Request, web.Application], method: str, path: str
) -> None:
    response = await client.request(method, path, data={"token": "1.2.3.4"} if method == "POST" else None)
    assert response.status == 503
    assert response.headers["Retry-After"] == "30"
    assert response.content_type == "text/html"
    page = await response.text()
    assert '<html lang="fi">' in page
    assert translate("fi", "web.unavailable.body") in visible_text(page)
    assert "Traceback" not in page
    assert "psycopg" not in page


@pytest.mark.parametrize(
    ("query", "accept", "language"),
    [("?lang=sv", "", "sv"), ("", "en-GB,en;q=0.8", "en"), ("", "sv-FI, fi;q=0.5", "sv"), ("?lang=en", "sv", "en")],
)
async def test_the_page_is_in_the_language_the_reader_asked_for(
    client: TestClient[web.Request, web.Application], query: str, accept: str, language: str
) -> None:
    response = await client.get(f"/dashboard{query}", headers={"Accept-Language": accept} if accept else {})
    assert response.status == 503
    page = await response.text()
    assert f'<html lang="{language}">' in page
    text = visible_text(page)
    assert translate(language, "web.unavailable.title") in text
    assert translate(language, "web.unavailable.body") in text
