"""A simulated clock drives a whole year of the demo organisation: every occurrence fires once, on a working day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from adapters.server.jobs_wiring import job_runtime
from bot.messages import OutboundMessage
from bot.workdays import WorkingDays
from scheduler import jobs
from scheduler.runner import load_specs
from storage.pulse_repository import PulseRepository
from tests.bot.flows.conftest import Clock, Demo

HELSINKI = ZoneInfo("Europe/Helsinki")


class Outbox:
    """Collects what the jobs queue, refusing a key seen before, as the real outbox's unique key does."""

    def __init__(self) -> None:
        self.sent: dict[str, OutboundMessage] = {}
        self.repeated: list[str] = []

    def __call__(self, messages: Iterable[tuple[str, OutboundMessage]]) -> int:
        new = 0
        for key, message in messages:
            if key in self.sent:
                self.repeated.append(key)
                continue
            self.sent[key] = message
            new += 1
        return new


def test_a_whole_year_fires_every_occurrence_once_on_working_days(demo: Demo, clock: Clock) -> None:
    clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    outbox = Outbox()
    jobs.install(job_runtime(demo.db, clock, outbox))
    fired: Counter[str] = Counter()
    planned: dict[str, datetime] = {}
    try:
        day = datetime(2027, 1, 1, tzinfo=UTC)
        while day < datetime(2028, 1, 1, tzinfo=UTC):
            clock.now = day
            specs = load_specs(demo.db, day)  # planned afresh each day, as the runner's daily re-plan does
            for spec in specs:
                planned.setdefault(spec.id, spec.run_at)
            for spec in (s for s in specs if s.run_at < day + timedelta(days=1)):
                clock.now = max(spec.run_at, day)  # the job fires at its time; missed ones at once
                if jobs.execute(spec.id, spec.kind.value, spec.team_id, spec.overdue):
                    fired[spec.id] += 1
                    assert WorkingDays().is_working_day(spec.local_date), spec
                    assert spec.overdue or clock.now == spec.run_at, spec
                    assert spec.overdue or clock.now.astimezone(HELSINKI).date() == spec.local_date, spec
            clock.now = day + timedelta(hours=12)
            jobs.execute_housekeeping()
            day += timedelta(days=1)
    finally:
        jobs.install(None)

    in_year = {
        job_id
        for job_id, at in planned.items()
        if datetime(2027, 1, 1, tzinfo=UTC) <= at < datetime(2028, 1, 1, tzinfo=UTC)
    }
    assert in_year and in_year <= set(fired), sorted(in_year - set(fired))
    assert max(fired.values()) == 1
    assert outbox.repeated == []
    kinds = Counter(job_id.split(":")[0] for job_id in fired)
    assert kinds["survey"] == 3 and kinds["evaluation"] == 3 and kinds["pulse_round"] >= 8
    rounds = [r for r in PulseRepository(demo.db).rounds(demo.org.id) if r.opens_at.year == 2027]
    assert len(rounds) == kinds["pulse_round"]
    # Nobody recorded a follow-up all year: each supervisor got the overdue card every week or so (a calendar
    # follow-up day in place of the nearest weekly one), the officer heard of each missed due date once, and
    # then once a month in one digest.
    for team in ("kotihoito", "ruokapalvelu"):
        prefix = f"follow_up:{demo.team(team).id}:"
        days = sorted(planned[j].astimezone(HELSINKI).date() for j in fired if j.startswith(prefix))
        gaps = [(later - earlier).days for earlier, later in pairwise(days)]
        assert len(days) >= 50 and max(gaps) <= 10 and min(gaps) >= 4, (team, days)
    assert kinds["follow_up_escalation"] == 2  # kotihoito's 21.12.2026; ruokapalvelu's 20.10.2026, late at once
    digests = [m for m in outbox.sent.values() if m.card is not None and m.card.kind == "followup_digest"]
    assert kinds["follow_up_digest"] == len(digests) == 12
