"""The workshop's scheduled messages: the supervisor's agenda a week ahead, the team channel's reminder on the day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.calendar import AnnualCalendar, StepKind
from bot.flows.calendar_prompts import recipients
from bot.flows.discuss import channel_language
from bot.flows.workshop_agenda import PlanReader, WorkshopAgendas
from bot.flows.workshop_cards import agenda_card, day_card
from bot.messages import OutboundMessage, Reply
from bot.organisation import Member, Organisation, Team, team_time
from bot.person import person_for, team_channel
from bot.workshop import AGENDA_LEAD_DAYS


def next_workshop_day(calendar: AnnualCalendar, team: Team, today: date) -> date:
    """The team's next workshop on the calendar from `today` on; without one, the day a week on (the agenda's lead)."""
    days = [
        day
        for year in (today.year - 1, today.year, today.year + 1)
        for day, step in calendar.occurrences(year)
        if step.kind is StepKind.WORKSHOP and step.applies_to(team.key) and day >= today
    ]
    return min(days, default=today + timedelta(days=AGENDA_LEAD_DAYS))


class WorkshopJobs:
    """What the scheduler sends for a team's workshop; the agenda is the same card the supervisor can act on."""

    def __init__(self, agendas: WorkshopAgendas, plans: PlanReader) -> None:
        self.agendas = agendas
        self.plans = plans

    def send_agenda(
        self,
        organisation: Organisation,
        team: Team,
        members: Sequence[Member],
        calendar: AnnualCalendar,
        now: datetime,
    ) -> Reply:
        """The agenda to those the workshop step prompts (the supervisors), each in their own language."""
        workshop_on = next_workshop_day(calendar, team, team_time(now, team).date())
        view = self.agendas.view(organisation, team, workshop_on, now)
        messages = []
        for member in recipients(StepKind.WORKSHOP, team, members):
            person = person_for(member, organisation)
            messages.append(
                OutboundMessage(to=person.address, card=agenda_card(view, person.language), member_id=member.id)
            )
        return Reply(tuple(messages))

    def day_reminder(self, organisation: Organisation, team: Team) -> Reply:
        """Today's workshop, in the team's channel and language."""
        card = day_card(self.plans.current(team.id), channel_language(team, organisation))
        # Its own topic: the week's starter goes to the same channel in the same job, and each needs its outbox key.
        return Reply((OutboundMessage(to=team_channel(team), card=card, topic="workshop_day"),))
