"""The follow-up's scheduled use cases: the card when due and weekly while overdue, reminders, and escalations."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.flows.followup_card import escalation_card, follow_up_card
from bot.flows.followup_digest import OverdueTeam, digest_card
from bot.flows.followup_model import (
    REMINDER_KIND,
    EscalationStore,
    FollowUpPlans,
    Reminder,
    ReminderStore,
    find_team,
)
from bot.flows.followup_view import FollowUpCards, FollowUpView
from bot.follow_up_rhythm import FollowUpRhythm
from bot.messages import OutboundMessage, Reply
from bot.organisation import Member, Organisation, Role, Team, team_time
from bot.person import Directory, led_teams, person_for
from bot.plan import DevelopmentPlan

logger = logging.getLogger(__name__)


class FollowUps:
    """What the scheduler asks of the follow-up; each use case returns the messages and leaves sending to the outbox."""

    def __init__(
        self,
        directory: Directory,
        plans: FollowUpPlans,
        cards: FollowUpCards,
        reminders: ReminderStore,
        escalations: EscalationStore,
        rhythm: FollowUpRhythm | None = None,
    ) -> None:
        self.directory = directory
        self.plans = plans
        self.cards = cards
        self.reminders = reminders
        self.escalations = escalations
        self.rhythm = rhythm or FollowUpRhythm()

    def send_follow_up(self, team_id: int, now: datetime) -> Reply:
        """The follow-up card to the team's supervisor(s), marked overdue past the 3-month limit.

        A team without a supervisor has its card go to the wellbeing officers, so the follow-up is never lost.
        Nothing is sent for a team without an agreed plan, nor to someone who asked to be reminded later: their
        reminder brings the card.
        """
        organisation = self.directory.get()
        team = find_team(organisation.teams, team_id) if organisation is not None else None
        plan = self.plans.current(team_id) if team is not None else None
        if organisation is None or team is None or plan is None or plan.agreed_on is None or plan.id is None:
            return Reply()
        view = self.cards.view(organisation, team, plan, now)
        snoozed = {r.member_id for r in self.reminders.pending_about(REMINDER_KIND, plan.id)}
        recipients = [m for m in self._supervisors(team) or self._officers() if m.id not in snoozed]
        return Reply(tuple(_card_to(member, organisation, view) for member in recipients))

    def send_due_reminders(self, now: datetime) -> Reply:
        """The follow-up card again for every "remind me later" whose time has come; each reminder goes out once.

        The card is built before the reminder is claimed, so a failure leaves the reminder for the next run;
        the claim is a conditional update, so two schedulers racing send it once.
        """
        organisation = self.directory.get()
        if organisation is None:
            return Reply()
        messages: list[OutboundMessage] = []
        for reminder in self.reminders.due(REMINDER_KIND, now):
            message = self._reminder_message(organisation, reminder, now)
            assert reminder.id is not None  # reminders come from storage
            if self.reminders.claim(reminder.id) and message is not None:
                messages.append(message)
        return Reply(tuple(messages))

    def escalate(self, team_id: int, now: datetime) -> Reply:
        """Tell the wellbeing officers that the team's follow-up is past its limit: once per missed due date.

        With no wellbeing officer in the organisation nothing is claimed; the monthly digest tells the first one.
        """
        organisation = self.directory.get()
        team = find_team(organisation.teams, team_id) if organisation is not None else None
        plan = self.plans.current(team_id) if team is not None else None
        if organisation is None or team is None or plan is None or plan.id is None:
            return Reply()
        overdue = self._overdue(team, plan, now)
        officers = self._officers() if overdue is not None else []
        if overdue is None or not officers or not self.escalations.claim(plan.id, overdue.due):
            return Reply()
        messages = []
        for officer in officers:
            person = person_for(officer, organisation)
            card = escalation_card(team, overdue.due, overdue.days, list(overdue.supervisors), person.language)
            messages.append(OutboundMessage(to=person.address, card=card, member_id=officer.id))
        return Reply(tuple(messages))

    def send_digest(self, now: datetime) -> Reply:
        """One card to each wellbeing officer listing every team whose follow-up is still late past its escalation.

        A team escalated today waits for the next digest: the officer just heard of it.
        """
        organisation = self.directory.get()
        if organisation is None:
            return Reply()
        overdue = []
        for plan in self.plans.all_current():
            team = find_team(organisation.teams, plan.team_id)
            late = self._overdue(team, plan, now) if team is not None else None
            if late is not None and self.rhythm.escalation_day(late.due) < team_time(now, late.team).date():
                overdue.append(late)
        officers = self._officers() if overdue else []
        messages = []
        for officer in officers:
            person = person_for(officer, organisation)
            card = digest_card(overdue, person.language)
            messages.append(OutboundMessage(to=person.address, card=card, member_id=officer.id))
        return Reply(tuple(messages))

    def _overdue(self, team: Team, plan: DevelopmentPlan, now: datetime) -> OverdueTeam | None:
        """The team's late follow-up as the officers see it, or None when it is not late."""
        due = plan.next_follow_up_due
        today = team_time(now, team).date()
        if due is None or not plan.is_follow_up_overdue(today):
            return None
        supervisors = tuple(m.name for m in self._supervisors(team))
        return OverdueTeam(team, due, (today - due).days, supervisors)

    def _reminder_message(
        self, organisation: Organisation, reminder: Reminder, now: datetime
    ) -> OutboundMessage | None:
        """The card the reminder brings back, or None when its plan, team or person is gone or no longer theirs."""
        member = self.directory.member(reminder.member_id)
        plan = self.plans.get(reminder.ref_id) if reminder.ref_id is not None else None
        if member is None or plan is None or plan.agreed_on is None:
            return None
        person = person_for(member, organisation)
        team = find_team(led_teams(person), plan.team_id)
        current = self.plans.current(plan.team_id)
        if team is None or current is None or current.id != plan.id:
            logger.info("follow-up reminder %s is no longer relevant", reminder.id)
            return None
        card = follow_up_card(self.cards.view(organisation, team, current, now), person.language, reminded=True)
        return OutboundMessage(to=person.address, card=card, member_id=member.id)

    def _supervisors(self, team: Team) -> list[Member]:
        return self.directory.members(team.id, role=Role.SUPERVISOR)

    def _officers(self) -> list[Member]:
        return self.directory.members(role=Role.WELLBEING_OFFICER)


def _card_to(member: Member, organisation: Organisation, view: FollowUpView) -> OutboundMessage:
    person = person_for(member, organisation)
    card = follow_up_card(view, person.language)
    return OutboundMessage(to=person.address, card=card, member_id=member.id)
