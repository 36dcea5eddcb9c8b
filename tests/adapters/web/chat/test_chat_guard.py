"""The web chat answers only on this computer: loopback hosts, and posts from its own pages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.web.chat.local_only import is_loopback
from storage.db import Database
from tests.adapters.web.chat.test_chat import World, serve_chat


@pytest.fixture
async def world(sqlite_database: Database) -> AsyncIterator[World]:
    async for served in serve_chat(sqlite_database, demo=False):
        yield served


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_addresses_serve_the_chat(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "", "192.168.1.5", "::", "example.org", "localhost.example.org"])
def test_other_addresses_do_not(host: str) -> None:
    assert not is_loopback(host)


async def test_a_page_reached_by_another_name_is_refused(world: World) -> None:
    anna = world.person("Anna")
    response = await world.client.get(f"/chat/{anna.id}", headers={"Host": "evil.example:3978"})
    assert response.status == 403 and "loopback" in await response.text()
    response = await world.client.get("/", headers={"Host": "localhost:3978"})
    assert response.status == 200


async def test_a_form_from_another_site_is_refused_and_sends_nothing(world: World) -> None:
    anna = world.person("Anna")
    foreign = ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"})
    for headers in foreign:
        response = await world.client.post(
            f"/chat/{anna.id}/say", data={"text": "apua"}, headers=headers, allow_redirects=False
        )
        assert response.status == 403
    assert world.runtime.inbox.messages(f"dm-{anna.id}") == []

    own = f"http://{world.client.host}:{world.client.port}"
    response = await world.client.post(
        f"/chat/{anna.id}/say",
        data={"text": "apua"},
        headers={"Origin": own, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
    )
    assert response.status == 303
    assert len(world.runtime.inbox.messages(f"dm-{anna.id}")) == 1
