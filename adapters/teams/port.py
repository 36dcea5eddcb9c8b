"""Sending to Teams: the outbox's ChatPort over the Bot Connector REST API, with the connector's failures translated."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from botbuilder.schema import ChannelAccount, ConversationParameters
from botframework.connector.auth import MicrosoftAppCredentials
from sqlalchemy.exc import SQLAlchemyError

from adapters.common.retry_after import rate_limited_wait, retry_after_seconds
from adapters.teams.connector_http import ConnectorFailed, ConnectorHttp
from adapters.teams.render import render_activity
from adapters.teams.settings import TEAMS_SERVICE_URL, TeamsSettings
from bot.messages import Address, OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.platform_repository import CHANNEL, PERSON, PlatformRepository, StoredConversation

logger = logging.getLogger(__name__)

PLATFORM = "teams"
# Statuses Microsoft says to retry with backoff (msteams-docs bots/how-to/rate-limit).
RETRYABLE = {412: "precondition failed (412)", 429: "rate limited (429)"}
# Teams' error codes for a 403 (msteams-docs bots/build-conversational-capability): shown to the wellbeing
# officer as the reason the member cannot be reached.
FORBIDDEN = {
    "ConversationBlockedByUser": "the person blocked the bot",
    "BotDisabledByAdmin": "the bot is disabled by the tenant admin",
    "BotNotInConversationRoster": "the app is not installed for the person or the team",
}
BLOCKED = "the person blocked the bot or the app was removed"
NOT_FOUND = "conversation not found (404)"
# Teams refuses a new conversation without a tenant (400 "Could not parse tenant id"); no retry can find one.
NO_TENANT = "no Teams tenant known (set MICROSOFT_APP_TENANT_ID or the member's teams_tenant)"


class TeamsChatPort:
    """Posts and updates activities; a person's 1:1 conversation is created once and kept in the database."""

    platform = Platform.TEAMS

    def __init__(
        self,
        credentials: MicrosoftAppCredentials,
        conversations: PlatformRepository,
        *,
        service_url: str = TEAMS_SERVICE_URL,
        app_id: str = "",
        tenant_id: str = "",
    ) -> None:
        self.credentials = credentials
        self.conversations = conversations
        self.service_url = service_url
        self.app_id = app_id
        self.tenant_id = tenant_id  # the tenant when neither the address nor the database names one
        self._http = ConnectorHttp()  # retries nothing itself: the outbox retries, with the tenant's shared pace
        self._token_lock = asyncio.Lock()

    @classmethod
    def connect(cls, settings: TeamsSettings, conversations: PlatformRepository) -> TeamsChatPort:
        if settings.app_id:
            credentials = MicrosoftAppCredentials(
                settings.app_id, settings.app_password, channel_auth_tenant=settings.tenant_id or None
            )
        else:
            credentials = MicrosoftAppCredentials.empty()  # a local fake connector: no token, no Authorization
        return cls(
            credentials,
            conversations,
            service_url=settings.service_url,
            app_id=settings.app_id,
            tenant_id=settings.tenant_id,
        )

    async def send(self, message: OutboundMessage) -> SentRef:
        activity = _activity(message)
        to = message.to
        tenant = await self._tenant(to)
        if to.channel_id and _is_chat(to.channel_id):
            return await self._post_in_chat(to, tenant, activity)
        if to.channel_id:
            return await self._post_in_channel(to, tenant, activity)
        stored = await self._stored(to, tenant)
        if stored is None:
            # Two first messages at once would both create; Teams answers both with the same 1:1 chat.
            conversation_id = await self._create_chat(to, tenant)
        else:
            conversation_id = stored.conversation_id
        service_url = self._service_url(stored)
        try:
            answer = await self._call(self._http.send_to_conversation, service_url, conversation_id, activity)
        except DeliveryError as error:
            if stored is not None and error.reason == NOT_FOUND:
                # The stored chat is gone; forget it so a later message creates a new one. No ids in the log.
                logger.info("teams: a stored 1:1 chat is gone (404); the next message creates a new one")
                await asyncio.to_thread(self.conversations.forget_conversations, PLATFORM, tenant, to.user_id)
            raise
        return SentRef(Platform.TEAMS, conversation_id, str(answer.get("id", "")), tenant)

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        activity = {**_activity(message), "id": ref.message_id}
        stored = await self._stored(message.to, ref.workspace or await self._tenant(message.to))
        service_url = self._service_url(stored)
        await self._call(self._http.update_activity, service_url, ref.channel_id, ref.message_id, activity)

    async def reply_in_thread(
        self, conversation_id: str, reply_to_id: str, message: OutboundMessage, *, service_url: str, tenant: str
    ) -> SentRef:
        """Answer a message where it was written: in a channel, its thread ("19:…;messageid=…" names the thread and
        replyToId the message, learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/
        channel-and-group-conversations); in a group chat, the chat. The serviceUrl is the one the message came
        with."""
        activity = {**_activity(message), "replyToId": reply_to_id}
        answer = await self._call(self._http.send_to_conversation, service_url, conversation_id, activity)
        return SentRef(Platform.TEAMS, conversation_id, str(answer.get("id", "")), tenant)

    async def close(self) -> None:
        """Let go of the connection pool."""
        await self._http.close()

    # --- conversations ----------------------------------------------------------------------------------------

    async def _post_in_channel(self, to: Address, tenant: str, activity: dict[str, Any]) -> SentRef:
        # A new top-level post: continuing a stored channel reference would reply into its old thread.
        channel = to.channel_id.split(";messageid=")[0]
        parameters = ConversationParameters(
            is_group=True,
            bot=self._bot(),
            tenant_id=tenant or None,
            channel_data={"channel": {"id": channel}, **_tenant_data(tenant)},
        )
        body = {**_create_body(parameters, tenant), "activity": activity}
        stored = await self._stored(to, tenant)
        answer = await self._call(self._http.create_conversation, self._service_url(stored), body)
        conversation_id = str(answer.get("id", ""))
        activity_id = str(answer.get("activityId") or conversation_id.partition(";messageid=")[2])
        return SentRef(Platform.TEAMS, conversation_id, activity_id, tenant)

    async def _post_in_chat(self, to: Address, tenant: str, activity: dict[str, Any]) -> SentRef:
        # A group chat or a personal chat named as the place: it has no threads, so the message simply goes in.
        stored = await self._stored(to, tenant)
        service_url = self._service_url(stored)
        answer = await self._call(self._http.send_to_conversation, service_url, to.channel_id, activity)
        return SentRef(Platform.TEAMS, to.channel_id, str(answer.get("id", "")), tenant)

    async def _create_chat(self, to: Address, tenant: str) -> str:
        parameters = ConversationParameters(
            is_group=False,
            bot=self._bot(),
            members=[ChannelAccount(id=to.user_id)],
            tenant_id=tenant or None,
            channel_data=_tenant_data(tenant) or None,
        )
        answer = await self._call(self._http.create_conversation, self.service_url, _create_body(parameters, tenant))
        conversation_id = str(answer.get("id", ""))
        stored = StoredConversation(conversation_id, self.service_url)
        now = datetime.now(UTC)
        await asyncio.to_thread(self.conversations.save_conversation, PLATFORM, tenant, PERSON, to.user_id, stored, now)
        return conversation_id

    async def _tenant(self, to: Address) -> str:
        """The tenant to address: the address's own, else the one the database knows (the person's identity or
        their team's install), else MICROSOFT_APP_TENANT_ID; "" when none is known."""
        if to.workspace:
            return to.workspace
        channel = to.channel_id.split(";messageid=")[0]
        known = await asyncio.to_thread(self.conversations.known_workspace, PLATFORM, to.user_id, channel)
        return known or self.tenant_id

    async def _stored(self, to: Address, tenant: str) -> StoredConversation | None:
        kind, target = (CHANNEL, to.channel_id.split(";messageid=")[0]) if to.channel_id else (PERSON, to.user_id)
        if not target:
            return None
        try:
            return await asyncio.to_thread(self.conversations.conversation, PLATFORM, tenant, kind, target)
        except SQLAlchemyError as error:
            if not to.channel_id:
                raise  # a person's chat is unknown without it: the message waits in the outbox or is dropped
            # A conversation named by its id is reached without it, through the configured service URL: so a
            # person who acted while the database is away is still told to try again where they are.
            logger.warning("teams: stored conversation not read (database %s)", type(error).__name__)
            return None

    def _service_url(self, stored: StoredConversation | None) -> str:
        # The serviceUrl Teams gave with a stored reference is the one to use (aesthetics P4); else the setting.
        return stored.service_url if stored is not None and stored.service_url else self.service_url

    def _bot(self) -> ChannelAccount | None:
        return ChannelAccount(id=f"28:{self.app_id}") if self.app_id else None

    # --- the connector ----------------------------------------------------------------------------------------

    async def _call(self, call: Callable[..., Awaitable[dict[str, Any]]], service_url: str, *arguments: Any) -> Any:
        try:
            return await call(service_url, await self._token(), *arguments)
        except ConnectorFailed as failure:
            if failure.status == 0:
                raise DeliveryError(f"network: {failure.network}", permanent=False) from None
            raise _translated(failure) from None
        except PermissionError:
            # Entra ID refused the app id and password: a setting to fix, not a person to give up on.
            raise DeliveryError("no token for the bot (check MICROSOFT_APP_ID/PASSWORD)", permanent=False) from None

    async def _token(self) -> str:
        # msal's first call (and each hourly renewal) goes over the network: asked in a thread, off the loop.
        if not self.credentials.microsoft_app_id:
            return ""  # a local fake connector: no token, no Authorization header
        async with self._token_lock:
            token: str = await asyncio.to_thread(self.credentials.get_access_token)
            return token


