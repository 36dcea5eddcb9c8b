"""The web chat answers only this browser: loopback hosts, no proxy, posts from its own pages, the start's key."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest

from adapters.web.chat.local_only import KEY_COOKIE, entry_url, is_loopback
from bot.i18n import translate
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


# --- The start's key: nothing else on this computer acts as a member ---------------------------------------------


async def test_without_the_start_link_a_browser_sees_where_to_get_it_and_nobody(world: World) -> None:
    world.client.session.cookie_jar.clear()
    anna = world.person("Anna")
    for path in ("/", f"/chat/{anna.id}", f"/chat/{anna.id}/changes?stamp=x"):
        response = await world.client.get(path)
        page = await response.text()
        assert response.status == 403
        assert translate("fi", "webchat.key.text") in html.unescape(page)
        assert anna.name not in page
    response = await world.client.post(f"/chat/{anna.id}/say", data={"text": "apua"}, allow_redirects=False)
    assert response.status == 403
    assert world.runtime.inbox.messages(f"dm-{anna.id}") == []


async def test_a_wrong_or_missing_key_in_the_link_opens_nothing(world: World) -> None:
    world.client.session.cookie_jar.clear()
    for link in (entry_url("", world.key[:-1] + "x"), "/enter?key=", "/enter"):
        response = await world.client.get(link, allow_redirects=False)
        assert response.status == 403
        assert KEY_COOKIE not in response.cookies
    response = await world.client.get("/", headers={"Cookie": f"{KEY_COOKIE}={world.key}x"})
    assert response.status == 403


async def test_the_link_opens_the_picker_in_the_language_it_asks_for(world: World) -> None:
    world.client.session.cookie_jar.clear()
    response = await world.client.get(entry_url("", world.key) + "&lang=sv")
    assert response.status == 200 and str(response.url).endswith("/?lang=sv")
    assert translate("sv", "webchat.pick.label") in html.unescape(await response.text())


# --- A reverse proxy on this computer: nginx's defaults send Host: 127.0.0.1 and a header of its own -------------


@pytest.mark.parametrize(
    "header",
    [
        ("X-Forwarded-For", "192.0.2.7"),
        ("Forwarded", "for=192.0.2.7;proto=http"),
        ("X-Forwarded-Host", "tyhy.example.org"),
        ("X-Real-IP", "192.0.2.7"),
        ("Via", "1.1 nginx"),
    ],
)
async def test_a_request_through_a_proxy_is_refused_even_with_the_key(world: World, header: tuple[str, str]) -> None:
    anna = world.person("Anna")
    host = {"Host": f"127.0.0.1:{world.client.port}"}  # what proxy_pass http://127.0.0.1:PORT sends by default
    response = await world.client.get("/", headers={**host, header[0]: header[1]})
    assert response.status == 403 and "proxy" in await response.text()
    assert anna.name not in await response.text()
    response = await world.client.post(
        f"/chat/{anna.id}/say", data={"text": "apua"}, headers={**host, header[0]: header[1]}, allow_redirects=False
    )
    assert response.status == 403
    assert world.runtime.inbox.messages(f"dm-{anna.id}") == []
    entered = await world.client.get(entry_url("", world.key), headers={header[0]: header[1]}, allow_redirects=False)
    assert entered.status == 403 and KEY_COOKIE not in entered.cookies
