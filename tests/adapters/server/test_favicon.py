"""The browser's favicon request is answered, and every page names its icon inline: no 404 in the log for it."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from adapters.server.app import create_app
from storage.db import Database
from storage.migrate import upgrade


async def test_favicon_is_served_and_every_page_names_it(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'tyhy.db'}")
    upgrade(db)
    async with TestClient(TestServer(create_app(db), host="127.0.0.1")) as client:
        icon = await client.get("/favicon.ico")
        assert icon.status == 200 and icon.content_type == "image/svg+xml"
        assert (await icon.text()).startswith("<svg")
        signin = await client.get("/signin")
        assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,' in await signin.text()
