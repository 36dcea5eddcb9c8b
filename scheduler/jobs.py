"""Module-level job functions with primitive ids (APScheduler's rule, P13), running against the installed runtime."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.messages import OutboundMessage, Reply
from scheduler.planner import JobKind

logger = logging.getLogger(__name__)

JobHandler = Callable[[JobKind, int, bool, datetime], Reply]  # (kind, team id, overdue, now) -> what to send
Housekeeping = Callable[[datetime], Reply]  # (now) -> due reminders, escalations
# (now) -> messages each under a key of its own making, stable however often the pass runs (a closed round's cards)
KeyedHousekeeping = Callable[[datetime], list[tuple[str, OutboundMessage]]]


class JobRuns(Protocol):
    """Which occurrences have run: claiming one twice answers False, so every occurrence runs once."""

    def claim(self, job_id: str, now: datetime) -> bool: ...


class Enqueue(Protocol):
    """The outbox's door: (unique key, message) pairs; a key seen before is not sent again."""

    def __call__(self, messages: Iterable[tuple[str, OutboundMessage]]) -> int: ...


@dataclass
class JobRuntime:
    """What jobs need, installed once by the process that schedules."""

    handle: JobHandler
    housekeeping: Housekeeping
    job_runs: JobRuns
    enqueue: Enqueue
    clock: Callable[[], datetime]
    wake: Callable[[], None] = field(default=lambda: None)  # nudges the outbox workers after enqueueing
    keyed_housekeeping: KeyedHousekeeping = field(default=lambda now: [])


_runtime: JobRuntime | None = None


def install(runtime: JobRuntime | None) -> None:
    """Make the runtime the jobs use (None uninstalls it)."""
    global _runtime
    _runtime = runtime


def _current() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("no job runtime installed")
    return _runtime


def delivery_key(job_id: str, message: OutboundMessage) -> str:
    """One outbox row per (occurrence, recipient); a message's topic ends the key, so its sent row can be found."""
    to = message.to
    recipient = (
        f"member:{message.member_id}"
        if message.member_id is not None
        else f"{to.platform}:{to.channel_id or to.user_id}"
    )
    return f"{job_id}>{recipient}" + (f">{message.topic}" if message.topic else "")


def execute(job_id: str, kind: str, team_id: int, overdue: bool, latest: str | None = None) -> int:
    """Run one occurrence if it has not run before; returns how many messages were newly queued.

    `latest` (ISO 8601) is the moment past which the catch-up rule skips it (scheduler/catch_up.py): a job
    planned in time can still start late, when the machine slept through its day.
    """
    runtime = _current()
    now = runtime.clock()
    if latest is not None and now >= datetime.fromisoformat(latest):
        logger.warning("skipped %s: its day passed before it could run", job_id)
        return 0
    if not runtime.job_runs.claim(job_id, now):
        logger.info("job %s already ran", job_id)
        return 0
    reply = runtime.handle(JobKind(kind), team_id, overdue, now)
    return runtime.enqueue((delivery_key(job_id, m), m) for m in reply.messages)


def execute_housekeeping() -> int:
    """Due reminders and escalations (their use cases mark what they sent, so each row gets a key of its own), and
    the cards of rounds that have closed."""
    runtime = _current()
    now = runtime.clock()
    reply = runtime.housekeeping(now)
    queued = runtime.enqueue((f"housekeeping:{uuid.uuid4().hex}", m) for m in reply.messages)
    # Its keys say what each message is for, so a second pass, a restart or another replica cannot double it.
    return queued + runtime.enqueue(runtime.keyed_housekeeping(now))


async def run_job(job_id: str, kind: str, team_id: int, overdue: bool, latest: str | None = None) -> None:
    """APScheduler's entry point for a planned occurrence (database work off the event loop)."""
    queued = await asyncio.to_thread(execute, job_id, kind, team_id, overdue, latest)
    if queued:
        _current().wake()


async def run_housekeeping() -> None:
    """APScheduler's entry point for the minute-by-minute housekeeping."""
    if await asyncio.to_thread(execute_housekeeping):
        _current().wake()
