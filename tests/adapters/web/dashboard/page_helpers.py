"""Helpers for the dashboard page tests: a real aiohttp server on 127.0.0.1 and signing in through a link."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web.dashboard.routes import add_dashboard_routes
from adapters.web.dashboard.signin import issue_link, signing_secret
from tests.adapters.web.conftest import Clock, Demo


@asynccontextmanager
async def dashboard(demo: Demo, clock: Clock) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """A client of a real server (port 0) that serves only the dashboard routes."""
    app = web.Application()
    add_dashboard_routes(app, demo.db, clock)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def link_path(demo: Demo, clock: Clock, member_id: int, base: str = "http://127.0.0.1:3978/") -> str:
    """A fresh sign-in link's path and query, to open on the test server."""
    link = issue_link(demo.db, base, member_id, clock.now, signing_secret(demo.db))
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


async def open_link(client: TestClient[web.Request, web.Application], path: str) -> ClientResponse:
    """Open a sign-in link and press its button, as the person does; the answer to the button's POST.

    A link that is refused already when opened gives that refusal (there is no button to press).
    """
    opened = await client.get(path, allow_redirects=False)
    if opened.status != 200:
        return opened
    page = await opened.text()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert set(fields) == {"token", "lang"}, page
    return await client.post("/signin", data={k: html.unescape(v) for k, v in fields.items()}, allow_redirects=False)


async def sign_in(client: TestClient[web.Request, web.Application], demo: Demo, clock: Clock, member_id: int) -> None:
    """Follow a link as the person would; the client's cookie jar keeps the session."""
    response = await open_link(client, link_path(demo, clock, member_id))
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/dashboard"


def visible_text(page: str) -> str:
    """What a person reads: tags and markup gone, entities decoded, whitespace collapsed."""
    without_styles = re.sub(r"<(style|title)[^>]*>.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", without_styles))).strip()


def table_rows(page: str) -> list[str]:
    """The visible text of every row of the first table's body."""
    body = re.split(r"<tbody[^>]*>", page, maxsplit=1)[1].split("</tbody>", 1)[0]
    return [visible_text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL)]
