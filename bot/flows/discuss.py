"""Discussion starters in the team's channel: `keskustelu` / `diskutera` / `discuss`, or on the calendar's schedule."""

from __future__ import annotations

from datetime import datetime

from bot.card_limits import shorten
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.discussion_bank import Starter, pick_starter, week_index
from bot.events import ActionSubmitted, CommandText
from bot.flows.followup_model import find_team
from bot.flows.plan_view import PlanReader
from bot.i18n import translate
from bot.language import resolve_language
from bot.messages import Card, Heading, OutboundMessage, Reply, Text
from bot.organisation import Organisation, Platform, Team, team_time
from bot.person import Directory, Person, team_channel

TARGET_LIMIT = 300  # a target's name on the card: enough to recognise it, short enough to keep the question first


def starter_card(starter: Starter, language: str) -> Card:
    """The question in large, the theme, and the target it relates to when the team has one."""
    question = starter.question.text(language)
    theme = translate(language, f"discuss.theme.{starter.question.theme.value}")
    blocks: list[Heading | Text] = [
        Heading(translate(language, "discuss.heading")),
        Text(f"*{question}*"),
    ]
    target = starter.target
    if target is not None:
        goal = shorten(target.named(language), TARGET_LIMIT)
        blocks.append(Text(translate(language, "discuss.for_target", number=starter.target_number, goal=goal)))
    blocks.append(Text(translate(language, "discuss.theme_and_invite", theme=theme)))
    return Card("discussion_starter", "💬 " + question, tuple(blocks))


def channel_language(team: Team, organisation: Organisation) -> str:
    """A channel is shared, so it hears the team's language (the organisation's when the team has none)."""
    return resolve_language(team=team, organisation=organisation)


class DiscussionStarters:
    """Builds the week's starter for a team's channel; the scheduler's use case and the command share it."""

    def __init__(self, directory: Directory, plans: PlanReader) -> None:
        self.directory = directory
        self.plans = plans

    def post_discussion_starter(self, team_id: int, now: datetime) -> Reply:
        """The week's discussion starter to the team's home channel; nothing for a team that is gone."""
        organisation = self.directory.get()
        team = find_team(organisation.teams, team_id) if organisation is not None else None
        if organisation is None or team is None:
            return Reply()
        message, _ = self.starter_message(organisation, team, now)
        return Reply((message,))

    def starter_message(
        self, organisation: Organisation, team: Team, now: datetime, platform: Platform | None = None
    ) -> tuple[OutboundMessage, Starter]:
        """The starter card to the team's channel (on `platform` when the team has a channel there)."""
        week = week_index(team_time(now, team).date())
        starter = pick_starter(self.plans.current(team.id), week)
        card = starter_card(starter, channel_language(team, organisation))
        where = team_channel(team, platform) if platform and team.home_channel(platform) else team_channel(team)
        return OutboundMessage(to=where, card=card), starter


class DiscussFlow:
    """Anyone in a team may ask for the week's discussion starter to be posted to the team's channel."""

    commands = frozenset({Command.DISCUSS})
    action_prefix = "discuss."

    def __init__(self, directory: Directory, plans: PlanReader, clock: Clock) -> None:
        self.starters = DiscussionStarters(directory, plans)
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        team = person.team
        if team is None:
            return say(person, "team.none")
        message, starter = self.starters.starter_message(
            person.organisation, team, self.clock(), person.address.platform
        )
        told = translate(person.language, "discuss.posted", question=starter.question.text(person.language))
        return Reply((message, OutboundMessage(to=person.address, text=told)))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        return say(person, "action.unknown")
