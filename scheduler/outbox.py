"""The outbox worker: claims due rows, sends each through its platform's port, records sent, retry or undeliverable."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from bot.diagnosis import without_message
from bot.message_codec import CodecError, decode_message
from bot.messages import OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import ChatPort, DeliveryError
from scheduler.keyed_locks import KeyedLocks
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_pacer import Pacer
from storage.outbox_buckets import Limiter
from storage.outbox_models import KEY_LENGTH
from storage.outbox_repository import Claimed, ClaimedBatch, OutboxRepository

logger = logging.getLogger(__name__)

BATCH = 200  # rows per claim: a round of ten thousand takes fifty claims, each one short transaction
LEASE = timedelta(minutes=5)  # a crashed worker's rows come back after this; far longer than a batch may take
SEND_TIMEOUT = 20.0  # seconds: a hung call is retried later; a batch's 4 rounds of 64 hung sends end inside the lease
MAX_ATTEMPTS = 8
# Recipients sent to at once within a batch (one recipient's messages still go in order); measured by bench.fanout:
# 8 sends at once reached 700/s on loopback, 64 reach 940/s. A platform's rate limit, not this, is the usual cap.
CONCURRENCY = 64
PIPELINE = 2  # batches on the wire at once per worker, each claimed while the ones before it are still sending
IDLE_SECONDS = 1.0  # how often an idle worker looks again when nobody wakes it


LEASE_VARIABLE = "TYHY_OUTBOX_LEASE_SECONDS"


def lease_from_env(environ: Mapping[str, str] = os.environ) -> timedelta:
    """TYHY_OUTBOX_LEASE_SECONDS, else LEASE: how long a dead replica's rows wait before another sends them."""
    raw = environ.get(LEASE_VARIABLE, "").strip()
    if not raw:
        return LEASE
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{LEASE_VARIABLE} must be a number of seconds, not {raw!r}") from None
    if not seconds > 0:
        raise ValueError(f"{LEASE_VARIABLE} must be positive, not {raw!r}")
    return timedelta(seconds=seconds)


class DeliveryObserver(Protocol):
    """Told of every outcome (the server counts them for /metrics); the default observer ignores them."""

    def sent(self, platform: str) -> None: ...

    def retried(self, platform: str) -> None: ...

    def undeliverable(self, platform: str) -> None: ...


class _Unobserved:
    def sent(self, platform: str) -> None:
        pass

    def retried(self, platform: str) -> None:
        pass

    def undeliverable(self, platform: str) -> None:
        pass


