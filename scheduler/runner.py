"""APScheduler (3.11, memory job store) rebuilt from the database at start and whenever plans or the calendar change."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.follow_up_rhythm import FollowUpRhythm
from scheduler import jobs
from scheduler.catch_up import LOOK_BACK, Fate, Occurrence, plan_and_decide
from scheduler.planner import JobSpec, plan_jobs
from storage.calendar_repository import CalendarRepository
from storage.comment_retention import delete_old_comments, retention_months_from_env
from storage.db import Database
from storage.job_run_repository import JobRunRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_mixer import mix_due

logger = logging.getLogger(__name__)

HORIZON = timedelta(days=35)  # jobs further ahead are added by a later re-plan (a daily one at the latest)
CHANGE_POLL_SECONDS = 30  # how often to look for plan or calendar changes made anywhere (CLI, another replica)
HOUSEKEEPING_SECONDS = 60  # due "remind me later" reminders
RETENTION_DAYS = 1  # comments past the retention setting are deleted daily
MIX_SECONDS = 60  # pending pulse answers join the counters: full batches, and all of a round that closed
OWN_JOBS = ("replan", "housekeeping", "retention", "mix")  # kept when the calendar's jobs are re-planned


def load_specs(db: Database, now: datetime, rhythm: FollowUpRhythm | None = None) -> list[JobSpec]:
    """Every job from LOOK_BACK before now to the horizon, planned from what the database holds now (no fates)."""
    org = OrganisationRepository(db).get()
    if org is None:
        return []
    calendar = CalendarRepository(db).get(org.id)
    plans = {plan.team_id: plan for plan in PlanRepository(db).all_current()}
    return plan_jobs(
        calendar,
        org.teams,
        plans,
        start=now - LOOK_BACK,
        end=now + HORIZON,
        timezone=org.timezone,
        rhythm=rhythm,
        now=now,
    )


def load_occurrences(
    db: Database, now: datetime, *, until: datetime | None = None, rhythm: FollowUpRhythm | None = None
) -> list[Occurrence]:
    """Every occurrence from LOOK_BACK before `now` to `until` (default: the horizon), decided at `now`.

    Planned from what the database holds, by the rule `tyhy preview` shows (scheduler/catch_up.py).
    """
    org = OrganisationRepository(db).get()
    if org is None:
        return []
    return plan_and_decide(
        CalendarRepository(db).get(org.id),
        org.teams,
        {plan.team_id: plan for plan in PlanRepository(db).all_current()},
        start=now - LOOK_BACK,
        end=until or now + HORIZON,
        now=now,
        which_ran=JobRunRepository(db).which_ran,
        timezone=org.timezone,
        rhythm=rhythm,
    )


def fingerprint(specs: list[JobSpec]) -> str:
    """A digest of the planned jobs: when it changes, the schedule must be rebuilt.

    Fates are left out: one that changes by itself (a job ran, a late one's day ended) needs no new schedule.
    """
    digest = hashlib.sha256()
    for spec in specs:
        digest.update(f"{spec.id}|{spec.run_at.isoformat()}|{spec.overdue}\n".encode())
    return digest.hexdigest()


class Scheduler:
    """Owns the APScheduler instance of the leading replica; jobs carry only primitive ids (P13)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.clock = clock
        self.aps = AsyncIOScheduler(
            timezone=UTC,
            # misfire_grace_time=None: a late job still runs; coalesce: several missed runs become one.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._fingerprint = ""
        self._told_skipped: set[str] = set()  # each skipped occurrence is logged once
        self.retention_months = retention_months_from_env()  # read at once: a bad value stops the start
        self.rhythm = FollowUpRhythm.from_env(os.environ)

    async def start(self) -> None:
        """Plan, start, and keep the schedule and the housekeeping going; the database is read off the event loop."""
        occurrences = await asyncio.to_thread(load_occurrences, self.db, self.clock())
        self.aps.start()
        self._apply(occurrences)
        self.aps.add_job(
            self.rebuild_if_changed, "interval", seconds=CHANGE_POLL_SECONDS, id="replan", replace_existing=True
        )
        self.aps.add_job(
            jobs.run_housekeeping,
            "interval",
            seconds=HOUSEKEEPING_SECONDS,
            id="housekeeping",
            replace_existing=True,
            next_run_time=datetime.now(UTC),  # APScheduler runs on the wall clock, whatever clock plans
        )
        self.aps.add_job(
            self.mix_pulse_answers,
            "interval",
            seconds=MIX_SECONDS,
            id="mix",
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )
        self.aps.add_job(
            self.delete_old_comments,
            "interval",
            days=RETENTION_DAYS,
            id="retention",
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )

    async def mix_pulse_answers(self) -> None:
        """At start and every minute: also what a process that died after a Send left pending is counted here."""
        mixed = await asyncio.to_thread(mix_due, self.db, self.clock())
        if mixed:
            logger.info("pulse mix: %d answers added to the counters", mixed)

    async def delete_old_comments(self) -> None:
        """Daily: pulse comments older than TYHY_COMMENT_RETENTION_MONTHS (default 24) are deleted."""
        deleted = await asyncio.to_thread(delete_old_comments, self.db, self.clock(), self.retention_months)
        if deleted:
            logger.info("retention: deleted %d texts older than %d months", deleted, self.retention_months)

    def stop(self) -> None:
        """Stop scheduling (this replica lost or gave up leadership); jobs not yet run stay in the database's plan."""
        if self.aps.running:
            self.aps.shutdown(wait=False)
        self._fingerprint = ""  # a later start plans afresh

    def rebuild_if_changed(self) -> None:
        """Re-plan when the plans or the calendar changed; cheap when nothing did."""
        if fingerprint(load_specs(self.db, self.clock(), self.rhythm)) != self._fingerprint:
            self.rebuild()

    def rebuild(self) -> None:
        """Replace every planned job with a fresh plan from the database."""
        self._apply(load_occurrences(self.db, self.clock(), rhythm=self.rhythm))

    def _apply(self, occurrences: list[Occurrence]) -> None:
        now = self.clock()
        coming = [o for o in occurrences if o.goes_out]
        wanted = {o.spec.id for o in coming}
        for job in self.aps.get_jobs():
            if job.id not in wanted and job.id not in OWN_JOBS:
                job.remove()
        for occurrence in coming:
            spec = occurrence.spec
            # A late occurrence runs once, now; jobs.run_job skips any occurrence that already ran, and one whose
            # day passed before it could run (the machine slept). APScheduler fires on the wall clock: each job
            # keeps its distance from our clock's now (the same thing, but for the demo's clock that runs ahead).
            run_date = datetime.now(UTC) + max(spec.run_at - now, timedelta())
            latest = occurrence.latest.isoformat() if occurrence.latest else None
            self.aps.add_job(
                jobs.run_job,
                "date",
                run_date=run_date,
                id=spec.id,
                args=[spec.id, spec.kind.value, spec.team_id, spec.overdue, latest],
                replace_existing=True,
            )
        self._tell_skipped([o for o in occurrences if o.fate is Fate.SKIPPED])
        self._fingerprint = fingerprint([o.spec for o in occurrences])
        logger.info("planned %d jobs", len(coming))

    def _tell_skipped(self, skipped: list[Occurrence]) -> None:
        """Log each occurrence the catch-up rule skips, once: the wellbeing officer's `tyhy preview` lists them too."""
        for occurrence in skipped:
            if occurrence.spec.id not in self._told_skipped:
                self._told_skipped.add(occurrence.spec.id)
                logger.warning(
                    "skipped %s (planned for %s): the bot was not running (a reminder goes with its round)",
                    occurrence.spec.id,
                    occurrence.spec.run_at.isoformat(),
                )
