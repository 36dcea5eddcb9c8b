"""The demo's clock moves as if the bot ran all along: what falls due goes out, what preview skips never does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.cli.calendar_commands import preview_period
from adapters.cli.demo import seed_demo
from adapters.console.app import chat
from adapters.server.app import server_runtime
from adapters.server.runtime import BotRuntime
from adapters.web.chat.demo_clock import DemoClock, move_clock, next_prompt
from bot.flows.followup_model import REMINDER_KIND, Reminder
from bot.formatting import format_date
from storage.db import Database
from storage.demo_clock_store import DemoClockStore
from storage.job_run_repository import JobRunRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.reminder_repository import ReminderRepository

HELSINKI = ZoneInfo("Europe/Helsinki")
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


async def test_one_demo_time_for_the_web_chat_the_terminal_and_a_restart(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_demo(db, datetime.now(UTC))
    clock = DemoClock()
    runtime = BotRuntime(db, clock=clock, schedule=False)
    await runtime.start()
    try:
        await move_clock(clock, db, runtime.worker.wake, days=40)
    finally:
        await runtime.stop()
    # The server started again goes on where the demo stood, never back to today.
    assert DemoClock(offset=DemoClockStore(db).offset())() - clock() < timedelta(seconds=5)
    # A supervisor in the terminal asks to be reminded tomorrow at 9: tomorrow on the demo's clock, so the web
    # chat's server does not send it at once as long overdue.
    pirjo = next(m for m in OrganisationRepository(db).members() if m.name.startswith("Pirjo"))
    lines = iter(["muistuta huomenna klo 9\n", ":q\n"])
    await chat(db, pirjo, read_line=lambda: next(lines))
    [reminder] = ReminderRepository(db).pending(pirjo.id, REMINDER_KIND)
    tomorrow = (clock() + timedelta(days=1)).astimezone(HELSINKI).date()
    assert reminder.remind_at.astimezone(HELSINKI).date() == tomorrow
    assert format_date(tomorrow, "fi") in capsys.readouterr().out


async def test_next_prompt_stops_at_a_reminder_and_at_a_rounds_close(db: Database) -> None:
    seed_demo(db, SUNDAY)
    clock = DemoClock(wall=lambda: SUNDAY)
    runtime = BotRuntime(db, clock=clock, schedule=False)
    await runtime.start()
    try:
        pirjo = next(m for m in OrganisationRepository(db).members() if m.name.startswith("Pirjo"))
        plan_id = PlanRepository(db).current(pirjo.team_ids[0]).id  # type: ignore[union-attr]
        soon = SUNDAY + timedelta(hours=5)
        ReminderRepository(db).schedule(Reminder(pirjo.id, REMINDER_KIND, plan_id, soon))
        assert await move_clock(clock, db, runtime.worker.wake, days=None) == soon
        # Move on until a pulse round has opened: the next stop is its close, before any later prompt.
        while (opened := PulseRepository(db).open_round_for(pirjo.team_ids, clock())) is None:
            await move_clock(clock, db, runtime.worker.wake, days=None)
        while clock() < opened.closes_at:
            await move_clock(clock, db, runtime.worker.wake, days=None)
        assert clock() == opened.closes_at
    finally:
        await runtime.stop()


async def test_the_demos_outbox_keeps_real_seconds_when_the_clock_jumps(db: Database) -> None:
    runtime = server_runtime(db, demo=True)
    assert isinstance(runtime.clock, DemoClock)
    await runtime.start()
    try:
        await move_clock(runtime.clock, db, runtime.worker.wake, days=7)
        # A send leased a second ago is not a week old: no other claim takes it over and sends it twice.
        assert runtime.clock() - datetime.now(UTC) > timedelta(days=6)
        assert abs(runtime.outbox.clock() - datetime.now(UTC)) < timedelta(seconds=5)
        assert abs(runtime.worker.clock() - datetime.now(UTC)) < timedelta(seconds=5)
    finally:
        await runtime.stop()
