"""The demo's movable clock, and running the calendar's due jobs at once when it moves, without the scheduler."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from scheduler import jobs
from scheduler.planner import JobSpec
from scheduler.runner import load_occurrences
from storage.db import Database
from storage.demo_clock_store import DemoClockStore
from storage.pulse_repository import PulseRepository
from storage.reminder_repository import ReminderRepository

LOOK_AHEAD = timedelta(days=400)  # "the next prompt" is found within a year and a bit: the calendar repeats yearly


class DemoClock:
    """Now as the demo sees it: the wall clock plus an offset that only grows, so time never runs backwards."""

    def __init__(
        self, wall: Callable[[], datetime] = lambda: datetime.now(UTC), offset: timedelta = timedelta()
    ) -> None:
        self._wall = wall
        self._offset = max(offset, timedelta())  # where the demo stood when the server last stopped
        self._lock = threading.Lock()  # read from the outbox workers' threads, moved from the web handler

    def __call__(self) -> datetime:
        with self._lock:
            return self._wall() + self._offset

    @property
    def offset(self) -> timedelta:
        """How far ahead of the wall clock the demo is."""
        with self._lock:
            return self._offset

    def advance(self, days: float) -> datetime:
        """Move forward by `days` (negative values are ignored); returns the new now."""
        with self._lock:
            self._offset += timedelta(days=max(days, 0.0))
            return self._wall() + self._offset

    def advance_to(self, moment: datetime) -> datetime:
        """Move forward to `moment` (a moment already past leaves the clock where it is); returns the new now."""
        with self._lock:
            now = self._wall() + self._offset
            if moment > now:
                self._offset += moment - now
            return self._wall() + self._offset


def next_prompt(db: Database, now: datetime) -> JobSpec | None:
    """The first occurrence still to go out after `now`, as the scheduler plans and the catch-up rule decides."""
    coming = load_occurrences(db, now, until=now + LOOK_AHEAD)
    return next((o.spec for o in coming if o.goes_out and o.spec.run_at > now), None)


def next_due_moment(db: Database, now: datetime) -> datetime | None:
    """The first moment after `now` at which the bot does something: a prompt goes out, a reminder falls due or a
    round closes (its cards close and its results come in). "Next prompt" stops there, never jumps over one."""
    upcoming = next_prompt(db, now)
    moments = [
        upcoming.run_at if upcoming is not None else None,
        ReminderRepository(db).next_after(now),
        PulseRepository(db).next_close_after(now),
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def run_due_jobs(db: Database, since: datetime, now: datetime) -> int:
    """Run what the bot would have sent had it run from `since` to `now`, and the housekeeping; returns the count.

    The demo's clock jumps, but the bot is running all along: what falls due in between goes out, and what was late
    at `since` (an overdue follow-up, say) too, while an occurrence `tyhy preview` shows as skipped stays skipped.
    Uses the job runtime BotRuntime.start installed, so the messages go through the outbox like the scheduler's;
    an occurrence already run (by this or by the scheduler) is skipped by its claim.
    """
    queued = 0
    for occurrence in load_occurrences(db, since, until=now + timedelta(seconds=1)):
        spec = occurrence.spec
        if occurrence.goes_out and spec.run_at <= now:
            queued += jobs.execute(spec.id, spec.kind.value, spec.team_id, spec.overdue)
    return queued + jobs.execute_housekeeping()


async def move_clock(clock: DemoClock, db: Database, wake: Callable[[], None], *, days: float | None) -> datetime:
    """Advance by `days`, or to the next prompt when `days` is None; run what fell due and wake the outbox."""
    since = clock()
    if days is None:
        moment = await asyncio.to_thread(next_due_moment, db, since)
        now = clock.advance_to(moment) if moment is not None else clock()
    else:
        now = clock.advance(days)
    # Kept in the database, so the terminal chat and the next start of the server read the same demo time.
    await asyncio.to_thread(DemoClockStore(db).move_to, clock.offset)
    if await asyncio.to_thread(run_due_jobs, db, since, now):
        wake()
    return now
