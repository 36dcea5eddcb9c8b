"""Teams' activities at /api/messages: Bot Framework authentication, an answer at once, the work after."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult
from sqlalchemy.exc import SQLAlchemyError

from adapters.common.after_answer import AfterAnswer
from adapters.common.interactions import Interactions
from adapters.common.local_requests import not_from_this_computer
from adapters.teams.activity_json import conversation_reference, misshapen, token_envelope
from adapters.teams.in_channel import ChannelAnswers, thread_of
from adapters.teams.install import TeamInstall
from adapters.teams.message_author import with_writer_by_teams_id
from adapters.teams.parse import TeamsPayloadError, Uninstalled, parse_activity, parse_message_action
from adapters.teams.port import PLATFORM, TeamsChatPort
from adapters.teams.settings import TeamsSettings
from adapters.teams.token_check import SigningKeysUnavailable, TokenRefused, authenticate
from bot.events import ActionSubmitted, CommandText, InboundEvent, Installed, MembersChanged
from storage.db import Database
from storage.platform_repository import CHANNEL, PERSON, PlatformRepository, StoredConversation

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
_THREAD = ";messageid="


@dataclass(frozen=True)
class _Configuration:
    """What ConfigurationBotFrameworkAuthentication reads (by attribute name) from a configuration object."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


