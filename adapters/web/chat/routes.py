"""The local web chat's routes: pick a member, read what the bot sent them, write and press buttons as them."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import MultiDictProxy

from adapters.common.interactions import Interactions
from adapters.server.runtime import BotRuntime
from adapters.web.chat.card_html import MESSAGE_FIELD, PRESS_FIELD, parse_press
from adapters.web.chat.demo_clock import DemoClock, move_clock
from adapters.web.chat.local_only import ENTRY_PATH, KEY_COOKIE, local_only, refusal
from adapters.web.chat.page import (
    Conversation,
    chat_url,
    conversation_body,
    key_needed_body,
    not_found_body,
    picker_body,
    shell,
)
from adapters.web.chat.refresh import SCRIPT, SCRIPT_PATH, stamp, wait_for_news
from adapters.web.page_layout import HEADERS as PAGE_HEADERS
from bot.events import ActionSubmitted, CommandText, Sender
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from bot.messages import Buttons, Card, Question, Select, SentRef, TextInput
from bot.organisation import Member, Organisation, Platform
from bot.person import team_channel
from storage.db import Database
from storage.org_repository import OrganisationRepository

# The dashboard's strict headers, letting the page load its own refresh script and poll for news, and telling
# its own forms' origin (a page without a referrer posts as Origin: null, which local_only must refuse).
HEADERS = {
    **PAGE_HEADERS,
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": PAGE_HEADERS["Content-Security-Policy"] + "; script-src 'self'; connect-src 'self'",
}
MAX_TEXT = 3000  # what one typed message may hold, like the cards' text inputs
ADVANCE_DAYS = {"day": 1.0, "week": 7.0}  # "next" moves to the next planned prompt instead
DELIVERY_WAIT_SECONDS = 5.0  # after the clock moves, wait this long at most for the outbox to reach the inbox


def add_chat_routes(app: web.Application, runtime: BotRuntime, db: Database, *, demo: bool, key: str) -> None:
    """Register / and /chat/… on the app; with `demo`, the runtime's clock must be a DemoClock the page can move.

    Mount them only when the server listens on a loopback address (`is_loopback(host)`): anyone who reaches the
    page can act as any member. Each request is checked again (adapters/web/chat/local_only.py), and only a
    browser that opened the start's link (`entry_url(base, key)`) holds the key in a cookie.
    """
    clock = runtime.clock if demo else None
    if demo and not isinstance(clock, DemoClock):
        raise ValueError("the demo chat needs a BotRuntime whose clock is a DemoClock")
    chat = _ChatPages(runtime, db, clock if isinstance(clock, DemoClock) else None)
    routes = [
        ("GET", "/", chat.picker),
        ("GET", SCRIPT_PATH, chat.script),
        ("GET", "/chat", chat.open_chosen),
        ("GET", "/chat/{member_id}", chat.conversation),
        ("GET", "/chat/{member_id}/changes", chat.changes),
        ("POST", "/chat/{member_id}/say", chat.say),
        ("POST", "/chat/{member_id}/act", chat.act),
    ]
    if chat.clock is not None:
        routes.append(("POST", "/chat/{member_id}/clock", chat.move))
    for method, path, handler in routes:
        app.router.add_route(method, path, local_only(handler, key, chat.key_needed))
    app.router.add_route("GET", ENTRY_PATH, chat.entry(key))


class _ChatPages:
    """The handlers; every POST answers with a redirect, so reloading the page never sends anything again."""

    def __init__(self, runtime: BotRuntime, db: Database, clock: DemoClock | None) -> None:
        self.runtime = runtime
        self.db = db
        self.clock = clock
        self.directory = OrganisationRepository(db)
        self.interactions = Interactions(runtime.conversation, lambda: runtime.ports)

    def entry(self, key: str) -> Handler:
        """The start's link: the key it carries goes into a cookie, and the browser on to the picker."""

        async def enter(request: web.Request) -> web.StreamResponse:
            reason = refusal(request)
            if reason is not None:
                return web.Response(status=403, text=reason + "\n")
            given = request.query.get("key", "")
            if not hmac.compare_digest(given.encode(), key.encode()):
                return await self.key_needed(request)
            asked = normalise_language(request.query.get("lang"))
            response = _redirect(f"/?lang={asked}" if asked else "/")
            # Strict: no other site's page can make the browser send it; HttpOnly: no script on the page reads it.
            response.set_cookie(KEY_COOKIE, key, httponly=True, samesite="Strict", path="/")
            return response

        return enter

    async def key_needed(self, request: web.Request) -> web.StreamResponse:
        organisation = await asyncio.to_thread(self.directory.get)
        language = _language(request, organisation)
        title = translate(language, "webchat.key.title")
        return _html(shell(language, title, key_needed_body(language), path="/", query={}), status=403)

    async def picker(self, request: web.Request) -> web.StreamResponse:
        organisation = await asyncio.to_thread(self.directory.get)
        members = await asyncio.to_thread(self.directory.members) if organisation else []
        language = _language(request, organisation)
        body = picker_body(language, organisation, members)
        return _html(shell(language, translate(language, "webchat.pick.title"), body, path="/", query={}))

    async def open_chosen(self, request: web.Request) -> web.StreamResponse:
        organisation = await asyncio.to_thread(self.directory.get)
        language = _language(request, organisation)
        chosen = request.query.get("member", "")
        member_id = _member_id(chosen)
        return _redirect(chat_url(member_id, language) if member_id is not None else f"/?lang={language}")

    async def conversation(self, request: web.Request) -> web.StreamResponse:
        found = await self._member(request)
        if isinstance(found, web.Response):
            return found
        organisation, member, language = found
        places = _places(organisation, member, language)
        conversations = [Conversation(title, self.runtime.inbox.messages(key)) for key, title in places]
        body = conversation_body(
            language,
            member,
            conversations,
            demo_now=self.clock() if self.clock is not None else None,
            timezone=organisation.timezone,
            stale="stale" in request.query,
        )
        title = translate(language, "webchat.chat.title", name=member.name)
        seen = stamp(self.runtime.inbox, [key for key, _ in places])  # no await since drawing: the same messages
        changes = f"/chat/{member.id}/changes?stamp={seen}"
        head = f'<meta name="tyhy-changes" content="{changes}"><script src="{SCRIPT_PATH}" defer></script>'
        return _html(shell(language, title, body, path=request.path, query={}, head=head))

    async def changes(self, request: web.Request) -> web.StreamResponse:
        """The long poll of the refresh script: answers when the person's conversations change, or after a while."""
        found = await self._member(request)
        if isinstance(found, web.Response):
            return found
        organisation, member, _ = found
        keys = [key for key, _ in _places(organisation, member, DEFAULT_LANGUAGE)]
        changed = await wait_for_news(self.runtime.inbox, keys, request.query.get("stamp", ""))
        return web.json_response({"changed": changed}, headers=HEADERS)

    async def script(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=SCRIPT, content_type="text/javascript", charset="utf-8", headers=HEADERS)

    async def say(self, request: web.Request) -> web.StreamResponse:
        found = await self._member(request)
        if isinstance(found, web.Response):
            return found
        _, member, language = found
        text = str((await request.post()).get("text", "")).strip()[:MAX_TEXT]
        if text:
            await self.interactions.handle(CommandText(_sender(member, request), text))
        return _redirect(chat_url(member.id, language) + "#compose")

    async def act(self, request: web.Request) -> web.StreamResponse:
        found = await self._member(request)
        if isinstance(found, web.Response):
            return found
        organisation, member, language = found
        form = await request.post()
        message_id = str(form.get(MESSAGE_FIELD, ""))
        action, value = parse_press(str(form.get(PRESS_FIELD, "")))
        # Only a card in this person's own conversations, and only a button it still shows: an old page's
        # button of a card that has changed since is refused with a word, not sent on.
        located = self._locate(organisation, member, message_id)
        if located is None or not _offers(located[1], action, value):
            return _redirect(chat_url(member.id, language) + "&stale=1")
        key, card = located
        event = ActionSubmitted(
            _sender(member, request),
            action,
            value,
            SentRef(Platform.WEB, key, message_id),
            _card_form(card, form),
        )
        await self.interactions.handle(event)
        return _redirect(chat_url(member.id, language) + f"#{message_id}")

    async def move(self, request: web.Request) -> web.StreamResponse:
        found = await self._member(request)
        if isinstance(found, web.Response):
            return found
        _, member, language = found
        assert self.clock is not None  # the route exists only in demo mode
        advance = str((await request.post()).get("advance", ""))
        if advance in ADVANCE_DAYS or advance == "next":
            await move_clock(self.clock, self.db, self.runtime.worker.wake, days=ADVANCE_DAYS.get(advance))
            await self._wait_for_delivery()
        return _redirect(chat_url(member.id, language) + "#clock")

    async def _wait_for_delivery(self) -> None:
        """Give the outbox a moment to bring what the move queued, so the page after the redirect shows it."""
        deadline = asyncio.get_running_loop().time() + DELIVERY_WAIT_SECONDS
        while await asyncio.to_thread(self.runtime.outbox.depth) > 0:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            await self.runtime.inbox.wait_for_change(min(left, 0.5))

    async def _member(self, request: web.Request) -> tuple[Organisation, Member, str] | web.Response:
        """The organisation, the member the path names and the page's language; a clear 404 page for nobody."""
        organisation = await asyncio.to_thread(self.directory.get)
        language = _language(request, organisation)
        raw = request.match_info["member_id"]
        member_id = _member_id(raw)
        member = await asyncio.to_thread(self.directory.member, member_id) if member_id is not None else None
        if organisation is None or member is None:
            title = translate(language, "webchat.not_found.title")
            html = shell(language, title, not_found_body(language), path=request.path, query={})
            return _html(html, status=404)
        return organisation, member, language

    def _locate(self, organisation: Organisation, member: Member, message_id: str) -> tuple[str, Card] | None:
        for key, _ in _places(organisation, member, DEFAULT_LANGUAGE):
            for entry in self.runtime.inbox.messages(key):
                if entry.message_id == message_id and entry.message.card is not None:
                    return key, entry.message.card
        return None


