"""The demo's clock moves as if the bot ran all along: what falls due goes out, what preview skips never does."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.cli.calendar_commands import preview_period
from adapters.cli.demo import seed_demo
from adapters.server.runtime import BotRuntime
from adapters.web.chat.demo_clock import DemoClock, move_clock, next_prompt
from storage.db import Database
from storage.job_run_repository import JobRunRepository
from storage.org_repository import OrganisationRepository

SUNDAY = datetime(2026, 12, 6, 8, 7, tzinfo=UTC)  # the report's day: Monday's round and Thursday's evaluation missed


async def test_moves_send_what_falls_due_and_never_what_was_skipped(db: Database) -> None:
    seed_demo(db, SUNDAY)
    timeline = preview_period(db, SUNDAY, start=None, end=None, team_key=None).timeline
    skipped = {(p.kind, p.at) for p in timeline.skipped}
    clock = DemoClock(wall=lambda: SUNDAY)
    runtime = BotRuntime(db, clock=clock, schedule=False)
    await runtime.start()
    try:
        await move_clock(clock, db, runtime.worker.wake, days=1.0)
        # A day on, the bot has sent what was late when the demo began (this week's overdue card and the officer's
        # note, due two weeks after the limit), nothing skipped.
        organisation = OrganisationRepository(db).get()
        assert organisation is not None
        ruokapalvelu = next(team.id for team in organisation.teams if team.key == "ruokapalvelu")
        assert sorted(JobRunRepository(db).ran()) == [
            f"follow_up:{ruokapalvelu}:2026-11-02:overdue:2026-12-01",
            f"follow_up_escalation:{ruokapalvelu}:2026-11-02",
        ]
        upcoming = next_prompt(db, clock())
        assert upcoming is not None and (upcoming.kind, upcoming.run_at) not in skipped
        assert await move_clock(clock, db, runtime.worker.wake, days=None) == upcoming.run_at
        assert upcoming.id in JobRunRepository(db).ran()  # "next prompt" brought it
    finally:
        await runtime.stop()
