"""A whole year for Kotihoito in the local web chat: pages read and forms posted over HTTP, as a browser does."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.cli.demo import seed_demo
from adapters.server.runtime import BotRuntime
from adapters.web.chat.card_html import PRESS_FIELD, parse_press
from adapters.web.chat.local_only import KEY_COOKIE, entry_url, new_key
from adapters.web.chat.routes import add_chat_routes
from bot.messages import Reply
from bot.organisation import Member
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.adapters.web.chat.test_chat import _empty, articles
from tests.adapters.web.dashboard.page_helpers import visible_text
from tests.bot.flows.conftest import START, Clock, Demo
from tests.bot.flows.year_scenario import Year

Client = TestClient[web.Request, web.Application]
DELIVERY_SECONDS = 30  # a safety net for a stuck outbox worker, not a measurement


@dataclass
class CardForm(HTMLParser):
    """One message's form as a browser holds it: its buttons and the values its inputs would send."""

    buttons: list[str] = field(default_factory=list)  # each button's press value
    values: list[tuple[str, str]] = field(default_factory=list)
    multiple: set[str] = field(default_factory=set)  # the inputs that send each pick as a value of its own
    _select: str = ""
    _textarea: str = ""

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        name = given.get("name", "")
        if tag == "button" and name == PRESS_FIELD:
            self.buttons.append(given["value"])
        elif tag == "input" and given.get("type") in ("text", "hidden") and name:
            self.values.append((name, given.get("value", "")))
        elif tag == "input" and given.get("type") == "checkbox":
            self.multiple.add(name)
            if "checked" in given:
                self.values.append((name, given.get("value", "")))
        elif tag == "input" and given.get("type") == "radio" and "checked" in given:
            self.values.append((name, given.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))
        elif tag == "select":
            self._select = name
            if "multiple" in given:
                self.multiple.add(name)
        elif tag == "option" and self._select and "selected" in given:
            self.values.append((self._select, given.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = ""
        elif tag == "textarea":
            self._textarea = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, typed = self.values[-1]
            self.values[-1] = (name, typed + data)


class PageLines(HTMLParser):
    """A message's HTML as the browser lays it out: blocks on lines of their own, a fact's term beside its value."""

    BLOCKS = frozenset({"p", "div", "li", "dt", "h1", "h2", "h3", "h4", "legend", "label", "button", "ul", "dl"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dd":
            while len(self.lines) > 1 and not self.lines[-1].strip():
                self.lines.pop()
            self.lines[-1] = self.lines[-1].rstrip() + ": "
        elif tag in self.BLOCKS or tag == "br":
            self.lines.append("")
        if tag == "li":
            self.lines[-1] = "• "

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        self.lines[-1] += " ".join(data.split()) if data.strip() else ""


def page_lines(fragment: str) -> str:
    reader = PageLines()
    reader.feed(fragment)
    return "\n".join(line.strip() for line in reader.lines if line.strip())


def card_form(fragment: str) -> CardForm:
    form = CardForm()
    form.feed(fragment)
    return form


class WebDriver:
    """People in the web chat's pages: the message box, and a card's buttons posting its form."""

    def __init__(self, client: Client, runtime: BotRuntime, language: str) -> None:
        self.client = client
        self.runtime = runtime
        self.language = language
        self.read: dict[int, dict[str, str]] = {}  # per person: each message's text when they last did something
        self._keys = itertools.count(1)

    async def say(self, member: Member, text: str) -> None:
        await self._acted(member)
        await self._post(f"/chat/{member.id}/say", [("text", text)])

    async def press(
        self, member: Member, action: str, fields: Mapping[str, str] | None = None, *, value: str = ""
    ) -> None:
        page = await self._page(member)
        found = None
        for fragment in reversed(list(articles(page).values())):
            form = card_form(fragment)
            pressed = [p for p in form.buttons if parse_press(p)[0] == action and parse_press(p)[1].endswith(value)]
            if pressed:
                found = form, pressed[0]
                break
        assert found is not None, f"{member.name} has no card with {action}:\n{visible_text(page)}"
        form, pressed = found
        await self._acted(member)
        typed = fields or {}
        # What the browser sends: each input as it stands, the typed ones changed (several picks, several values).
        data = [(name, v) for name, v in form.values if name not in typed]
        data += [
            (name, v) for name, text in typed.items() for v in (text.split(",") if name in form.multiple else [text])
        ]
        await self._post(f"/chat/{member.id}/act", [*data, (PRESS_FIELD, pressed)])

    async def deliver(self, reply: Reply) -> None:
        await asyncio.to_thread(
            self.runtime.outbox.enqueue, [(f"year-{next(self._keys)}", message) for message in reply.messages]
        )
        self.runtime.worker.wake()
        await self._settled()

    async def seen(self, member: Member) -> str:
        before = self.read.get(member.id, {})
        shown = articles(await self._page(member))
        return "\n".join(page_lines(html) for key, html in shown.items() if before.get(key) != html)

    async def channel(self, member: Member) -> str:
        # The page shows the person's direct messages first, then each of their teams' channels.
        _, _, channel, *_ = (await self._page(member)).split("<section><h2>")
        return "\n".join(page_lines(html) for html in articles(channel.split("</section>")[0]).values())

    async def _acted(self, member: Member) -> None:
        self.read[member.id] = articles(await self._page(member))

    async def _page(self, member: Member) -> str:
        response = await self.client.get(f"/chat/{member.id}?lang={self.language}")
        assert response.status == 200, await response.text()
        return await response.text()

    async def _post(self, path: str, data: list[tuple[str, str]]) -> None:
        response = await self.client.post(f"{path}?lang={self.language}", data=data, allow_redirects=False)
        assert response.status == 303, await response.text()
        assert "stale=1" not in response.headers["Location"], f"the chat refused a stale press: {data}"
        await self._settled()

    async def _settled(self) -> None:
        """Messages to others go through the outbox: wait, on the inbox's changes, until it has delivered them."""
        deadline = asyncio.get_running_loop().time() + DELIVERY_SECONDS
        while await asyncio.to_thread(self.runtime.outbox.depth) > 0:
            left = deadline - asyncio.get_running_loop().time()
            assert left > 0, "the outbox did not deliver"
            await self.runtime.inbox.wait_for_change(min(left, 0.5))


@pytest.fixture
async def served(sqlite_database: Database, clock: Clock) -> AsyncIterator[tuple[Client, BotRuntime, Demo]]:
    db = sqlite_database
    _empty(db)
    organisation = seed_demo(db, START)
    runtime = BotRuntime(db, clock=clock, schedule=False)
    await runtime.start()
    app = web.Application()
    key = new_key()
    add_chat_routes(app, runtime, db, demo=False, key=key)
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            entered = await client.get(entry_url("", key), allow_redirects=False)
            assert entered.status == 303 and entered.cookies[KEY_COOKIE].value == key
            yield client, runtime, Demo(db, organisation, OrganisationRepository(db).members())
    finally:
        await runtime.stop()
        _empty(db)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_a_whole_year_in_the_web_chat(
    served: tuple[Client, BotRuntime, Demo], clock: Clock, language: str
) -> None:
    client, runtime, demo = served
    await Year(WebDriver(client, runtime, language), demo, clock, language).walk()
