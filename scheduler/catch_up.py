"""What becomes of a planned occurrence whose time has come: the one rule the scheduler and `tyhy preview` share."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.calendar import AnnualCalendar
from bot.follow_up_rhythm import FollowUpRhythm
from bot.organisation import Team, zone_or_default
from bot.plan import DevelopmentPlan
from scheduler.planner import JobKind, JobSpec, plan_jobs

FOLLOW_UP_KINDS = frozenset({JobKind.FOLLOW_UP, JobKind.FOLLOW_UP_ESCALATION, JobKind.FOLLOW_UP_DIGEST})
LOOK_BACK = timedelta(days=7)  # occurrences missed this recently are decided (sent late or shown as skipped)


class Fate(StrEnum):
    """Whether an occurrence goes out, when, or why not."""

    ON_TIME = "on_time"  # still ahead: goes out at its time
    LATE = "late"  # its time passed while the bot was not running, and it still matters: goes out now
    SKIPPED = "skipped"  # its day passed while the bot was not running: it never goes out
    DONE = "done"  # it already went out


@dataclass(frozen=True)
class Occurrence:
    """A planned job and its fate at a given moment."""

    spec: JobSpec
    fate: Fate
    at: datetime  # when it goes out (its time, or now when late); its planned time when skipped or done
    latest: datetime | None  # past this moment it is skipped if it has not run; None: it never is

    @property
    def goes_out(self) -> bool:
        """True when it is still to be sent, now or later."""
        return self.fate in (Fate.ON_TIME, Fate.LATE)


def decide(specs: Iterable[JobSpec], now: datetime, ran: Collection[str]) -> list[Occurrence]:
    """The fate of each occurrence at `now`, given the ids of those that already ran; in time order.

    - Follow-ups are never skipped: the plan's three-month limit does not go away by waiting, so a missed one
      (overdue or not) goes out at once, and so does a missed escalation to the wellbeing officers. An overdue
      card repeats, though: one missed until the next was due is skipped, for the next stands for it (its
      `until`); so is the officers' monthly digest, and an overdue card of a calendar follow-up day stays on
      its day.
    - Every other prompt missed while the bot was not running goes out at once if it is still its own day in the
      team's time zone, and is skipped from the next day on: a survey, an evaluation or a pulse round never arrives
      days late, unannounced. A skipped pulse round opens again on its cadence.
    - A pulse reminder goes out only if its round went out or will: with no round there is nothing to remind of.
    """
    decided: list[Occurrence] = []
    rounds_out: set[str] = set()
    for spec in sorted(specs, key=lambda s: (s.run_at, s.id)):  # a round is decided before its reminder
        occurrence = _decide(spec, now, ran, rounds_out)
        if spec.kind is JobKind.PULSE_ROUND and (occurrence.goes_out or occurrence.fate is Fate.DONE):
            rounds_out.add(_round_of(spec))
        decided.append(occurrence)
    return decided


def plan_and_decide(
    calendar: AnnualCalendar,
    teams: Iterable[Team],
    plans: Mapping[int, DevelopmentPlan],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    which_ran: Callable[[list[str]], Collection[str]],
    timezone: str,
    rhythm: FollowUpRhythm | None = None,
) -> list[Occurrence]:
    """Every occurrence planned in [start, end) and those missed within LOOK_BACK of `now`, decided at `now`.

    `which_ran` answers which of the ids it is given already ran. Only occurrences due by `now` are asked about:
    a job runs at its time or later, never earlier.
    """
    teams = list(teams)

    def planned(first: datetime, last: datetime) -> list[JobSpec]:
        return plan_jobs(calendar, teams, plans, start=first, end=last, timezone=timezone, rhythm=rhythm, now=now)

    specs = {s.id: s for s in planned(start, end)}
    if now - LOOK_BACK < start:
        # The days before the period are planned apart: a period's start decides which follow-up is its overdue one.
        before = planned(now - LOOK_BACK, start)
        specs |= {s.id: s for s in before}
    ran = which_ran([spec.id for spec in specs.values() if spec.run_at <= now])
    return decide(specs.values(), now, ran)


def end_of_day(spec: JobSpec) -> datetime:
    """The moment a missed occurrence stops going out: midnight after its day, in its time zone."""
    zone = zone_or_default(spec.timezone)
    return datetime.combine(spec.local_date + timedelta(days=1), time(), tzinfo=zone)


def _decide(spec: JobSpec, now: datetime, ran: Collection[str], rounds_out: set[str]) -> Occurrence:
    latest = spec.until if spec.kind in FOLLOW_UP_KINDS else end_of_day(spec)
    if spec.id in ran:
        return Occurrence(spec, Fate.DONE, spec.run_at, latest)
    if spec.kind is JobKind.PULSE_REMINDER and _round_of(spec) not in rounds_out:
        return Occurrence(spec, Fate.SKIPPED, spec.run_at, latest)
    if spec.run_at > now:
        return Occurrence(spec, Fate.ON_TIME, spec.run_at, latest)
    if latest is None or now < latest:
        return Occurrence(spec, Fate.LATE, now, latest)
    return Occurrence(spec, Fate.SKIPPED, spec.run_at, latest)


def _round_of(spec: JobSpec) -> str:
    """The round a pulse job belongs to: its id without the kind (pulse_round:2026-11-30 -> 2026-11-30)."""
    return spec.id.split(":", 1)[1]
