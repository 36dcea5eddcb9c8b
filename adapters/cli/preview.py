"""The preview timeline: every prompt the bot would send in a period, with how many get it; sends nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.calendar import AnnualCalendar, StepKind
from bot.flows.calendar_prompts import recipients
from bot.organisation import Member, Organisation, Team
from bot.plan import DevelopmentPlan
from scheduler.planner import WHOLE_ORGANISATION, JobKind, JobSpec, plan_jobs


@dataclass(frozen=True)
class Prompt:
    """One prompt to one team: when it lands on the team's clock, what it is, and how many people get it."""

    at: datetime  # aware, in the team's time zone
    team: Team
    kind: JobKind
    recipients: int
    overdue: bool = False


@dataclass(frozen=True)
class EarlierFollowUp:
    """A team whose next follow-up falls due before the period: its prompt goes out before the period starts."""

    team: Team
    due: date


@dataclass(frozen=True)
class Timeline:
    """The prompts of a period in time order, and the follow-ups that fall due before it."""

    prompts: tuple[Prompt, ...]
    earlier_follow_ups: tuple[EarlierFollowUp, ...] = ()

    @property
    def messages(self) -> int:
        """How many messages the prompts add up to (one per recipient)."""
        return sum(p.recipients for p in self.prompts)


def build_timeline(
    organisation: Organisation,
    members: Sequence[Member],
    calendar: AnnualCalendar,
    plans: Mapping[int, DevelopmentPlan],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    team: Team | None = None,
) -> Timeline:
    """Every prompt in [start, end), only `team`'s when given, counted the way the job handlers choose recipients."""
    jobs = plan_jobs(calendar, organisation.teams, plans, start=start, end=end, timezone=organisation.timezone)
    teams = {t.id: t for t in organisation.teams}
    pulse_people = _pulse_people(organisation, members)
    prompts: list[Prompt] = []
    earlier: list[EarlierFollowUp] = []
    for job in jobs:
        if job.team_id == WHOLE_ORGANISATION:
            # One organisation-wide round, shown once for each team it asks, on that team's clock.
            prompts += [
                Prompt(job.run_at.astimezone(ZoneInfo(t.timezone)), t, job.kind, count)
                for t in organisation.teams
                if (count := pulse_people.get(t.id, 0)) > 0
            ]
            continue
        owner = teams[job.team_id]
        if job.overdue:
            prompt = _overdue(job, owner, members, plans, start, end, now)
            if isinstance(prompt, Prompt):
                prompts.append(prompt)
            else:
                earlier.append(prompt)
            continue
        count = len(recipients(StepKind(job.kind.value), owner, members))
        prompts.append(Prompt(job.run_at.astimezone(ZoneInfo(owner.timezone)), owner, job.kind, count))
    if team is not None:
        prompts = [p for p in prompts if p.team.id == team.id]
        earlier = [e for e in earlier if e.team.id == team.id]
    prompts.sort(key=lambda p: (p.at, _order(organisation, p.team), p.kind.value))
    return Timeline(tuple(prompts), tuple(earlier))


def _overdue(
    job: JobSpec,
    team: Team,
    members: Sequence[Member],
    plans: Mapping[int, DevelopmentPlan],
    start: datetime,
    end: datetime,
    now: datetime,
) -> Prompt | EarlierFollowUp:
    """A follow-up due before `start`: the running bot sends it as soon as it plans, that is now.

    So it belongs to the period only when now does; for a period still ahead, it is noted as coming earlier.
    """
    if start <= now < end:
        count = len(recipients(StepKind.FOLLOW_UP, team, members))
        return Prompt(now.astimezone(ZoneInfo(team.timezone)), team, job.kind, count, overdue=True)
    due = plans[team.id].next_follow_up_due
    assert due is not None  # the planner makes a follow-up job only for an agreed plan
    return EarlierFollowUp(team, due)


def _pulse_people(organisation: Organisation, members: Sequence[Member]) -> dict[int, int]:
    """How many each team asks in a pulse round: someone in two teams answers for the first, as the round does."""
    counts: dict[int, int] = {}
    for member in members:
        first = next((t for t in organisation.teams if t.id in member.team_ids), None)
        if first is not None:
            counts[first.id] = counts.get(first.id, 0) + 1
    return counts


def _order(organisation: Organisation, team: Team) -> int:
    return next(i for i, t in enumerate(organisation.teams) if t.id == team.id)
