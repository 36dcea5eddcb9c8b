"""Fuzzing Slack's doors: the payload parsers with 10,000 shaped-and-broken payloads, the signed endpoint with 500."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any, Final

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from hypothesis import strategies as st

from adapters.common.interactions import Interactions
from adapters.server.wiring import build_conversation
from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.parse import (
    SHARE_SUCCESS_CALLBACK,
    HomeOpened,
    SlackPayloadError,
    Uninstalled,
    event_id,
    parse_command,
    parse_event,
    parse_interaction,
)
from adapters.slack.port import SlackChatPort
from adapters.slack.settings import SlackSettings
from bot.events import ActionSubmitted, CommandText, Installed, MembersChanged
from bot.organisation import Platform
from faults.cases import CaseFailed, LogWatch, described, either, fuzz, junk, messy_text, shaped, short_text
from faults.fuzz_commands import NOW, demo_database
from storage.db import Database
from storage.platform_repository import PlatformRepository
from tests.fakes.slack_api import fake_slack

ENDPOINT_INPUTS: Final = 500  # each is a signed HTTP request, a conversation turn and the fake Slack's answer
SECRET: Final = "fuzz-signing-secret"

_PARSED = (ActionSubmitted, CommandText, Installed, MembersChanged, HomeOpened, Uninstalled)
_IDS = ("U0001", "UBOT", "T1", "E1", "D0001", "C0001", "W1", "")

# --- Strategies: what Slack sends, and every way it could be broken ----------------------------------------------

ids = either(st.sampled_from(_IDS), st.text(max_size=12))
# fmt: off
_MARKUP = (
    "<@U0001>", "<@UBOT>", "<@UBOT|tyhybot>", "<@U0002|anna>", "<#C0001|general>", "<#C0001>", "<!here>",
    "<!channel>", "<!subteam^S1|@team>", "<https://example.org|a link>", "<mailto:a@b.fi|a@b.fi>", "<@", "<#",
    "|", "&amp;", "&lt;", "&gt;", "suunnitelma", "apua", "help", "onnistuminen", " ",
)
# fmt: on
slack_text = st.one_of(
    messy_text(),
    st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=6)), max_size=10).map("".join),
)
texts = either(short_text())  # names, locales, metadata: small fields
message_texts = either(slack_text)  # what people wrote: the fields that go through mrkdwn
user = either(shaped(id=ids, team_id=ids, locale=either(st.sampled_from(("fi-FI", "sv-SE", "en-US"))), name=texts))
team = either(shaped(id=ids))
element = shaped(
    type=either(st.sampled_from(("button", "static_select", "plain_text_input", "datepicker"))),
    action_id=either(st.sampled_from(("pulse.answer:q1", "plan.view", "", ":", "a:b:c")), st.text(max_size=20)),
    value=message_texts,
    selected_option=either(shaped(value=texts)),
    selected_options=either(st.lists(either(shaped(value=texts)), max_size=3)),
    selected_date=texts,
    selected_time=texts,
    selected_user=texts,
    selected_conversation=texts,
)
values = either(st.dictionaries(st.text(max_size=8), either(st.dictionaries(st.text(max_size=8), element))))
state = either(shaped(values=values))
interaction_kinds = st.sampled_from(("block_actions", "view_submission", "message_action", "shortcut", "view_closed"))
interactions = either(
    shaped(
        type=either(interaction_kinds),
        user=user,
        team=team,
        locale=texts,
        actions=either(st.lists(either(element), max_size=3)),
        container=either(shaped(type=either(st.sampled_from(("message", "view"))), channel_id=ids, message_ts=ids)),
        channel=either(shaped(id=ids)),
        message=either(shaped(ts=ids, text=message_texts, user=ids)),
        state=state,
        view=either(shaped(callback_id=texts, private_metadata=texts, state=state)),
        callback_id=either(st.sampled_from((SHARE_SUCCESS_CALLBACK, "other")), st.text(max_size=10)),
    )
)
_EVENT_KINDS = "message app_mention member_joined_channel member_left_channel app_home_opened app_uninstalled"
event_kinds = st.sampled_from((*_EVENT_KINDS.split(), "tokens_revoked", "reaction_added"))
event = shaped(
    type=either(event_kinds),
    subtype=either(st.sampled_from(("bot_message", "message_changed"))),
    bot_id=texts,
    channel_type=either(st.sampled_from(("im", "channel", "group", "mpim"))),
    user=ids,
    text=message_texts,
    channel=ids,
    inviter=ids,
    tab=either(st.sampled_from(("home", "messages"))),
    tokens=either(shaped(bot=either(st.lists(ids, max_size=2)), oauth=junk())),
    team=ids,
)
envelopes = either(
    shaped(
        type=either(st.sampled_from(("event_callback", "url_verification", "app_rate_limited"))),
        team_id=ids,
        event=either(event),
        event_id=ids,
        authorizations=either(st.lists(either(shaped(user_id=ids, team_id=ids)), max_size=2)),
    )
)
# A slash command arrives as a decoded form: every value is text, but any field may be missing or odd.
_COMMAND_FIELDS = ("text", "user_id", "user_name", "team_id", "channel_id", "channel_name", "command")
forms = either(
    st.fixed_dictionaries(
        {},
        optional={
            name: slack_text if name == "text" else st.one_of(st.sampled_from(_IDS), messy_text(12))
            for name in _COMMAND_FIELDS
        },
    )
)


# --- The parser cases: one per door, 10,000 payloads each -------------------------------------------------------


def _check(door: str, parse: Callable[[Any], object], payload: Any) -> None:
    """The parser's answer is an event, None, or a SlackPayloadError that says what is wrong."""
    try:
        parsed = parse(payload)
    except SlackPayloadError as error:
        if not str(error):
            raise CaseFailed("a SlackPayloadError without a message") from error
        return
    if parsed is not None and not isinstance(parsed, _PARSED):
        raise CaseFailed(f"parse_{door} returned a {type(parsed).__name__}")
    if isinstance(parsed, CommandText) and not isinstance(parsed.text, str):
        raise CaseFailed(f"a command's text is a {type(parsed.text).__name__}")


