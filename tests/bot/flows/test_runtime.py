"""The running bot: on start the leading process plans the year, missed prompts go out once, through the outbox."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED

from adapters.server.runtime import BotRuntime
from tests.bot.flows.conftest import Demo

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 10:00: the pulse round is due, ruokapalvelu is overdue


async def wait_until(condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    """Poll a condition, bounded in time; the bound is a safety net, not a measurement."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the bot did not deliver in time"
        await asyncio.sleep(0.05)


async def wait_until_async(condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    """wait_until for a condition that must itself await (a request to the server, say)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "the bot did not deliver in time"
        await asyncio.sleep(0.05)


async def test_start_delivers_what_is_due_once_to_the_local_chat(demo: Demo) -> None:
    runtime = BotRuntime(demo.db, clock=lambda: NOW)
    anna, outi = demo.person("Anna"), demo.person("Outi")
    await runtime.start()

    def kinds(person_id: int) -> list[str]:
        return [e.message.card.kind for e in runtime.inbox.messages(f"dm-{person_id}") if e.message.card]

    try:
        # The round comes from the planned jobs, the escalation from housekeeping in a thread of its own:
        # wait for both to arrive, then for the outbox to drain, so a late escalation is not missed.
        await wait_until(lambda: "pulse" in kinds(anna.id) and "followup_escalation" in kinds(outi.id))
        await wait_until(lambda: runtime.outbox.depth() == 0)
    finally:
        await runtime.stop()
    assert kinds(anna.id).count("pulse") == 1  # this week's round, once
    assert kinds(outi.id).count("followup_escalation") == 1  # ruokapalvelu's missed follow-up, told once

    again = BotRuntime(demo.db, clock=lambda: NOW)  # a restart re-plans the same occurrences: nothing new goes out
    jobs = JobCounter(again)
    await again.start()
    try:
        # Planned, and every job due by now has run to its end (APScheduler says so), and the outbox is empty.
        await wait_until(lambda: again.leading and jobs.settled())
        await wait_until(lambda: again.outbox.depth() == 0)
    finally:
        await again.stop()
    assert jobs.finished > 0  # the restart did run what was due (each found it had already run)
    assert again.inbox.messages(f"dm-{anna.id}") == []


class JobCounter:
    """APScheduler's own account of the jobs it started and finished, so a test waits for them, not for a time."""

    def __init__(self, runtime: BotRuntime) -> None:
        self.runtime = runtime
        self.submitted = 0
        self.finished = 0
        runtime.scheduler.aps.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        runtime.scheduler.aps.add_listener(self._finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _submitted(self, _: object) -> None:
        self.submitted += 1

    def _finished(self, _: object) -> None:
        self.finished += 1

    def settled(self) -> bool:
        wall = datetime.now(UTC)
        due = [job for job in self.runtime.scheduler.aps.get_jobs() if job.next_run_time and job.next_run_time <= wall]
        return self.submitted > 0 and self.submitted == self.finished and not due


class RecordingLeadership:
    """Leadership that leads and notes which thread each call came from (the lock's connection is not thread-safe)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.probed = threading.Event()

    def try_lead(self) -> bool:
        self.calls.append(("try_lead", threading.get_ident()))
        self.probed.set()
        return True

    def release(self) -> None:
        self.calls.append(("release", threading.get_ident()))


async def test_probes_and_the_release_use_one_thread_off_the_event_loop(demo: Demo) -> None:
    leadership = RecordingLeadership()
    runtime = BotRuntime(demo.db, clock=lambda: NOW, leadership=leadership)
    await runtime.start()
    try:
        await asyncio.to_thread(leadership.probed.wait, 30)
    finally:
        await runtime.stop()
    assert [name for name, _ in leadership.calls] == ["try_lead", "release"]
    threads = {thread for _, thread in leadership.calls}
    assert len(threads) == 1 and threading.get_ident() not in threads