class OutboxWorker:
    """One of any number of workers (per process, per replica) draining the same outbox."""

    def __init__(
        self,
        repo: OutboxRepository,
        ports: Mapping[Platform, ChatPort],
        limiter: Limiter,
        clock: Callable[[], datetime],
        *,
        batch: int = BATCH,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: Backoff | None = None,
        concurrency: int = CONCURRENCY,
        send_timeout: float = SEND_TIMEOUT,
        pipeline: int = PIPELINE,
        observer: DeliveryObserver | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.repo = repo
        self.ports = dict(ports)
        self.limiter = limiter
        self.clock = clock
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.backoff = backoff or Backoff()
        self.concurrency = concurrency
        self.send_timeout = send_timeout
        self._wake = asyncio.Event()
        self.pipeline = pipeline
        self.observer: DeliveryObserver = observer or _Unobserved()
        self.sleep = sleep  # until a booked slot; a simulated clock's tests pass one that moves their clock
        # Slots come from the shared bucket; the pacer keeps this process's own sends a little under the rate, so
        # a send that was late (a busy moment) is not caught up in a burst the platform would answer 429.
        self._pacer = Pacer(limiter, lambda: self.clock().timestamp(), lambda seconds: self.sleep(seconds))
        self._recipients = KeyedLocks()
        # A workspace the platform answered 429 for, and until when: rows booked for slots inside that pause go
        # back to the queue unsent rather than meet another 429.
        self._paused: dict[tuple[str, str], datetime] = {}

    async def run_once(self) -> int:
        """Claim one batch and deliver it; returns how many rows were claimed (sent, put back or given up)."""
        claimed_at = self.clock()
        claimed = await self._claim(claimed_at)
        await self._deliver_batch(claimed, claimed_at)
        return len(claimed)

    async def drain(self) -> int:
        """Run batches until none is due now; returns how many rows were handled."""
        total = 0
        while handled := await self.run_once():
            total += handled
        return total

    async def run(self, stop: asyncio.Event, idle_seconds: float = IDLE_SECONDS) -> None:
        """Work until `stop` is set; between empty claims wait for `wake()` or `idle_seconds`.

        Up to `pipeline` batches are sent at once: the next claim is made while earlier batches are still on the
        wire, so the database's round trips never leave the platform's allowance unused.
        """
        in_flight: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            if len(in_flight) >= self.pipeline:
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                continue
            # Cleared before the claim, not after: a wake() that arrives meanwhile is not lost.
            self._wake.clear()
            started = time.monotonic()
            claimed_at = self.clock()
            try:
                claimed = await self._claim(claimed_at)
            except Exception as error:  # the database was away: keep the worker alive and look again later
                logger.warning("outbox claim failed (%s); trying again shortly", type(error).__name__)
                claimed = ClaimedBatch()
            if claimed:
                task = asyncio.create_task(self._deliver_batch(claimed, claimed_at))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                if claimed.wait_s is None:
                    continue
            # A rate bucket that held rows back says when it has room again; otherwise nothing is due: idle.
            # The wait counts from the claim's start: the claim's own round trip is time the bucket refilled.
            pause = idle_seconds if claimed.wait_s is None else min(idle_seconds, claimed.wait_s)
            pause -= time.monotonic() - started
            await self._pause(stop, pause)
        if in_flight:
            await asyncio.wait(in_flight)  # what was claimed is sent and recorded before the worker stops

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        if seconds <= 0:
            return
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter

    async def _claim(self, now: datetime) -> ClaimedBatch:
        return await asyncio.to_thread(
            self.repo.claim,
            now,
            # Only platforms this process can send to: a replica without Teams credentials leaves Teams rows be.
            platforms=[str(platform) for platform in self.ports],
            batch=self.batch,
            lease=self.lease,
            limiter=self.limiter,
            max_attempts=self.max_attempts,
        )

    async def _deliver_batch(self, claimed: Sequence[Claimed], claimed_at: datetime) -> None:
        """Send a claimed batch, each recipient's messages in order and each at its booked slot (counted from
        `claimed_at`, the claim's time), and record the deliveries together."""
        by_recipient: dict[tuple[str, str, str, str], list[tuple[Claimed, OutboundMessage]]] = {}
        # Decoded off the event loop: a batch of cards is tens of milliseconds of work, and the loop is meanwhile
        # keeping the slots of the batch before it.
        for row, message in await asyncio.to_thread(_decode_all, claimed):
            if message is None:
                logger.error("outbox row %d holds an unreadable message; marked undeliverable", row.id)
                await asyncio.to_thread(self.repo.mark_undeliverable, row, "unreadable message", self.clock())
                self.observer.undeliverable(row.platform)
            else:
                to = message.to
                by_recipient.setdefault((to.platform, to.workspace, to.user_id, to.channel_id), []).append(
                    (row, message)
                )
        gate = asyncio.Semaphore(self.concurrency)
        sent: list[tuple[Claimed, SentRef]] = []

        async def deliver_in_order(
            recipient: tuple[str, str, str, str], items: list[tuple[Claimed, OutboundMessage]]
        ) -> None:
            # The recipient's lock keeps order across batches in flight together (a card, then its update).
            async with gate, self._recipients.hold(recipient):
                for row, message in items:
                    try:
                        if not await self._slot(row, claimed_at + timedelta(seconds=row.send_after_s)):
                            continue
                        ref = await self._deliver(row, message)
                    except Exception as error:
                        # Recording a retry or a refusal failed (the database is away): the row comes back when
                        # its lease runs out, and the rest of the batch goes on and is recorded.
                        logger.warning("outbox row %d: outcome not recorded (%s)", row.id, type(error).__name__)
                        continue
                    if ref is not None:
                        sent.append((row, ref))

        await asyncio.gather(*(deliver_in_order(key, items) for key, items in by_recipient.items()))
        # The batch's deliveries are recorded together: one commit instead of one per message. A crash before this
        # line resends at most this batch, the messages that were in flight.
        try:
            recorded = await asyncio.to_thread(self.repo.mark_all_sent, sent, self.clock())
        except Exception as error:  # the database was away: the rows come back when their lease runs out
            logger.warning(
                "recording %d deliveries failed (%s); they may be sent again", len(sent), type(error).__name__
            )
            return
        if recorded < len(sent):
            logger.warning(
                "%d outbox rows were sent after their lease ran out; they may arrive twice", len(sent) - recorded
            )

    async def _slot(self, row: Claimed, due: datetime) -> bool:
        """Wait for the row's booked slot; False when a 429 has paused its workspace and the row went back."""
        while (delay := (due - self.clock()).total_seconds()) > 0:
            await self.sleep(delay)
        await self._pacer.wait(row.platform, row.workspace)
        paused_until = self._paused.get((row.platform, row.workspace))
        if paused_until is not None and self.clock() < paused_until:
            reason = "held back while the platform asked us to wait (429)"
            await asyncio.to_thread(partial(self.repo.retry_later, counted=False), row, paused_until, reason)
            return False
        return True

    def wake(self) -> None:
        """New rows were queued: look now rather than after the idle wait (call from the event loop's thread)."""
        self._wake.set()

    async def _deliver(self, row: Claimed, message: OutboundMessage) -> SentRef | None:
        """Send one row; the reference when it was delivered (recorded with its batch), None when handled here."""
        port = self.ports[Platform(row.platform)]
        try:
            # asyncio.timeout, not wait_for: wait_for wraps each send in a task of its own, a tenth of a send's CPU.
            async with asyncio.timeout(self.send_timeout):
                if message.replaces is not None:
                    await port.update(message.replaces, message)
                    ref: SentRef = message.replaces
                else:
                    ref = await port.send(message)
        except DeliveryError as error:
            if error.permanent:
                logger.info("outbox row %d undeliverable: %s", row.id, error.reason)
                if await asyncio.to_thread(self.repo.mark_undeliverable, row, error.reason, self.clock()):
                    await self._tell_refused(row, message)
                self.observer.undeliverable(row.platform)
            else:
                await self._retry(row, message, error.reason, error.retry_after)
        except Exception as error:
            # An adapter bug or a network failure it did not translate: worth another try. The type and frames are
            # logged, never the text: an exception's text may quote the message, and the message may quote a person.
            logger.warning("outbox row %d: %s from the %s port", row.id, without_message(error), row.platform)
            await self._retry(row, message, f"unexpected {type(error).__name__}", None)
        else:
            self.observer.sent(row.platform)
            return ref
        return None

    async def _retry(self, row: Claimed, message: OutboundMessage, reason: str, retry_after: float | None) -> None:
        now = self.clock()
        rate_limited = retry_after is not None
        # A 429 is the platform pacing us, not the message failing: it never counts towards giving up.
        if row.attempts >= self.max_attempts and not rate_limited:
            logger.warning("outbox row %d: giving up after %d attempts (%s)", row.id, row.attempts, reason)
            gave_up = f"gave up after {row.attempts} attempts: {reason}"
            if await asyncio.to_thread(self.repo.mark_undeliverable, row, gave_up, now):
                await self._tell_refused(row, message)
            self.observer.undeliverable(row.platform)
            return
        delay = self.backoff.delay(row.attempts, retry_after)
        logger.info("outbox row %d: %s; retrying in %.0f s", row.id, reason, delay)
        retry = partial(self.repo.retry_later, counted=not rate_limited)
        await asyncio.to_thread(retry, row, now + timedelta(seconds=delay), reason)
        self.observer.retried(row.platform)
        if retry_after is not None:
            # A 429 speaks for the whole workspace or tenant: hold its other rows too, on every replica.
            self._paused[(row.platform, row.workspace)] = now + timedelta(seconds=retry_after)
            await asyncio.to_thread(self.repo.pause_bucket, row.platform, row.workspace, now, retry_after, self.limiter)

    async def _tell_refused(self, row: Claimed, message: OutboundMessage) -> None:
        """The message will never arrive: queue the notice it carries for the person whose act it was."""
        if message.if_refused is None:
            return
        await asyncio.to_thread(self.repo.enqueue, [(refusal_key(row.key), message.if_refused)])
        self.wake()


def refusal_key(key: str) -> str:
    """The notice's outbox key: one notice per refused row, however often the refusal is recorded."""
    suffixed = f"{key}:refused"
    return suffixed if len(suffixed) <= KEY_LENGTH else "refused:" + hashlib.sha256(key.encode()).hexdigest()


def _decode_all(claimed: Sequence[Claimed]) -> list[tuple[Claimed, OutboundMessage | None]]:
    """Each row's message; None for a row whose payload cannot be read."""
    decoded: list[tuple[Claimed, OutboundMessage | None]] = []
    for row in claimed:
        try:
            decoded.append((row, decode_message(json.loads(row.payload))))
        except (CodecError, ValueError):  # json's errors are ValueErrors too
            decoded.append((row, None))
    return decoded