def _member_id(raw: str) -> int | None:
    # ASCII digits only ("²" is a digit to isdigit), and few enough to fit any database's integer.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _places(organisation: Organisation, member: Member, language: str) -> list[tuple[str, str]]:
    """(inbox key, heading) of the person's direct messages and each of their teams' channels on the web."""
    places = [(f"dm-{member.id}", translate(language, "webchat.chat.direct"))]
    for team in organisation.teams:
        if team.id in member.team_ids:
            channel = team_channel(team, Platform.WEB).channel_id
            places.append((channel, translate(language, "webchat.chat.channel", team=team.name)))
    return places


def _offers(card: Card, action: str, value: str) -> bool:
    for block in card.blocks:
        if isinstance(block, Buttons) and any(b.action == action and b.value == value for b in block.buttons):
            return True
        if isinstance(block, Question) and block.action == action and any(c.value == value for c in block.choices):
            return True
    return False


def _card_form(card: Card, form: MultiDictProxy[str | bytes | bytearray | web.FileField]) -> Mapping[str, str]:
    """The card's inputs as the core expects them: text as typed, several picks joined with commas."""
    values: dict[str, str] = {}
    for block in card.blocks:
        if isinstance(block, TextInput) and block.id in form:
            values[block.id] = str(form.get(block.id, ""))[: block.max_length]
        elif isinstance(block, Select):
            picked = [str(v) for v in form.getall(block.id, []) if str(v)]
            if picked:
                values[block.id] = ",".join(picked if block.multiple else picked[:1])
    return values


def _sender(member: Member, request: web.Request) -> Sender:
    # The language the person chose for the page is what a platform would report as their locale.
    return Sender(Platform.WEB, str(member.id), locale=normalise_language(request.query.get("lang")))


def _language(request: web.Request, organisation: Organisation | None) -> str:
    asked = normalise_language(request.query.get("lang"))
    return asked or (organisation.language if organisation else DEFAULT_LANGUAGE)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def _redirect(location: str) -> web.Response:
    # 303: the browser follows a POST's answer with a plain GET, so a reload shows the page and sends nothing.
    return web.Response(status=303, headers={**HEADERS, "Location": location})
