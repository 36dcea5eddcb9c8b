"""Slack's requests at /slack/events: a bolt app that verifies every signature, acks at once and works after."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from adapters.common.after_answer import AfterAnswer
from adapters.common.interactions import Interactions
from adapters.slack.ephemeral import AskedIn, EphemeralAnswers, asked_in
from adapters.slack.home import HomeTab
from adapters.slack.http_session import share_one_session
from adapters.slack.modal import PlanModals, is_plan_submission
from adapters.slack.oauth import SlackOAuth
from adapters.slack.parse import (
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
from adapters.slack.shape import bolt_can_read
from adapters.slack.team_link import TeamLink
from bot.diagnosis import without_message
from bot.events import ActionSubmitted, CommandText, InboundEvent, MembersChanged
from bot.ports import DeliveryError
from storage.db import Database
from storage.platform_repository import PlatformRepository

logger = logging.getLogger(__name__)

EVENTS = ("message", "app_mention", "member_joined_channel", "member_left_channel", "app_home_opened")
EVENTS_PATH = "/slack/events"


class SlackAdapter:
    """One workspace (bot token), or many (`oauth`: installs in our database); the port is the outbox's one too."""

    def __init__(
        self,
        settings: SlackSettings,
        db: Database,
        interactions: Interactions,
        port: SlackChatPort,
        clock: Callable[[], datetime],
        oauth: SlackOAuth | None = None,
    ) -> None:
        self.interactions = interactions
        self.port = port
        self.clock = clock
        self.platforms = PlatformRepository(db)
        self.link = TeamLink(db, port, clock, interactions.deliver)
        self.home = HomeTab(db, interactions.conversation)
        self.modals = PlanModals(interactions)
        self.in_channel = EphemeralAnswers(interactions, port)
        self.oauth = oauth
        # Socket Mode may run without a signing secret: then no /slack/events, and nothing over HTTP to verify.
        self.over_http = bool(settings.signing_secret)
        self.verifier = SignatureVerifier(settings.signing_secret) if self.over_http else None
        # Signature verification is bolt's default and never switched off: a missing or bad signature, or a
        # timestamp over five minutes old, is answered 401 before any listener runs (Socket Mode has no signature).
        if oauth is None:
            client = AsyncWebClient(token=settings.bot_token, base_url=settings.api_url, retry_handlers=[])
            self.bolt = AsyncApp(signing_secret=settings.signing_secret, client=client)  # the token rides on it
        else:
            # Each request is authorized from its workspace's stored installation, which gives its listener's token.
            client = AsyncWebClient(base_url=settings.api_url, retry_handlers=[])
            self.bolt = AsyncApp(signing_secret=settings.signing_secret, client=client, oauth_flow=oauth.flow)
        self._work_after = AfterAnswer("Slack")
        self._listen()

    def routes(self, app: web.Application) -> None:
        # bolt's per-request clients copy the app client's session; the port's own clients take it too.
        share_one_session(app, (self.bolt.client, self.port.client))
        if self.over_http:
            app.router.add_post(EVENTS_PATH, self.handle)
        if self.oauth is not None:
            self.oauth.routes(app)

    async def handle(self, request: web.Request) -> web.Response:
        # The signature first, on the raw body: bolt parses the body before it checks, and a signed body it cannot
        # parse (not JSON, "payload=null", no actions) would otherwise end in a 500.
        body = await request.read()
        if self.verifier is None:
            return web.Response(status=404)
        try:
            signed = self.verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # UnicodeDecodeError among them
            # Not UTF-8, or a timestamp that is no whole number ("abc", "1.7e9", ""): slack_sdk's int() raises
            # on it before any signature is compared. Neither is something Slack signs.
            signed = False
        if not signed:
            return web.Response(status=401)
        try:
            bolt_request = await to_bolt_request(request)
            if not bolt_can_read(bolt_request.body):
                logger.warning("a signed Slack request of a shape Slack does not send; answered 400")
                return web.Response(status=400)
            return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))
        except Exception as error:  # Slack sent something we cannot read: nobody to answer but Slack itself
            logger.warning("unreadable Slack request: %s", without_message(error))
            return web.Response(status=400)

    def _listen(self) -> None:
        bolt = self.bolt

        @bolt.middleware
        async def start_work(
            request: AsyncBoltRequest, body: dict[str, Any], next: Callable[[], Awaitable[None]]
        ) -> None:
            # Runs after bolt's own checks (signature, authorization) and before the listener acks: the work is
            # started here so it is under way when the answer leaves, and slow work never delays the ack.
            self._after(self._route(body, _signed_request_key(request.headers)))
            await next()

        async def ack_only(ack: AsyncAck) -> None:
            await (
                ack()
            )  # Slack waits 3 s for this (https://api.slack.com/interactivity/handling#acknowledgment_response)

        async def submit_plan(ack: AsyncAck, body: dict[str, Any], request: AsyncBoltRequest) -> None:
            # A plan form's submission is checked before the ack: a refusal must come back in the ack's body
            # (response_action "errors") to keep the modal open. Only the sending after a save waits for later.
            if await self._replayed(_signed_request_key(request.headers), before_ack=True):
                await ack()
                return
            submission = await self.modals.submit(body)
            await ack(**submission.response)
            self._after(self.interactions.deliver(submission.reply))

        bolt.command(re.compile(r"^/tyhy"))(ack_only)
        bolt.action(re.compile(".*"))(ack_only)
        bolt.view(re.compile(r"^plan\.edit\."))(submit_plan)  # before the catch-all: the first match answers
        bolt.view(re.compile(".*"))(ack_only)
        bolt.view_closed(re.compile(".*"))(ack_only)  # a closed modal changes nothing, but gets its 200
        bolt.shortcut(re.compile(".*"))(ack_only)
        for name in (*EVENTS, "app_uninstalled", "tokens_revoked"):
            bolt.event(name)(_acknowledged)  # bolt acks events itself; a listener tells it they are ours

    async def _route(self, body: dict[str, Any], signed_key: str) -> None:
        if body.get("type") == "event_callback":
            await self._on_event(body)  # an event has its own id, which Slack's retries of it share
        elif is_plan_submission(body):
            return  # answered by its listener within the ack (_listen)
        elif await self._replayed(signed_key):
            return
        elif "command" in body:
            await self._command(body)
        elif "type" in body:
            trigger_id = body.get("trigger_id")
            trigger = trigger_id if isinstance(trigger_id, str) else ""
            await self._parsed(lambda: parse_interaction(body), trigger, asked_in(body))

    async def _on_event(self, body: dict[str, Any]) -> None:
        # Slack retries an event it thinks we missed (X-Slack-Retry-Num): the first sight of an event id on any
        # replica handles it, every retry is acknowledged and left alone.
        identifier = event_id(body)
        try:
            first = not identifier or await self.interactions.in_turn(
                partial(self.platforms.first_sight, "slack", identifier, self.clock())
            )
        except SQLAlchemyError as error:
            # The database is away: the work that follows cannot save anything either, and asks to try again.
            logger.warning("Slack event not checked for a retry: database %s", type(error).__name__)
            first = True
        if not first:
            logger.info("Slack event %s seen before; ignored", identifier)
            return
        await self._parsed(lambda: parse_event(body), asked=asked_in(body))

    async def _replayed(self, signed_key: str, *, before_ack: bool = False) -> bool:
        """True for a signed request this or another replica has seen: acknowledged, and then left alone.

        Slash commands and interactions carry no id, and Slack signs every request it sends anew: the same signature
        and timestamp again, within the five minutes they pass the check, is a captured request sent again. Checked
        after the ack, it takes its turn with the core's work; before one, it cannot wait behind queued clicks.
        """
        if not signed_key:
            return False  # Socket Mode: nothing is signed, and nobody but Slack speaks on the socket
        check = partial(self.platforms.first_sight, "slack", signed_key, self.clock())
        try:
            first = await (asyncio.to_thread(check) if before_ack else self.interactions.in_turn(check))
        except SQLAlchemyError as error:
            # The database is away: the work that follows cannot save anything either, and asks to try again.
            logger.warning("Slack request not checked for a replay: %s", type(error).__name__)
            return False
        if not first:
            logger.warning("a signed Slack request replayed; acknowledged and ignored")
        return not first

    async def _command(self, body: dict[str, Any]) -> None:
        try:
            event = parse_command(body)
        except SlackPayloadError as error:
            logger.warning("unreadable slash command: %s", error)
            return
        if await self.link.handles(event):
            return
        await self._answer(event, asked_in(body))

    async def _answer(self, event: InboundEvent, asked: AskedIn | None) -> None:
        """Through the core: answered where it was asked when that was a channel, else as the core addresses it."""
        if asked is not None:
            await self.in_channel.handle(event, asked)
        else:
            await self.interactions.handle(event)

    async def _parsed(self, parse: Callable[[], object], trigger_id: str = "", asked: AskedIn | None = None) -> None:
        try:
            event = parse()
        except SlackPayloadError as error:  # nobody to answer: Slack sent something we cannot read
            logger.warning("unreadable Slack payload: %s", error)
            return
        if event is None:
            return
        if isinstance(event, HomeOpened):
            try:
                client = await self.port.client_for(event.workspace)
            except DeliveryError as error:
                logger.warning("no Home tab for workspace %s: %s", event.workspace, error.reason)
                return
            await self.home.publish(event, client)
        elif isinstance(event, Uninstalled):
            if self.oauth is not None:
                await self.oauth.installations.remove(event.workspace)
            else:
                logger.warning("the app was removed from Slack workspace %s", event.workspace)
        elif isinstance(event, MembersChanged):
            await self.link.members_changed(event)
        elif isinstance(event, CommandText) and await self.link.handles(event):
            return
        elif isinstance(event, ActionSubmitted) and self.modals.wants(event, trigger_id):
            # A plan form opens as a modal with this press's trigger_id, which Slack honours for 3 s only.
            try:
                client = await self.port.client_for(event.sender.workspace)
            except DeliveryError:
                await self.interactions.handle(event)  # not installed: the answer goes the usual way (and fails)
                return
            await self.modals.handle(event, trigger_id, client)
        else:
            await self._answer(_inbound(event), asked)

    def _after(self, work: Any) -> None:
        """Run work after the answer: the platform is never kept waiting for it."""
        self._work_after.start(work)

    async def idle(self) -> None:
        """Wait until the work started after answers is done (tests, shutdown)."""
        await self._work_after.idle()


def _signed_request_key(headers: Mapping[str, Sequence[str]]) -> str:
    """One signed request's key among the events seen: its signature covers its timestamp and body."""
    signature = next(iter(headers.get("x-slack-signature", ())), "")
    timestamp = next(iter(headers.get("x-slack-request-timestamp", ())), "")
    return f"signed:{timestamp}:{signature}" if signature else ""


async def _acknowledged() -> None:
    pass


def _inbound(event: object) -> InboundEvent:
    return event  # type: ignore[return-value]  # what is left after the Slack-only kinds is a neutral event