def _event(envelope: Any) -> None:
    found = event_id(envelope)  # read before parsing, for retries' dedupe: it must never raise either
    if found is not None and not (isinstance(found, str) and found):
        raise CaseFailed(f"event_id gave {found!r}")
    _check("event", parse_event, envelope)


def interaction_payloads() -> int:
    """parse_interaction: block actions, modal submits, shortcuts and message actions, shaped and broken."""
    return fuzz(interactions, lambda payload: _check("interaction", parse_interaction, payload))


def event_payloads() -> int:
    """event_id and parse_event: Events API envelopes, shaped and broken."""
    return fuzz(envelopes, _event)


def command_forms() -> int:
    """parse_command: slash-command forms with any subset of fields and any text."""
    return fuzz(forms, lambda form: _check("command", parse_command, form))


# --- The signed endpoint ----------------------------------------------------------------------------------------

string_forms = st.fixed_dictionaries(
    {"command": st.sampled_from(("/tyhy", "/tyhy-dev", "/other"))},
    optional={name: slack_text if name == "text" else st.sampled_from(_IDS) for name in _COMMAND_FIELDS[:-1]},
)
_KINDS = ("application/x-www-form-urlencoded", "application/json", "text/plain", "")
requests = st.one_of(
    st.tuples(st.just("command"), string_forms),
    st.tuples(st.just("interaction"), interactions),
    st.tuples(st.just("event"), envelopes),
    st.tuples(st.just("raw"), st.tuples(st.sampled_from(_KINDS), st.binary(max_size=200))),
)


def signed(body: bytes) -> dict[str, str]:
    """The headers Slack signs a request with (v0 HMAC-SHA256 of the timestamp and body)."""
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


class SignedSlack:
    """Our Slack adapter on loopback, the fake Web API behind it, and a client that signs what it posts."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.stack = AsyncExitStack()
        self.fresh_ids = itertools.count()

    async def start(self) -> None:
        slack = await self.stack.enter_async_context(fake_slack())
        port = SlackChatPort.connect("xoxb-fuzz", slack.url, PlatformRepository(self.db))
        interactions = Interactions(build_conversation(self.db, lambda: NOW), lambda: {Platform.SLACK: port})
        settings = SlackSettings("xoxb-fuzz", SECRET, slack.url)
        self.adapter = SlackAdapter(settings, self.db, interactions, port, lambda: NOW)
        app = web.Application()
        self.adapter.routes(app)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        self.http = await self.stack.enter_async_context(aiohttp.ClientSession())
        self.url = str(server.make_url(EVENTS_PATH))

    async def post(self, door: str, payload: Any) -> int:
        """Post one request as Slack would; the status, once the work it started is done."""
        if door == "raw":
            kind, body = payload
        elif door == "command":
            kind, body = _KINDS[0], urllib.parse.urlencode(payload).encode()
        elif door == "interaction":
            kind, body = _KINDS[0], urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        else:
            if isinstance(payload, dict) and isinstance(payload.get("event_id"), str):
                payload = {**payload, "event_id": f"Ev{next(self.fresh_ids)}"}  # a repeat would be skipped as a retry
            kind, body = _KINDS[1], json.dumps(payload).encode()
        headers = {**signed(body), **({"Content-Type": kind} if kind else {})}
        async with self.http.post(self.url, data=body, headers=headers) as response:
            status = response.status
        await self.adapter.idle()
        return status

    async def stop(self) -> None:
        await self.adapter.idle()
        await self.stack.aclose()


def _raised(records: list[logging.LogRecord]) -> str:
    """What made the server answer 500, as the server or bolt logged it."""
    messages = "; ".join(record.getMessage() for record in records)
    for record in records:
        if record.exc_info and record.exc_info[1] is not None:
            return f" ({described(record.exc_info[1])})"
    return f" ({messages})" if messages else ""


def endpoint() -> int:
    """500 signed requests to /slack/events: never a 5xx, and no work after the ack that fails."""
    with demo_database() as (db, _members):
        loop = asyncio.new_event_loop()
        slack = SignedSlack(db)
        try:
            loop.run_until_complete(slack.start())

            def check(request: tuple[str, Any]) -> None:
                # Our adapters' errors, and the server's and bolt's: they log what made a request a 500.
                logged = LogWatch("adapters", level=logging.ERROR)
                served = LogWatch("aiohttp.server", "slack_bolt", level=logging.ERROR)
                with logged, served:
                    status = loop.run_until_complete(slack.post(*request))
                if status >= 500:
                    raise CaseFailed(f"HTTP {status}{_raised(served.records)}")
                if logged.records:
                    raise CaseFailed(f"logged an error: {logged.records[0].getMessage()}")

            return fuzz(requests, check, ENDPOINT_INPUTS)
        finally:
            loop.run_until_complete(slack.stop())
            loop.close()