def _activity(message: OutboundMessage) -> dict[str, Any]:
    try:
        return render_activity(message)
    except ValueError as error:
        # Too big for Teams: no retry changes that. The reason names the card kind and size, never its text.
        raise DeliveryError(str(error)[:200], permanent=True) from None


def _is_chat(conversation_id: str) -> bool:
    """A personal chat ("a:…") or a group or meeting chat ("19:…@thread.v2"), not a team's channel.

    Team channels are "19:…@thread.tacv2" (or the older "@thread.skype"); only they have top-level posts.
    """
    return conversation_id.startswith("a:") or conversation_id.endswith("@thread.v2")


def _tenant_data(tenant: str) -> dict[str, Any]:
    return {"tenant": {"id": tenant}} if tenant else {}


def _create_body(parameters: ConversationParameters, tenant: str) -> dict[str, Any]:
    """ConversationParameters as the REST API names them: botbuilder-schema 4.17 writes the tenant as "tenantID",
    where the schema says "tenantId"; Teams reads channelData.tenant.id, which is set too."""
    if not tenant:
        raise DeliveryError(NO_TENANT, permanent=True)
    body: dict[str, Any] = parameters.serialize()
    body.pop("tenantID", None)
    body["tenantId"] = tenant
    return body


def _translated(failure: ConnectorFailed) -> DeliveryError:
    status, code = failure.status, failure.code
    # Both platforms read Retry-After alike: a 429 always waits (a second without the header), others as they ask.
    asked = failure.retry_after
    retry_after = rate_limited_wait(asked) if status == 429 else retry_after_seconds(asked)
    if status in RETRYABLE:
        return DeliveryError(RETRYABLE[status], permanent=False, retry_after=retry_after)
    if status == 403:
        return DeliveryError(FORBIDDEN.get(code, BLOCKED), permanent=True)
    if status == 404:
        return DeliveryError(NOT_FOUND, permanent=True)
    if status == 400:
        return DeliveryError(f"Teams refused the message ({code or 400})"[:100], permanent=True)
    if status == 401:
        # The connector did not accept our token: credentials or service URL to fix, not the person.
        return DeliveryError("the connector refused the bot's token (401)", permanent=False)
    if status >= 500:
        return DeliveryError(f"Teams error ({status})", permanent=False, retry_after=retry_after)
    # A status we do not know: another try costs little, and the outbox gives up after its attempts.
    return DeliveryError(f"Teams said {code or status}"[:100], permanent=False)
