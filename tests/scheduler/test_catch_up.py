"""Catch-up: a missed prompt goes out late on its own day only, a follow-up always, a reminder with its round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.messages import Reply
from scheduler import jobs
from scheduler.catch_up import Fate, decide, end_of_day
from scheduler.jobs import JobRuntime
from scheduler.planner import JobKind, JobSpec

HELSINKI = "Europe/Helsinki"
THURSDAY_NINE = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 9.00 in Helsinki


def spec(job_id: str, kind: JobKind, at: datetime = THURSDAY_NINE, overdue: bool = False) -> JobSpec:
    return JobSpec(job_id, kind, 1, at, at.astimezone(ZoneInfo(HELSINKI)).date(), HELSINKI, overdue)


EVALUATION = spec("evaluation:1:2026-12-03", JobKind.EVALUATION)


def fates(specs: list[JobSpec], now: datetime, ran: set[str] | None = None) -> dict[str, Fate]:
    return {o.spec.id: o.fate for o in decide(specs, now, ran or set())}


def test_a_prompt_still_ahead_goes_out_at_its_time() -> None:
    (occurrence,) = decide([EVALUATION], THURSDAY_NINE - timedelta(minutes=1), set())
    assert (occurrence.fate, occurrence.at) == (Fate.ON_TIME, THURSDAY_NINE)


def test_a_missed_prompt_goes_out_now_on_its_own_day_and_is_skipped_from_the_next() -> None:
    late_evening = datetime(2026, 12, 3, 21, 59, tzinfo=UTC)  # 23.59 in Helsinki
    (late,) = decide([EVALUATION], late_evening, set())
    assert (late.fate, late.at, late.latest) == (Fate.LATE, late_evening, end_of_day(EVALUATION))
    assert end_of_day(EVALUATION) == datetime(2026, 12, 3, 22, 0, tzinfo=UTC)  # midnight in Helsinki
    (skipped,) = decide([EVALUATION], end_of_day(EVALUATION), set())
    assert (skipped.fate, skipped.at) == (Fate.SKIPPED, THURSDAY_NINE)


def test_a_follow_up_is_never_skipped() -> None:
    weeks_later = THURSDAY_NINE + timedelta(weeks=3)
    follow_ups = [
        spec("follow_up:1:2026-12-20", JobKind.FOLLOW_UP),
        spec("follow_up:1:2026-12-02:overdue", JobKind.FOLLOW_UP, overdue=True),
    ]
    decided = decide(follow_ups, weeks_later, set())
    assert [(o.fate, o.at, o.latest) for o in decided] == [(Fate.LATE, weeks_later, None)] * 2


def test_what_already_ran_is_done_whatever_the_time() -> None:
    assert fates([EVALUATION], THURSDAY_NINE + timedelta(days=5), {EVALUATION.id}) == {EVALUATION.id: Fate.DONE}


def test_a_reminder_goes_out_only_with_its_round() -> None:
    monday = THURSDAY_NINE - timedelta(days=3)
    pulse = [
        spec("pulse_round:2026-11-30", JobKind.PULSE_ROUND, at=monday),
        spec("pulse_reminder:2026-11-30", JobKind.PULSE_REMINDER),
    ]
    # Started on Tuesday: Monday's round is skipped, so Thursday's reminder has nothing to remind of.
    tuesday = monday + timedelta(days=1)
    assert fates(pulse, tuesday) == {pulse[0].id: Fate.SKIPPED, pulse[1].id: Fate.SKIPPED}
    # The round ran on Monday: the reminder follows on Thursday, or at once on Thursday if that was missed.
    assert fates(pulse, tuesday, {pulse[0].id}) == {pulse[0].id: Fate.DONE, pulse[1].id: Fate.ON_TIME}
    assert fates(pulse, THURSDAY_NINE + timedelta(hours=2), {pulse[0].id})[pulse[1].id] is Fate.LATE
    # Started on Monday before nine: both on time.
    assert set(fates(pulse, monday - timedelta(hours=1)).values()) == {Fate.ON_TIME}


class Runs:
    """Run-once claims in memory."""

    def __init__(self) -> None:
        self.claimed: list[str] = []

    def claim(self, job_id: str, now: datetime) -> bool:
        if job_id in self.claimed:
            return False
        self.claimed.append(job_id)
        return True


def test_a_job_that_starts_only_after_its_day_is_skipped_and_not_marked_as_run() -> None:
    """Planned in time, but the machine slept through the day: it must not arrive the next morning."""
    handled: list[JobKind] = []
    runs = Runs()
    now = [end_of_day(EVALUATION)]

    def handle(kind: JobKind, team_id: int, overdue: bool, at: datetime) -> Reply:
        handled.append(kind)
        return Reply()

    jobs.install(JobRuntime(handle, lambda at: Reply(), runs, lambda messages: len(list(messages)), lambda: now[0]))
    try:
        latest = end_of_day(EVALUATION).isoformat()
        assert jobs.execute(EVALUATION.id, EVALUATION.kind.value, 1, False, latest) == 0
        assert (handled, runs.claimed) == ([], [])
        now[0] -= timedelta(seconds=1)  # a second before midnight it still goes, once
        jobs.execute(EVALUATION.id, EVALUATION.kind.value, 1, False, latest)
        jobs.execute(EVALUATION.id, EVALUATION.kind.value, 1, False, latest)
        assert (handled, runs.claimed) == ([JobKind.EVALUATION], [EVALUATION.id])
    finally:
        jobs.install(None)


def test_a_repeated_overdue_card_missed_until_the_next_is_skipped_for_the_next() -> None:
    """Down for three weeks: the supervisor gets this week's card once, not three cards at once."""
    weeks = [THURSDAY_NINE + timedelta(weeks=n) for n in range(4)]
    cards = [
        JobSpec(f"follow_up:1:2026-12-02:overdue:{n}", JobKind.FOLLOW_UP, 1, at, at.date(), HELSINKI, True, until)
        for n, (at, until) in enumerate(pairwise(weeks))
    ]
    back = weeks[2] + timedelta(hours=1)
    decided = decide(cards, back, set())
    assert [(o.fate, o.at) for o in decided] == [
        (Fate.SKIPPED, weeks[0]),
        (Fate.SKIPPED, weeks[1]),
        (Fate.LATE, back),  # this week's, at once: it stands until next week's
    ]
    assert decided[2].latest == weeks[3]
    # An escalation has no `until`: however late, it goes out.
    escalation = spec("follow_up_escalation:1:2026-12-02", JobKind.FOLLOW_UP_ESCALATION, overdue=True)
    assert [o.fate for o in decide([escalation], THURSDAY_NINE + timedelta(days=90), set())] == [Fate.LATE]
