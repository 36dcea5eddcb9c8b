"""Anyone in a team sees the team's development plan with `plan` / `suunnitelma` / `plan`."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.card_limits import MAX_TEXT, shorten
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.events import ActionSubmitted, CommandText
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Card, Heading, OutboundMessage, Reply, Text
from bot.organisation import Team
from bot.person import Directory, Person
from bot.plan import DevelopmentPlan
from bot.plan_text import plan_as_text


class PlanReader(Protocol):
    """Reads a team's current plan (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...


def plan_card(plan: DevelopmentPlan, team: Team, names: dict[int, str], language: str, today: date) -> Card:
    """The whole plan on one card: strengths, targets with actions, owners and status, and the follow-up clock."""
    full = plan_as_text(plan, team, names, language, today)
    title, _, body = full.partition("\n")
    due = plan.next_follow_up_due
    fallback = translate(language, "plan.heading", team=team.name, year=plan.year)
    if due is not None:
        fallback += " · " + translate(language, "plan.next_follow_up", date=format_date(due, language))
    return Card(
        kind="plan",
        fallback_text=fallback,
        blocks=(Heading(shorten(title, 150)), Text(shorten(body.strip(), MAX_TEXT))),
    )


class PlanViewFlow:
    """Shows the plan of the person's team."""

    commands = frozenset({Command.PLAN})
    action_prefix = "plan.view"

    def __init__(self, directory: Directory, plans: PlanReader, clock: Clock) -> None:
        self.directory = directory
        self.plans = plans
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        team = _team_named(person, command.args) or person.team
        if team is None:
            return say(person, "team.none")
        plan = self.plans.current(team.id)
        if plan is None:
            return say(person, "plan.none", team=team.name)
        names = self.directory.member_names(plan.owner_ids)
        card = plan_card(plan, team, names, person.language, self.clock().date())
        return Reply((OutboundMessage(to=person.address, card=card, public=True),))  # plans are open to everyone

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        return say(person, "action.unknown")


def _team_named(person: Person, args: str) -> Team | None:
    """`plan kotihoito` shows another team's plan: plans are open to the whole organisation by design."""
    return person.organisation.team_by_key(args) if args.strip() else None
