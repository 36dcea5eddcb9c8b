"""One inbound event from any platform: through the core, and the reply sent straight back to the platform."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from sqlalchemy.exc import SQLAlchemyError

from bot.conversation import Conversation
from bot.events import ActionSubmitted, CommandText, InboundEvent
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from bot.messages import Address, OutboundMessage, Reply
from bot.organisation import Platform
from bot.ports import ChatPort, DeliveryError

logger = logging.getLogger(__name__)

# Events the core handles at once, per process. The core is Python holding the GIL most of its time: threads side
# by side only take turns with the event loop, which then answers the platforms late (Slack waits 3 s). Events
# beyond this wait their turn, already answered. bench.slack_interaction at 2,000 clicks: p99 of the answers
# 30 ms with one, 138 ms with two, seconds with the default pool of six. Replicas add throughput.
CONCURRENCY = 1


class Interactions:
    """What every adapter calls after it has acknowledged the platform's request.

    Replies go to the platform directly, not through the outbox: a redrawn pulse card carries the person's draft
    answers in its buttons, and the outbox would keep that text in the database until it was sent.
    """

    def __init__(
        self,
        conversation: Conversation,
        ports: Callable[[], Mapping[Platform, ChatPort]],
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.conversation = conversation
        self.ports = ports  # looked up per reply: the server adds the platform adapters after building this
        self._gate = asyncio.Semaphore(concurrency)

    async def handle(self, event: InboundEvent) -> Reply:
        """Run the event through the core and send the reply; the reply is returned for the caller's own use."""
        reply = await self.answer(event)
        await self.deliver(reply)
        return reply

    async def answer(self, event: InboundEvent) -> Reply:
        """The core's reply to the event, not yet sent: for an adapter that sends part of it its own way."""
        try:
            async with self._gate:
                reply = await asyncio.to_thread(self.conversation.handle, event)
        except SQLAlchemyError as error:
            # The database is away for a moment: nothing was written (each step is one transaction), so the
            # person can simply try again. Only the error's type is logged: its text may quote what they sent.
            logger.warning("database unavailable while handling %s: %s", type(event).__name__, type(error).__name__)
            reply = try_again(event)
        return reply

    async def deliver(self, reply: Reply) -> None:
        """Send each message in order; a failure is logged and does not stop the ones after it."""
        ports = self.ports()
        for message in reply.messages:
            port = ports.get(message.to.platform)
            if port is None:
                logger.error("no port for %s; a reply was dropped", message.to.platform)
                continue
            try:
                if message.replaces is not None:
                    await port.update(message.replaces, message)
                else:
                    await port.send(message)
            except DeliveryError as error:
                logger.warning("reply to %s not delivered: %s", message.to.platform, error.reason)
            except SQLAlchemyError as error:  # the port needed the database (a stored DM channel) and it is away
                logger.warning("reply to %s not delivered: database %s", message.to.platform, type(error).__name__)


def try_again(event: InboundEvent) -> Reply:
    """'Try again in a moment', in the language the platform reports for the sender (the database cannot say)."""
    if not isinstance(event, (CommandText, ActionSubmitted)):
        return Reply()
    sender = event.sender
    language = normalise_language(sender.locale) or DEFAULT_LANGUAGE
    # Where the event came from, when it says so: finding the person's DM would need the database that is away.
    if isinstance(event, ActionSubmitted):
        channel = event.source.channel_id if event.source is not None else ""
    else:
        channel = event.channel_id if event.is_direct else ""
    to = Address(sender.platform, user_id=sender.user_id, workspace=sender.workspace, channel_id=channel)
    return Reply((OutboundMessage(to=to, text=translate(language, "interaction.try_again")),))
