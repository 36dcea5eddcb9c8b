"""One inbound event from any platform: through the core, and the reply sent back to the platform.

The person's own answer goes straight back; a redrawn card that meets a 429 is tried again in memory (it may carry
their unsent draft, which is never stored). Channel posts and messages to other people, and any other answer that
meets a 429, go through the delivery outbox, which paces, retries and records what never arrives.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.conversation import Conversation
from bot.events import ActionSubmitted, CommandText, InboundEvent, Sender
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from bot.messages import Address, OutboundMessage, Reply, SentRef
from bot.organisation import Platform
from bot.ports import ChatPort, DeliveryError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Events the core handles at once, per process. The core is Python holding the GIL most of its time: threads side
# by side only take turns with the event loop, which then answers the platforms late (Slack waits 3 s). Events
# beyond this wait their turn, already answered. bench.slack_interaction at 2,000 clicks: p99 of the answers
# 30 ms with one, 138 ms with two, seconds with the default pool of six. Replicas add throughput.
CONCURRENCY = 1
# A reply kept in memory (a redrawn card) is tried this often, waiting what the platform asks (Retry-After) or
# else 1, 2, 4 s, for at most this long in all: a person looking at the card waits no longer than that.
MEMORY_ATTEMPTS = 5
MEMORY_PATIENCE_SECONDS = 60.0
FIRST_BACKOFF_SECONDS = 1.0


# A live message (a choosing's count of senders) redrawn for someone else's act waits this long in the outbox, so
# the acts of those seconds go out as one redraw: a platform's update limit (Slack's chat.update) is never neared.
LIVE_COALESCE_SECONDS = 3.0


@dataclass(frozen=True)
class Outbox:
    """The delivery outbox as replies use it: a repository's `enqueue(messages, after=...)` and a worker's `wake`;
    `enqueue_latest(prefix, message, after=...)` keeps one waiting redraw of a live message, the newest."""

    enqueue: Callable[..., int]
    wake: Callable[[], None]
    enqueue_latest: Callable[..., bool] | None = None


class Interactions:
    """What every adapter calls after it has acknowledged the platform's request.

    Without an outbox (the local chats, which never answer 429) every message goes straight to its port.
    """

    def __init__(
        self,
        conversation: Conversation,
        ports: Callable[[], Mapping[Platform, ChatPort]],
        concurrency: int = CONCURRENCY,
        *,
        outbox: Outbox | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.conversation = conversation
        self.ports = ports  # looked up per reply: the server adds the platform adapters after building this
        self.outbox = outbox
        self.sleep = sleep  # the wait before a retry in memory; tests pass one that records it
        self._gate = asyncio.Semaphore(concurrency)

    async def in_turn(self, work: Callable[[], T]) -> T:
        """Database work an adapter does for an event (is it a retry? where is the person reached?), on a thread
        in the same turn-taking as the core's: unbounded, each click's threads would take turns with every other
        click's and with the event loop, and the loop answers the platforms late. bench.slack_interaction's ratio
        of acks to a bare app's, in one short run each: 0.49 side by side, 0.77 taking turns (SQLite); 0.31 and
        0.71 (PostgreSQL, two replicas). Not for work before an ack: that would wait behind the queued events."""
        async with self._gate:
            return await asyncio.to_thread(work)

    async def handle(self, event: InboundEvent) -> Reply:
        """Run the event through the core and send the reply; the reply is returned for the caller's own use."""
        reply = await self.answer(event)
        await self.deliver(reply, actor_of(event))
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

    async def deliver(self, reply: Reply, actor: Sender | None = None) -> None:
        """Send each message in order; one that cannot go now is queued or retried, and never stops the rest.

        `actor` is who acted: messages to them are their answer; without one, every message to a person is.
        """
        ports = self.ports()
        for message in reply.messages:
            port = ports.get(message.to.platform)
            if port is None:
                logger.error("no port for %s; a reply was dropped", message.to.platform)
                continue
            try:
                if self.outbox is not None and message.replaces is not None and self._is_live(message):
                    # Every redraw of a live message goes the same way, so the newest one always lands last.
                    after = 0.0 if _answers(message, actor) else LIVE_COALESCE_SECONDS
                    await self._queue_latest(port, message, after)
                elif self.outbox is not None and not _answers(message, actor):
                    await self._queue(port, message)  # paced with the rounds, retried, recorded if refused
                elif message.replaces is not None:
                    await self._in_memory(port, message)
                else:
                    await self._answer(port, message)
            except SQLAlchemyError as error:  # the port needed the database (a stored DM channel) and it is away
                logger.warning("reply to %s not delivered: database %s", message.to.platform, type(error).__name__)

    async def _answer(self, port: ChatPort, message: OutboundMessage) -> None:
        """The person's answer, at once; on a 429 or a passing failure it goes to the outbox (or memory without)."""
        if self.outbox is None:
            await self._in_memory(port, message)
            return
        try:
            ref = await port.send(message)
        except DeliveryError as error:
            if error.permanent:
                await self._refused(port, message, error)
            else:
                logger.info("reply to %s queued after %s", message.to.platform, error.reason)
                await self._queue(port, message, error.retry_after or 0.0)
            return
        await self._landed(message, ref)

    async def _in_memory(self, port: ChatPort, message: OutboundMessage) -> None:
        """Send or redraw, trying again as the platform asks, within MEMORY_ATTEMPTS and MEMORY_PATIENCE_SECONDS."""
        waited = 0.0
        for attempt in range(1, MEMORY_ATTEMPTS + 1):
            try:
                if message.replaces is not None:
                    await port.update(message.replaces, message)
                else:
                    await self._landed(message, await port.send(message))
                return
            except DeliveryError as error:
                if error.permanent:
                    await self._refused(port, message, error)
                    return
                wait = error.retry_after
                if wait is None:
                    wait = FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1)
                if attempt == MEMORY_ATTEMPTS or waited + wait > MEMORY_PATIENCE_SECONDS:
                    logger.warning(
                        "reply to %s not delivered after %d attempts: %s", message.to.platform, attempt, error.reason
                    )
                    return
                logger.info("reply to %s: %s; trying again in %.1f s", message.to.platform, error.reason, wait)
                waited += wait
                await self.sleep(wait)

    def _is_live(self, message: OutboundMessage) -> bool:
        return bool(message.topic) and self.conversation.is_live(message)  # most messages have no topic: no lookup

    async def _landed(self, message: OutboundMessage, ref: SentRef) -> None:
        """A live message was sent: its flow is told where, to redraw it there later."""
        if not self._is_live(message):
            return
        try:
            await asyncio.to_thread(self.conversation.delivered, message, ref)
        except SQLAlchemyError as error:  # it arrived; only its later redraws are lost
            logger.warning("where a live message landed was not kept: database %s", type(error).__name__)

    async def _queue_latest(self, port: ChatPort, message: OutboundMessage, after: float) -> None:
        """A live message's redraw into the outbox, taking the place of one still waiting there."""
        assert self.outbox is not None
        if self.outbox.enqueue_latest is None:
            await self._queue(port, message, after)
            return
        prefix = f"live:{message.topic}>{message.to.user_id or message.to.channel_id}:"
        try:
            queue = partial(self.outbox.enqueue_latest, prefix, message, after=timedelta(seconds=after))
            await asyncio.to_thread(queue)
        except SQLAlchemyError as error:
            logger.warning("live redraw to %s not queued: database %s", message.to.platform, type(error).__name__)
            await self._in_memory(port, message)
            return
        self.outbox.wake()

    async def _refused(self, port: ChatPort, message: OutboundMessage, error: DeliveryError) -> None:
        logger.warning("reply to %s not delivered: %s", message.to.platform, error.reason)
        if message.if_refused is not None:  # the person whose act it carried is told, where they are
            await self._answer(port, message.if_refused)

    async def _queue(self, port: ChatPort, message: OutboundMessage, after: float = 0.0) -> None:
        """Into the outbox under a key of its own, to go no sooner than `after` seconds from now."""
        assert self.outbox is not None
        key = f"reply:{uuid.uuid4().hex}"
        try:
            await asyncio.to_thread(partial(self.outbox.enqueue, [(key, message)], after=timedelta(seconds=after)))
        except SQLAlchemyError as error:
            # The database is away: straight to the platform, tried again in memory, rather than nothing at all.
            logger.warning("reply to %s not queued: database %s", message.to.platform, type(error).__name__)
            await self._in_memory(port, message)
            return
        self.outbox.wake()


def _answers(message: OutboundMessage, actor: Sender | None) -> bool:
    """True for a message to the person who acted; False for a channel post or a message to someone else."""
    to = message.to
    if to.is_channel:
        return False
    return actor is None or (to.platform == actor.platform and to.user_id == actor.user_id)


def actor_of(event: InboundEvent) -> Sender | None:
    """Who acted: the messages to them are their answer (sent at once, queued on a 429)."""
    return event.sender if isinstance(event, (CommandText, ActionSubmitted)) else None


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
