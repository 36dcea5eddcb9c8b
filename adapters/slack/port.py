"""Sending to Slack: the outbox's and the interactions' ChatPort over slack_sdk, with Slack's failures translated."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.common.retry_after import rate_limited_wait
from adapters.slack.render import render_message
from bot.messages import Address, OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.platform_repository import PERSON, PlatformRepository, StoredConversation

logger = logging.getLogger(__name__)

# Slack's error codes that no retry can fix: the person or channel is gone, or the app may not post there
# (https://api.slack.com/methods/chat.postMessage#errors). They are shown to the wellbeing officer as the reason.
PERMANENT = {
    "user_not_found": "person not found in Slack",
    "users_not_found": "person not found in Slack",
    "channel_not_found": "channel not found",
    "not_in_channel": "the app is not in the channel",
    "is_archived": "the channel is archived",
    "account_inactive": "the person's Slack account is deactivated",
    "user_disabled": "the person's Slack account is deactivated",
    "cannot_dm_bot": "cannot message a bot",
    "invalid_auth": "the app is not installed (invalid token)",
    "not_authed": "the app is not installed (no token)",
    "token_revoked": "the app was removed from the workspace",
    "account_inactive_bot": "the app was removed from the workspace",
    "message_not_found": "the message to update is gone",
    "cant_update_message": "the message cannot be updated",
}
NOT_INSTALLED = "the app is not installed in this Slack workspace"

# A workspace's (Slack team id's) bot token, or None where the app is not installed: many-workspace mode.
TokenLookup = Callable[[str], Awaitable[str | None]]


class SlackChatPort:
    """Posts and updates messages; a person's DM channel is opened once and kept (conversations.open is 50/min).

    One workspace: one client with the bot token. Many workspaces: each message's workspace finds its own token.
    """

    platform = Platform.SLACK

    def __init__(
        self, client: AsyncWebClient, conversations: PlatformRepository, tokens: TokenLookup | None = None
    ) -> None:
        self.client = client  # with many workspaces it has no token: it only carries the base URL
        self.conversations = conversations
        self.tokens = tokens
        self._clients: dict[str, AsyncWebClient] = {}

    @classmethod
    def connect(cls, token: str, api_url: str, conversations: PlatformRepository) -> SlackChatPort:
        # No retry handlers: a 429 or 5xx is the outbox's to retry, once, with its own backoff and shared buckets.
        return cls(AsyncWebClient(token=token, base_url=api_url, retry_handlers=[]), conversations)

    @classmethod
    def installed(cls, api_url: str, conversations: PlatformRepository, tokens: TokenLookup) -> SlackChatPort:
        """Many workspaces: each send looks its workspace's bot token up (the installation store)."""
        return cls(AsyncWebClient(base_url=api_url, retry_handlers=[]), conversations, tokens)

    async def client_for(self, workspace: str) -> AsyncWebClient:
        """The client that speaks for the app in a workspace; DeliveryError where the app is not installed."""
        if self.tokens is None:
            return self.client
        token = await self.tokens(workspace)
        if not token:
            raise DeliveryError(NOT_INSTALLED, permanent=True)
        client = self._clients.get(token)
        if client is None:  # one per token: a reinstall's new token gets a new client, nothing is shared wrongly
            client = AsyncWebClient(
                token=token, base_url=self.client.base_url, session=self.client.session, retry_handlers=[]
            )
            self._clients[token] = client
        return client

    async def send(self, message: OutboundMessage) -> SentRef:
        channel, workspace = await self._channel(message.to)
        answer = await self._call(workspace, "chat_postMessage", channel=channel, **render_message(message))
        return SentRef(Platform.SLACK, str(answer.get("channel", channel)), str(answer["ts"]), workspace)

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        await self._call(
            ref.workspace, "chat_update", channel=ref.channel_id, ts=ref.message_id, **render_message(message)
        )

    async def api(self, workspace: str, method: str, **arguments: Any) -> dict[str, Any]:
        """Any Web API method (slack_sdk's name for it) in a workspace; Slack's failures as DeliveryError."""
        return await self._call(workspace, method, **arguments)

    async def ephemeral(
        self, workspace: str, channel: str, user: str, message: OutboundMessage, thread_ts: str = ""
    ) -> None:
        """Show the message in a channel (or its thread) to one person only; Slack keeps no copy to update later."""
        thread = {"thread_ts": thread_ts} if thread_ts else {}
        await self._call(
            workspace, "chat_postEphemeral", channel=channel, user=user, **thread, **render_message(message)
        )

    async def respond(self, response_url: str, message: OutboundMessage, *, replace: bool = False) -> None:
        """Answer through a slash command's or an interaction's response_url: seen only by the one who acted, and the
        only way to redraw an ephemeral message (docs.slack.dev/interactivity/handling-user-interaction: five uses
        within 30 minutes)."""
        body = {**render_message(message), "response_type": "ephemeral", "replace_original": replace}
        webhook = AsyncWebhookClient(response_url, session=self.client.session, retry_handlers=[])
        try:
            response = await webhook.send_dict(body)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"network: {type(error).__name__}", permanent=False) from None
        if response.status_code != 200:  # "used_url", "expired_url": this URL will not take it, no later try will
            raise DeliveryError(f"response_url refused ({response.status_code})", permanent=True)

    async def _channel(self, to: Address) -> tuple[str, str]:
        """Where to post, and the workspace to post in (a DM first opened without one is in the person's own)."""
        if to.channel_id:
            return to.channel_id, to.workspace
        known = await asyncio.to_thread(self.conversations.person_conversation, "slack", to.workspace, to.user_id)
        if known is not None:
            return known.stored.conversation_id, to.workspace or known.workspace
        opened = await self._call(to.workspace, "conversations_open", users=to.user_id)
        channel_id = str(opened["channel"]["id"])
        await asyncio.to_thread(
            self.conversations.save_conversation,
            "slack",
            to.workspace,
            PERSON,
            to.user_id,
            StoredConversation(channel_id),
            datetime.now(UTC),
        )
        return channel_id, to.workspace

    async def _call(self, workspace: str, method: str, **arguments: Any) -> dict[str, Any]:
        client = await self.client_for(workspace)
        try:
            response = await getattr(client, method)(**arguments)
        except SlackApiError as error:
            raise _translated(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"network: {type(error).__name__}", permanent=False) from None
        return dict(response.data) if isinstance(response.data, dict) else {}


def _translated(error: SlackApiError) -> DeliveryError:
    response = error.response
    status = getattr(response, "status_code", 0)
    code = str(response.get("error", "")) if isinstance(getattr(response, "data", None), dict) else ""
    if status == 429 or code == "ratelimited":
        retry_after = rate_limited_wait(response.headers.get("Retry-After") or response.headers.get("retry-after"))
        return DeliveryError("rate limited (429)", permanent=False, retry_after=retry_after)
    if status >= 500:
        return DeliveryError(f"Slack error ({status})", permanent=False)
    if code in PERMANENT:
        return DeliveryError(PERMANENT[code], permanent=True)
    # An error we do not know: another try costs little, and the outbox gives up after its attempts.
    return DeliveryError(f"Slack said {code or status}"[:100], permanent=False)
