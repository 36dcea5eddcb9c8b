"""The preview timeline: every prompt the bot would send in a period, with how many get it; sends nothing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.calendar import AnnualCalendar, StepKind
from bot.flows.calendar_prompts import recipients
from bot.organisation import Member, Organisation, Role, Team
from bot.plan import DevelopmentPlan
from scheduler.catch_up import Fate, Occurrence, plan_and_decide
from scheduler.planner import WHOLE_ORGANISATION, JobKind


@dataclass(frozen=True)
class Prompt:
    """One prompt to one team: when it lands on the team's clock, what it is, and how many people get it."""

    at: datetime  # aware, in the team's time zone: when it goes out (now, when late), or was planned to
    team: Team
    kind: JobKind
    recipients: int
    overdue: bool = False
    fate: Fate = Fate.ON_TIME
    escalation: bool = False  # the wellbeing officers told of an overdue follow-up, not a prompt to the team


@dataclass(frozen=True)
class EarlierFollowUp:
    """A team whose next follow-up falls due before the period: its prompt goes out before the period starts."""

    team: Team
    due: date


@dataclass(frozen=True)
class Timeline:
    """The prompts of a period in time order, those the catch-up rule skips, and follow-ups due before it."""

    prompts: tuple[Prompt, ...]
    earlier_follow_ups: tuple[EarlierFollowUp, ...] = ()
    skipped: tuple[Prompt, ...] = ()

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
    which_ran: Callable[[list[str]], Collection[str]],
    escalated: Callable[[int], Collection[date]],
    team: Team | None = None,
) -> Timeline:
    """Every prompt in [start, end), only `team`'s when given, counted the way the job handlers choose recipients.

    Each occurrence's fate is the scheduler's own (scheduler/catch_up.py): a late one is shown going out now, and
    one the rule skips is listed apart. With now in the period, the skips of the days just before it show too,
    and so do the wellbeing officers' notes of overdue follow-ups (`escalated(plan id)` names those already sent).
    """
    occurrences = plan_and_decide(
        calendar,
        organisation.teams,
        plans,
        start=start,
        end=end,
        now=now,
        which_ran=which_ran,
        timezone=organisation.timezone,
    )
    teams = {t.id: t for t in organisation.teams}
    pulse_people = _pulse_people(organisation, members)
    prompts: list[Prompt] = []
    skipped: list[Prompt] = []
    earlier: list[EarlierFollowUp] = []
    for occurrence in occurrences:
        job = occurrence.spec
        if occurrence.fate is Fate.SKIPPED:
            if job.run_at < end and (start <= job.run_at or start <= now < end):
                skipped += _prompts(occurrence, organisation, teams, members, pulse_people)
            continue
        if job.overdue and occurrence.at < start:
            due = plans[job.team_id].next_follow_up_due
            assert due is not None  # the planner makes a follow-up job only for an agreed plan
            earlier.append(EarlierFollowUp(teams[job.team_id], due))
        elif start <= occurrence.at < end:
            prompts += _prompts(occurrence, organisation, teams, members, pulse_people)
    if start <= now < end:
        prompts += _escalations(organisation, members, plans, now, escalated)
    if team is not None:
        prompts = [p for p in prompts if p.team.id == team.id]
        skipped = [p for p in skipped if p.team.id == team.id]
        earlier = [e for e in earlier if e.team.id == team.id]
    order = {t.id: i for i, t in enumerate(organisation.teams)}
    prompts.sort(key=lambda p: (p.at, order[p.team.id], p.kind.value, p.escalation))
    skipped.sort(key=lambda p: (p.at, order[p.team.id], p.kind.value))
    return Timeline(tuple(prompts), tuple(earlier), tuple(skipped))


def _prompts(
    occurrence: Occurrence,
    organisation: Organisation,
    teams: Mapping[int, Team],
    members: Sequence[Member],
    pulse_people: Mapping[int, int],
) -> list[Prompt]:
    """The occurrence as the prompts people get: an organisation-wide round once for each team it asks."""
    job = occurrence.spec
    if job.team_id == WHOLE_ORGANISATION:
        return [
            Prompt(occurrence.at.astimezone(ZoneInfo(t.timezone)), t, job.kind, count, fate=occurrence.fate)
            for t in organisation.teams
            if (count := pulse_people.get(t.id, 0)) > 0
        ]
    owner = teams[job.team_id]
    count = len(recipients(StepKind(job.kind.value), owner, members))
    at = occurrence.at.astimezone(ZoneInfo(owner.timezone))
    return [Prompt(at, owner, job.kind, count, job.overdue, occurrence.fate)]


def _escalations(
    organisation: Organisation,
    members: Sequence[Member],
    plans: Mapping[int, DevelopmentPlan],
    now: datetime,
    escalated: Callable[[int], Collection[date]],
) -> list[Prompt]:
    """What housekeeping sends now: each follow-up past its limit, told once to every wellbeing officer."""
    officers = [m for m in members if m.role is Role.WELLBEING_OFFICER]
    teams = {t.id: t for t in organisation.teams}
    prompts = []
    for plan in plans.values() if officers else ():
        team, due = teams.get(plan.team_id), plan.next_follow_up_due
        if team is None or plan.id is None or due is None:
            continue
        at = now.astimezone(ZoneInfo(team.timezone))
        if plan.is_follow_up_overdue(at.date()) and due not in escalated(plan.id):
            prompts.append(Prompt(at, team, JobKind.FOLLOW_UP, len(officers), True, Fate.LATE, escalation=True))
    return prompts


def _pulse_people(organisation: Organisation, members: Sequence[Member]) -> dict[int, int]:
    """How many each team asks in a pulse round: someone in two teams answers for the first, as the round does."""
    counts: dict[int, int] = {}
    for member in members:
        first = next((t for t in organisation.teams if t.id in member.team_ids), None)
        if first is not None:
            counts[first.id] = counts.get(first.id, 0) + 1
    return counts