class TeamsAdapter:
    """One bot registration; the port is the one the outbox sends through too."""

    def __init__(
        self,
        settings: TeamsSettings,
        db: Database,
        interactions: Interactions,
        port: TeamsChatPort,
        clock: Callable[[], datetime],
        *,
        wake_outbox: Callable[[], None] = lambda: None,
    ) -> None:
        self.settings = settings
        self.interactions = interactions
        self.port = port
        self.clock = clock
        self.platforms = PlatformRepository(db)
        self.install = TeamInstall(db, clock, wake_outbox)
        self.in_channel = ChannelAnswers(interactions, port)
        configuration = _Configuration(
            APP_ID=settings.app_id,
            APP_PASSWORD=settings.app_password,
            # A tenant id names a single-tenant registration, whose tokens come from that tenant only.
            APP_TYPE="SingleTenant" if settings.tenant_id else "MultiTenant",
            APP_TENANTID=settings.tenant_id,
        )
        # With an app id every request must carry a Bot Connector JWT for it (issuer, audience, serviceUrl claim,
        # signing keys from Microsoft's OpenID metadata); without one the SDK accepts anonymous requests, which
        # `handle` takes only straight from a program on this machine (the Bot Framework Emulator, the tests), as
        # the web chat does; the server connects Teams without an app id only with --demo or --local-chat.
        self.cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(configuration))
        self._work_after = AfterAnswer("Teams")

    def routes(self, app: web.Application) -> None:
        app.router.add_post(MESSAGES_PATH, self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        if not self.settings.app_id and (why := not_from_this_computer(request.remote, request.host, request.headers)):
            logger.warning("Teams request without credentials refused: %s", why)
            return web.Response(status=401)
        if request.content_type != "application/json":
            return web.Response(status=415)
        try:
            body = await request.json()
        except ValueError:
            logger.warning("Teams request refused: the body is not JSON")
            return web.Response(status=400)
        except RecursionError:
            logger.warning("Teams request refused: the body's JSON is nested too deeply")
            return web.Response(status=400)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return web.Response(status=400)
        if (wrong := misshapen(body)) is not None:
            logger.warning("Teams activity refused: %s is not of its type", wrong)
            return web.Response(status=400)
        try:
            # The SDK's own check of the Bot Connector token; it reads only the channel and the service URL.
            authenticated = await authenticate(
                self.cloud.bot_framework_authentication, token_envelope(body), request.headers.get("Authorization", "")
            )
        except TokenRefused as refused:
            logger.warning("Teams request refused: %s", refused)
            return web.Response(status=401)
        except SigningKeysUnavailable as unavailable:
            logger.warning("Teams request not checked: Microsoft's signing keys unavailable (%s)", unavailable)
            return web.Response(status=503)
        # Answered here, worked on after: CloudAdapter.process_activity would build a whole Activity, a turn, a
        # connector client and a user-token client for every request, which only an install needs (a connector).
        self._after(self._work(body, authenticated))
        if body["type"] == ActivityTypes.invoke and (answer := _invoke_body(body)) is not None:
            return web.json_response(answer)
        return web.Response(status=200)

    async def _work(self, body: dict[str, Any], authenticated: AuthenticateRequestResult) -> None:
        # Bot Framework delivers again what it thinks was lost; the first sight on any replica handles it.
        key = _delivery_key(body)
        try:
            seen_first = partial(self.platforms.first_sight, PLATFORM, key, self.clock())
            if key and not await self.interactions.in_turn(seen_first):
                logger.info("Teams activity seen before; ignored")
                return
            await self._remember(body)
        except SQLAlchemyError as error:
            # The database is away: the core cannot save anything either and tells the person to try again, in the
            # chat the activity came from (its service URL is the configured one until the stored one can be read).
            logger.warning("Teams activity not checked or remembered: database %s", type(error).__name__)
        try:
            event = parse_message_action(body) or parse_activity(body)
        except TeamsPayloadError as error:  # nobody to answer: Teams sent something we cannot read
            logger.warning("unreadable Teams activity: %s", error)
            return
        if event is None:
            return
        if isinstance(event, Uninstalled):
            logger.warning("the app was removed from a Teams conversation in tenant %s", event.tenant)
        elif isinstance(event, Installed):
            await self.install.installed(event, await self._connector(authenticated, body))
        elif isinstance(event, MembersChanged):
            await self.install.members_changed(event, await self._connector(authenticated, body))
        elif isinstance(event, CommandText) and (thread := thread_of(body, _tenant(body))) is not None:
            await self.in_channel.handle(event, thread)  # typed in a channel or group chat: answered there too
        else:
            if isinstance(event, ActionSubmitted) and event.author is not None and event.author.user_id:
                # A shared message names its writer by Azure AD object id; the organisation knows their Teams id.
                event = await with_writer_by_teams_id(event, body, await self._connector(authenticated, body))
            await self.interactions.handle(_inbound(event))

    async def _connector(self, authenticated: AuthenticateRequestResult, body: Mapping[str, Any]) -> Any:
        """A connector client for where the activity came from, as a turn would have it; only installs need one."""
        service_url = body.get("serviceUrl") or self.settings.service_url
        return await authenticated.connector_factory.create(service_url, authenticated.audience)

    async def _remember(self, body: Mapping[str, Any]) -> None:
        """Keep where this person or channel is reached, with the serviceUrl Teams gave (aesthetics P3, P4)."""
        service_url = body.get("serviceUrl")
        conversation = body.get("conversation")
        who = body.get("from")
        if not isinstance(service_url, str) or not isinstance(conversation, Mapping) or not isinstance(who, Mapping):
            return
        conversation_id = conversation.get("id")
        if not isinstance(conversation_id, str) or not conversation_id:
            return
        tenant = _tenant(body)
        reference = json.dumps(conversation_reference(body), ensure_ascii=False, separators=(",", ":"))
        if conversation.get("conversationType", "personal") == "personal":
            kind, target, stored_id = PERSON, who.get("id"), conversation_id
        else:
            channel = conversation_id.split(_THREAD)[0]
            kind, target, stored_id = CHANNEL, channel, channel
        if not isinstance(target, str) or not target:
            return
        stored = StoredConversation(stored_id, service_url, reference)
        save = partial(self.platforms.save_conversation, PLATFORM, tenant, kind, target, stored, self.clock())
        await self.interactions.in_turn(save)

    def _after(self, work: Any) -> None:
        """Run work after the answer: the platform is never kept waiting for it."""
        self._work_after.start(work)

    async def idle(self) -> None:
        """Wait until the work started after answers is done (tests, shutdown)."""
        await self._work_after.idle()


def _invoke_body(body: Mapping[str, Any]) -> object:
    """What Teams expects back from an invoke: nothing for a message action (its dialog closes), else a plain ack."""
    if body.get("name") == "adaptiveCard/action":
        # Universal Actions want a response; the card itself is updated in place by the work after.
        return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": ""}
    return None


def _delivery_key(body: Mapping[str, Any]) -> str:
    """One delivery's identity: an activity id is unique within its conversation only, so both are in it."""
    identifier = body.get("id")
    if not isinstance(identifier, str) or not identifier:
        return ""
    conversation = body.get("conversation")
    where = conversation.get("id") if isinstance(conversation, Mapping) else None
    # Hashed: conversation ids run long, and the seen-events table keeps 200 characters of a key.
    return hashlib.sha256(f"{where}|{body.get('type')}|{identifier}".encode()).hexdigest()


def _tenant(body: Mapping[str, Any]) -> str:
    conversation = body.get("conversation")
    tenant = conversation.get("tenantId") if isinstance(conversation, Mapping) else None
    if isinstance(tenant, str) and tenant:
        return tenant
    channel_data = body.get("channelData")
    tenant_data = channel_data.get("tenant") if isinstance(channel_data, Mapping) else None
    tenant = tenant_data.get("id") if isinstance(tenant_data, Mapping) else None
    return tenant if isinstance(tenant, str) else ""


def _inbound(event: object) -> InboundEvent:
    return event  # type: ignore[return-value]  # what is left after the Teams-only kinds is a neutral event
