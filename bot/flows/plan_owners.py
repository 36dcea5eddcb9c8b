"""Action owners hear of their actions: when one is given to them, and a week before its day."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.action_due import due_soon
from bot.card_limits import MAX_HEADING, MAX_TEXT, shorten
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Card, Heading, OutboundMessage, Reply, Text
from bot.organisation import Organisation, Team, team_time
from bot.person import Directory, Person, person_for
from bot.plan import DevelopmentPlan, PlanAction, Target
from bot.workdays import WorkingDays

SHOWN = 300  # characters of an action or target on the owner's card


def given_to_owner(
    before: PlanAction | None, after: PlanAction, target: Target, team: Team, by: Person, directory: Directory
) -> OutboundMessage | None:
    """The note to the person just made responsible for an action; None when nobody new is (or they did it)."""
    owner_id = after.owner_id
    if owner_id is None or owner_id == by.member.id or (before is not None and before.owner_id == owner_id):
        return None
    member = directory.member(owner_id)
    if member is None:
        return None
    owner = person_for(member, by.organisation)
    language = owner.language
    heading = translate(language, "plan.owner.given_heading", team=team.name)
    text = translate(
        language,
        "plan.owner.given_text",
        supervisor=by.member.name,
        team=team.name,
        action=shorten(after.text, SHOWN),
        target=shorten(target.named(language), SHOWN),
        due=format_date(after.due_on, language) if after.due_on else translate(language, "plan.no_due"),
    )
    card = Card("plan_action_given", shorten(heading, 300), (Heading(shorten(heading, MAX_HEADING)), Text(text)))
    return OutboundMessage(to=owner.address, card=card, member_id=member.id)


class PlanReader(Protocol):
    """Reads a team's current plan (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...


class ActionReminders:
    """What the scheduler's action job sends: each owner a reminder of their action a week before its day."""

    def __init__(self, directory: Directory, plans: PlanReader, days: WorkingDays | None = None) -> None:
        self.directory = directory
        self.plans = plans
        self.days = days or WorkingDays()

    def send_due_soon(self, team_id: int, now: datetime) -> Reply:
        """A reminder to the owner of every action of the team's plan due a week from today (the team's day).

        The job runs on its own day only (scheduler/catch_up.py), so today is the day it was planned for.
        """
        organisation = self.directory.get()
        team = next((t for t in organisation.teams if t.id == team_id), None) if organisation else None
        plan = self.plans.current(team_id) if team is not None else None
        if organisation is None or team is None or plan is None:
            return Reply()
        today = team_time(now, team).date()
        messages = [
            message
            for target, action in due_soon(plan, today, self.days)
            if (message := self._reminder(organisation, team, target, action)) is not None
        ]
        return Reply(tuple(messages))

    def _reminder(
        self, organisation: Organisation, team: Team, target: Target, action: PlanAction
    ) -> OutboundMessage | None:
        member = self.directory.member(action.owner_id) if action.owner_id is not None else None
        if member is None or action.due_on is None:
            return None
        owner = person_for(member, organisation)
        language = owner.language
        heading = translate(language, "plan.owner.due_heading")
        text = translate(
            language,
            "plan.owner.due_text",
            action=shorten(action.text, SHOWN),
            team=team.name,
            target=shorten(target.named(language), SHOWN),
            date=format_date(action.due_on, language),
        )
        card = Card("plan_action_due", shorten(heading, 300), (Heading(heading), Text(shorten(text, MAX_TEXT))))
        # One message per action: an owner with two actions due the same day gets both (the outbox key names it).
        return OutboundMessage(to=owner.address, card=card, member_id=member.id, topic=f"action:{action.id}")
