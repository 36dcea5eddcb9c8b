"""The preview timeline: every prompt the bot would send in a period, with how many get it; sends nothing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.action_due import due_soon
from bot.calendar import AnnualCalendar, StepKind
from bot.flows.calendar_prompts import recipients
from bot.flows.followup_model import Reminder
from bot.follow_up_rhythm import FollowUpRhythm
from bot.organisation import Member, Organisation, Role, Team, zone_or_default
from bot.plan import DevelopmentPlan
from bot.workdays import WorkingDays
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
    digest: bool = False  # the officers' monthly list of every team still overdue (`team` is the organisation)
    reminder: bool = False  # the follow-up card a supervisor asked to have again ("remind me later")
    held: int = 0  # recipients whose own "remind me later" is still ahead: the card waits for it


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
    reminders: Sequence[Reminder] = (),
    rhythm: FollowUpRhythm | None = None,
    team: Team | None = None,
) -> Timeline:
    """Every prompt in [start, end), only `team`'s when given, counted the way the job handlers choose recipients.

    Each occurrence's fate is the scheduler's own (scheduler/catch_up.py): a late one is shown going out now, and
    one the rule skips is listed apart. With now in the period, the skips of the days just before it show too.
    An overdue follow-up's rhythm shows whole: its repeated cards, the officers' escalation (`escalated(plan id)`
    names the due dates already told) and monthly digest, and the pending "remind me later" `reminders`, which
    hold back the cards of whoever set them.
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
        rhythm=rhythm,
    )
    teams = {t.id: t for t in organisation.teams}
    people = _People(organisation, members, plans, reminders)
    prompts: list[Prompt] = []
    skipped: list[Prompt] = []
    earlier: list[EarlierFollowUp] = []  # plans whose follow-up was due before the period
    for occurrence in occurrences:
        job = occurrence.spec
        if occurrence.fate is Fate.SKIPPED:
            if job.run_at < end and (start <= job.run_at or start <= now < end):
                skipped += _prompts(occurrence, organisation, teams, people)
            continue
        if job.kind is JobKind.FOLLOW_UP_ESCALATION and occurrence.goes_out:
            due = plans[job.team_id].next_follow_up_due
            if due is not None and due in escalated(plans[job.team_id].id or 0):
                occurrence = replace(occurrence, fate=Fate.DONE, at=job.run_at)  # told before this rule: never again
        if start <= occurrence.at < end:
            prompts += _prompts(occurrence, organisation, teams, people)
    prompts += _reminders(reminders, plans, teams, start, end, now)
    for owner in organisation.teams:
        due = plans[owner.id].next_follow_up_due if owner.id in plans else None
        if due is not None and due < start.astimezone(zone_or_default(owner.timezone)).date():
            earlier.append(EarlierFollowUp(owner, due))
    if team is not None:
        prompts = [p for p in prompts if p.team.id == team.id]
        skipped = [p for p in skipped if p.team.id == team.id]
        earlier = [e for e in earlier if e.team.id == team.id]
    order = {t.id: i for i, t in enumerate(organisation.teams)}
    prompts.sort(key=lambda p: (p.at, order.get(p.team.id, -1), p.kind.value, p.escalation, p.reminder))
    skipped.sort(key=lambda p: (p.at, order.get(p.team.id, -1), p.kind.value))
    return Timeline(tuple(prompts), tuple(earlier), tuple(skipped))


class _People:
    """Who gets what, counted the way the job handlers choose: pulse answerers, officers, and who snoozed."""

    def __init__(
        self,
        organisation: Organisation,
        members: Sequence[Member],
        plans: Mapping[int, DevelopmentPlan],
        reminders: Sequence[Reminder],
    ) -> None:
        self.members = members
        self.plans = plans
        self.workdays = WorkingDays()
        self.pulse = _pulse_people(organisation, members)
        self.officers = sum(m.role is Role.WELLBEING_OFFICER for m in members)
        plan_teams = {plan.id: team_id for team_id, plan in plans.items() if plan.id is not None}
        self.reminders = [(plan_teams[r.ref_id], r) for r in reminders if r.ref_id in plan_teams]

    def snoozed(self, team_id: int, at: datetime) -> set[int]:
        """Who of the team asked to be reminded of its follow-up at or after `at`: their card waits for it."""
        return {r.member_id for owner, r in self.reminders if owner == team_id and r.remind_at >= at}


def _prompts(
    occurrence: Occurrence, organisation: Organisation, teams: Mapping[int, Team], people: _People
) -> list[Prompt]:
    """The occurrence as the prompts people get: an organisation-wide round once for each team it asks."""
    job = occurrence.spec
    at = occurrence.at
    if job.kind is JobKind.FOLLOW_UP_DIGEST:
        whole = Team(WHOLE_ORGANISATION, "", organisation.name, timezone=organisation.timezone)
        local = at.astimezone(zone_or_default(whole.timezone))
        return [Prompt(local, whole, job.kind, people.officers, True, occurrence.fate, digest=True)]
    if job.team_id == WHOLE_ORGANISATION:
        return [
            Prompt(at.astimezone(zone_or_default(t.timezone)), t, job.kind, count, fate=occurrence.fate)
            for t in organisation.teams
            if (count := people.pulse.get(t.id, 0)) > 0
        ]
    owner = teams[job.team_id]
    local = at.astimezone(zone_or_default(owner.timezone))
    if job.kind is JobKind.FOLLOW_UP_ESCALATION:
        return [Prompt(local, owner, job.kind, people.officers, True, occurrence.fate, escalation=True)]
    if job.kind is JobKind.ACTION_DUE:  # one reminder per action, to its owner
        plan = people.plans.get(job.team_id)
        count = len(due_soon(plan, job.local_date, people.workdays)) if plan is not None else 0
        return [Prompt(local, owner, job.kind, count, fate=occurrence.fate)]
    # The workshop's agenda goes to those its step prompts: the team's supervisors.
    step = StepKind.WORKSHOP if job.kind is JobKind.WORKSHOP_AGENDA else StepKind(job.kind.value)
    chosen = recipients(step, owner, people.members)
    held = people.snoozed(owner.id, at) if job.kind is JobKind.FOLLOW_UP else set()
    count = sum(m.id not in held for m in chosen)
    return [Prompt(local, owner, job.kind, count, job.overdue, occurrence.fate, held=len(chosen) - count)]


def _reminders(
    reminders: Sequence[Reminder],
    plans: Mapping[int, DevelopmentPlan],
    teams: Mapping[int, Team],
    start: datetime,
    end: datetime,
    now: datetime,
) -> list[Prompt]:
    """The follow-up cards people asked to have again, at their time (one already due goes out now)."""
    current = {plan.id: team_id for team_id, plan in plans.items() if plan.id is not None}
    prompts = []
    for reminder in reminders:
        team = teams.get(current.get(reminder.ref_id or 0, -1))
        at = max(reminder.remind_at, now)
        if team is not None and start <= at < end:
            fate = Fate.LATE if reminder.remind_at < now else Fate.ON_TIME
            local = at.astimezone(zone_or_default(team.timezone))
            prompts.append(Prompt(local, team, JobKind.FOLLOW_UP, 1, fate=fate, reminder=True))
    return prompts


def _pulse_people(organisation: Organisation, members: Sequence[Member]) -> dict[int, int]:
    """How many each team asks in a pulse round: someone in two teams answers for the first, as the round does."""
    counts: dict[int, int] = {}
    for member in members:
        first = next((t for t in organisation.teams if t.id in member.team_ids), None)
        if first is not None:
            counts[first.id] = counts.get(first.id, 0) + 1
    return counts
