"""Start-up keeps the preview's word: what the server sends as it starts is what `tyhy preview` listed just before."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import func, select

from adapters.cli.calendar_commands import preview_lines, preview_period
from adapters.cli.demo import seed_demo
from adapters.cli.preview import Prompt
from adapters.server.runtime import BotRuntime
from scheduler.planner import JobKind
from scheduler.runner import OWN_JOBS
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.outbox_models import OutboxRow
from tests.bot.flows.test_runtime import wait_until

# Sunday 6 December 2026, 10:07 in Helsinki: the demo is seeded, previewed and served in the same minute, as in the
# report. The year's pulse rounds ended with Monday's, whose reminder was on Thursday with the year-end evaluation.
NOW = datetime(2026, 12, 6, 8, 7, tzinfo=UTC)
CARD = {JobKind.PULSE_ROUND: "pulse", JobKind.PULSE_REMINDER: "pulse_reminder", JobKind.FOLLOW_UP: "followup"}


def card_kind(prompt: Prompt) -> str:
    """The card a previewed prompt arrives as."""
    if prompt.escalation:
        return "followup_escalation"
    return CARD.get(prompt.kind, f"step_{prompt.kind.value}")


class JobsInFlight:
    """The scheduler's job runs as APScheduler submits and ends them: start-up is over when none is due or running."""

    def __init__(self, aps: BaseScheduler) -> None:
        self.aps = aps
        self.submitted: Counter[str] = Counter()
        self.finished: Counter[str] = Counter()
        aps.add_listener(lambda e: self._count(self.submitted, e), EVENT_JOB_SUBMITTED)
        aps.add_listener(lambda e: self._count(self.finished, e), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    @staticmethod
    def _count(counter: Counter[str], event: JobEvent) -> None:
        counter[event.job_id] += 1

    def start_up_done(self) -> bool:
        wall = datetime.now(UTC)
        due = [j for j in self.aps.get_jobs() if j.id not in OWN_JOBS and j.next_run_time <= wall]
        return not due and self.finished["housekeeping"] >= 1 and self.submitted == self.finished


async def test_what_goes_out_at_start_is_what_the_preview_listed_for_now(db: Database) -> None:
    seed_demo(db, NOW)
    preview = preview_period(db, NOW, start=None, end=None, team_key=None).timeline
    at_start = [p for p in preview.prompts if p.at == NOW]
    listed = Counter({card: 0 for card in map(card_kind, at_start)})
    for prompt in at_start:
        listed[card_kind(prompt)] += prompt.recipients
    # What the report saw preview promise: ruokapalvelu's overdue follow-up, and the officer told of it.
    assert listed == {"followup": 1, "followup_escalation": 1}
    skipped = Counter(p.kind for p in preview.skipped)
    # Shown as skipped: besides the week's prompts, last week's overdue card (this week's stands for it) and the
    # officers' digest of Tuesday 1.12. (the next month's lists every team still late).
    assert skipped == {
        JobKind.PULSE_ROUND: 3,
        JobKind.PULSE_REMINDER: 3,
        JobKind.EVALUATION: 3,
        JobKind.FOLLOW_UP: 1,
        JobKind.FOLLOW_UP_DIGEST: 1,
    }
    assert "Pulse round" in "\n".join(preview_lines(db, "en", NOW, start=None, end=None, team_key=None)[-10:])

    runtime = BotRuntime(db, clock=lambda: NOW)
    in_flight = JobsInFlight(runtime.scheduler.aps)
    await runtime.start()
    try:
        await wait_until(lambda: runtime.leading and in_flight.start_up_done())
        await wait_until(lambda: runtime.outbox.depth() == 0)
    finally:
        await runtime.stop()

    members = OrganisationRepository(db).members()
    received = [e.message for m in members for e in runtime.inbox.messages(f"dm-{m.id}")]
    with db.transaction() as session:
        queued = session.execute(select(func.count()).select_from(OutboxRow)).scalar_one()
    assert queued == len(received)  # everything queued at start reached someone's chat, nothing went elsewhere
    sent = Counter(m.card.kind if m.card else "text" for m in received)
    assert sent == listed
