"""Answers to a command typed in a Teams channel or group chat, where everyone sees what the bot writes.

Teams has no message for one person only. The team's own answer (the plan, `OutboundMessage.public`) goes in the
thread the person wrote in; any other answer of theirs goes to their 1:1 chat, and the thread gets a short pointer
to it, or word that the 1:1 chat could not be opened, so the channel never stays silent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.common.asked_in_channel import split_for_asker
from adapters.common.interactions import Interactions
from adapters.teams.port import TeamsChatPort
from bot.events import CommandText
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from bot.ports import DeliveryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thread:
    """The conversation a message was written in ("19:…;messageid=…" for a channel's thread) and the message."""

    conversation_id: str
    activity_id: str
    service_url: str
    tenant: str


def thread_of(activity: Mapping[str, Any], tenant: str) -> Thread | None:
    """Where a channel or group chat message was written; None for a 1:1 chat or an activity without the parts."""
    conversation = activity.get("conversation")
    if not isinstance(conversation, Mapping) or conversation.get("conversationType", "personal") == "personal":
        return None
    parts = (conversation.get("id"), activity.get("id"), activity.get("serviceUrl"))
    if not all(isinstance(part, str) and part for part in parts):
        return None
    conversation_id, activity_id, service_url = (str(part) for part in parts)
    return Thread(conversation_id, activity_id, service_url, tenant)


class ChannelAnswers:
    """Runs a command typed in a channel through the core and answers it there, or privately with a pointer."""

    def __init__(self, interactions: Interactions, port: TeamsChatPort) -> None:
        self.interactions = interactions
        self.port = port

    async def handle(self, event: CommandText, thread: Thread) -> None:
        mine, rest = split_for_asker(await self.interactions.answer(event), event.sender)
        await self.interactions.deliver(rest, event.sender)  # a success's post to the team's channel stays the team's
        private = [message for message in mine if not message.public]
        for message in mine:
            if message.public:
                try:
                    await self._in_thread(thread, message)
                except DeliveryError as error:
                    logger.warning("an answer in a Teams thread was refused (%s); sent to the 1:1 chat", error.reason)
                    private.append(message)
        if not private:
            return
        delivered = 0
        for message in private:
            try:
                await self.port.send(message)
                delivered += 1
            except DeliveryError as error:
                logger.warning("an answer to a command typed in Teams not delivered privately: %s", error.reason)
        language = normalise_language(event.sender.locale) or DEFAULT_LANGUAGE
        key = "interaction.answered_in_private" if delivered else "interaction.private_unreachable"
        where = Address(Platform.TEAMS, channel_id=thread.conversation_id, workspace=thread.tenant)
        pointer = OutboundMessage(where, text=translate(language, key))
        try:
            await self._in_thread(thread, pointer)
        except DeliveryError as error:
            logger.warning("no pointer to the 1:1 chat in a Teams thread: %s", error.reason)

    async def _in_thread(self, thread: Thread, message: OutboundMessage) -> None:
        await self.port.reply_in_thread(
            thread.conversation_id, thread.activity_id, message, service_url=thread.service_url, tenant=thread.tenant
        )
