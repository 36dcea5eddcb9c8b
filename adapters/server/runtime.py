"""The running bot: the conversation, the outbox workers every replica runs, and the scheduler only the leader runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from adapters.local_inbox import LocalInbox
from adapters.server.jobs_wiring import job_runtime
from adapters.server.loop_lag import LoopLagMonitor
from adapters.server.metrics import Metrics
from adapters.server.wiring import build_conversation
from bot.conversation import Conversation
from bot.organisation import Platform
from bot.ports import ChatPort
from scheduler import jobs
from scheduler.leadership import Leadership, leadership_for
from scheduler.outbox import OutboxWorker, lease_from_env
from scheduler.outbox_rate import SharedRateLimiter
from scheduler.runner import Scheduler
from storage.db import Database
from storage.job_run_repository import JobRunRepository
from storage.outbox_repository import OutboxRepository

logger = logging.getLogger(__name__)

LEADERSHIP_SECONDS = 10.0  # a replica checks for leadership this often: a dead leader is replaced within 30 s


class BotRuntime:
    """Everything that runs in the background of `tyhy serve`."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ports: Mapping[Platform, ChatPort] | None = None,
        leadership: Leadership | None = None,
        schedule: bool = True,
        outbox_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        transport_clock = outbox_clock or clock  # the outbox's leases, retries and rate limits
        self.inbox = LocalInbox(Platform.WEB)
        self.ports: dict[Platform, ChatPort] = {Platform.WEB: self.inbox, Platform.CONSOLE: self.inbox, **(ports or {})}
        self.conversation: Conversation = build_conversation(db, clock)
        self.outbox = OutboxRepository(db, transport_clock)
        self.metrics = Metrics()
        self.loop_lag = LoopLagMonitor(self.metrics.loop_held_seconds.observe)
        self.metrics.watch_database(self.outbox, JobRunRepository(db), transport_clock)
        self.worker = OutboxWorker(
            self.outbox,
            self.ports,
            SharedRateLimiter.from_env(),
            transport_clock,
            lease=lease_from_env(),
            observer=self.metrics,
        )
        self.scheduler = Scheduler(db, clock)
        self.leadership = leadership or leadership_for(db)
        # The lock's connection is used from this one thread only: a cancelled asyncio.to_thread keeps running, so
        # a probe and the release on another thread could race and leak the lock; here the release waits its turn.
        self._leadership_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leadership")
        self.schedule = schedule
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.leading = False

    def add_port(self, platform: Platform, port: ChatPort) -> None:
        """Connect a platform: replies and the outbox reach it from now on."""
        self.ports[platform] = port
        self.worker.ports[platform] = port

    async def start(self) -> None:
        """Start the outbox worker and the leadership loop."""
        self._stop.clear()
        self.loop_lag.start()
        if self.db.is_sqlite:
            # One process owns a SQLite database: rows it was sending when it last died go again now, not after
            # the lease (on PostgreSQL another replica may still be sending them, so their lease must run out).
            released = await asyncio.to_thread(self.outbox.release_leases, self.clock())
            if released:
                logger.warning("%d messages were being sent when the bot last stopped; sending them again", released)
        jobs.install(job_runtime(self.db, self.clock, self.outbox.enqueue, wake=self.worker.wake))
        self._tasks = [asyncio.create_task(self.worker.run(self._stop))]
        if self.schedule:
            self._tasks.append(asyncio.create_task(self._lead()))

    async def stop(self) -> None:
        """Stop working and hand leadership over at once."""
        self._stop.set()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._resign()
        await self.loop_lag.stop()
        jobs.install(None)

    async def _lead(self) -> None:
        while not self._stop.is_set():
            leads = await asyncio.get_running_loop().run_in_executor(self._leadership_thread, self.leadership.try_lead)
            if leads and not self.leading:
                await self.scheduler.start()
                self.leading = True
                self.metrics.leader.set(1)
            elif not leads and self.leading:
                self.scheduler.stop()
                self.leading = False
                self.metrics.leader.set(0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), LEADERSHIP_SECONDS)

    async def _resign(self) -> None:
        if self.leading:
            self.scheduler.stop()
            self.leading = False
        # After any probe still running on the leadership thread, and off the event loop (the database may hang).
        await asyncio.get_running_loop().run_in_executor(self._leadership_thread, self.leadership.release)
