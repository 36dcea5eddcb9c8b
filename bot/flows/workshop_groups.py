"""Before the workshop: the supervisor gives small groups one target each to prepare (`työpaja` / `verkstad`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, MAX_TEXT, shorten
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.discussion_bank import questions_for, themes_for
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.choose_model import split_values
from bot.flows.workshop_agenda import PlanReader
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Choice, Heading, OutboundMessage, Reply, Select, Text
from bot.organisation import Member, Team
from bot.person import Directory, Person, led_teams, named_or_own_team, person_for
from bot.plan import Target

PREFIX = "workshop."
SEND = "workshop.groups"
GROUP_FIELD = "group_"  # + the target's id: the members of the group that prepares it
STARTERS_PER_GROUP = 2


class WorkshopGroupsFlow:
    """The groups card for the supervisor, and each group member's target to prepare, sent as a direct message."""

    commands = frozenset({Command.WORKSHOP})
    action_prefix = PREFIX

    def __init__(self, directory: Directory, plans: PlanReader, clock: Clock) -> None:
        self.directory = directory
        self.plans = plans
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not person.is_supervisor:
            return say(person, "workshop.groups.only_supervisor")
        team = named_or_own_team(person, command.args)
        if team not in led_teams(person):
            raise DomainError("workshop.groups.not_your_team", team=team.name)
        targets = self._targets(team)
        card = groups_card(team, targets, self.directory.members(team.id), person.language)
        return Reply((OutboundMessage(to=person.address, card=card, member_id=person.member.id),))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        if not person.is_supervisor:  # a forged press from staff: nothing is looked up
            return say(person, "workshop.groups.only_supervisor")
        if event.action != SEND:
            return say(person, "action.unknown")
        team = next((t for t in led_teams(person) if str(t.id) == event.value), None)
        if team is None:
            raise DomainError("workshop.groups.not_found")
        members = {m.id: m for m in self.directory.members(team.id)}
        groups = read_groups(self._targets(team), members, event.form)
        reply = Reply()
        for target_number, target, group in groups:
            names = [m.name for m in group]
            for member in group:
                reply += self._prepare(person, member, team, target_number, target, names)
        summary = sent_card(team, groups, person.language)
        return Reply((OutboundMessage(to=person.address, card=summary, replaces=event.source),)) + reply

    def _targets(self, team: Team) -> tuple[Target, ...]:
        plan = self.plans.current(team.id)
        targets = tuple(t for t in plan.targets if t.id is not None) if plan is not None else ()
        if not targets:
            raise DomainError("workshop.groups.no_targets", team=team.name)
        return targets

    def _prepare(
        self, person: Person, member: Member, team: Team, number: int, target: Target, names: Sequence[str]
    ) -> Reply:
        recipient = person if member.id == person.member.id else person_for(member, person.organisation)
        others = [name for name in names if name != member.name]
        card = prepare_card(team, number, target, others, recipient.language)
        return Reply((OutboundMessage(to=recipient.address, card=card, member_id=member.id),))


def read_groups(
    targets: Sequence[Target], members: Mapping[int, Member], form: Mapping[str, str]
) -> list[tuple[int, Target, tuple[Member, ...]]]:
    """The groups on a sent card, per target in plan order; refuses a stranger, anyone in two groups, or no group."""
    groups: list[tuple[int, Target, tuple[Member, ...]]] = []
    seen: set[int] = set()
    for number, target in enumerate(targets, start=1):
        picked = list(dict.fromkeys(split_values(form.get(f"{GROUP_FIELD}{target.id}"))))
        if any(not value.isdigit() or int(value) not in members for value in picked):
            raise DomainError("workshop.groups.unknown_member")
        group = tuple(members[int(value)] for value in picked)
        for member in group:
            if member.id in seen:
                raise DomainError("workshop.groups.twice", name=member.name)
            seen.add(member.id)
        if group:
            groups.append((number, target, group))
    if not groups:
        raise DomainError("workshop.groups.empty")
    return groups


def groups_card(team: Team, targets: Sequence[Target], members: Sequence[Member], language: str) -> Card:
    """One pick of people per target; the send button gives each group its target to prepare."""
    title = translate(language, "workshop.groups.title", team=team.name)
    choices = tuple(Choice(shorten(m.name, MAX_BUTTON_LABEL), str(m.id)) for m in members)
    blocks: list[Heading | Text | Select | Buttons] = [
        Heading(shorten(title, MAX_HEADING)),
        Text(translate(language, "workshop.groups.intro")),
    ]
    for number, target in enumerate(targets, start=1):
        label = translate(language, "workshop.groups.group", number=number, target=shorten(target.named(language), 120))
        blocks.append(Select(f"{GROUP_FIELD}{target.id}", label, choices, multiple=True))
    send = shorten(translate(language, "workshop.groups.send"), MAX_BUTTON_LABEL)
    blocks.append(Buttons((Button(SEND, send, str(team.id), "primary"),)))
    return Card("workshop.groups", title, tuple(blocks))


def sent_card(team: Team, groups: Sequence[tuple[int, Target, Sequence[Member]]], language: str) -> Card:
    """What went to whom, in place of the groups card."""
    title = translate(language, "workshop.groups.title", team=team.name)
    lines = [
        f"{number}. {shorten(target.named(language), 120)}: {', '.join(m.name for m in group)}"
        for number, target, group in groups
    ]
    text = translate(language, "workshop.groups.sent", groups="\n".join(lines))
    return Card("workshop.groups_sent", title, (Heading(shorten(title, MAX_HEADING)), Text(shorten(text, MAX_TEXT))))


def prepare_card(team: Team, number: int, target: Target, others: Sequence[str], language: str) -> Card:
    """A group member's target to prepare: the model's three questions, and support questions for its dimensions."""
    title = translate(language, "workshop.prepare.title", team=team.name)
    goal = shorten(target.named(language), 300)
    with_whom = (
        translate(language, "workshop.prepare.with", names=", ".join(others))
        if others
        else translate(language, "workshop.prepare.alone")
    )
    blocks: list[Heading | Text] = [
        Heading(shorten(title, MAX_HEADING)),
        Text(shorten(translate(language, "workshop.prepare.target", number=number, target=goal), MAX_TEXT)),
        Text(shorten(with_whom, MAX_TEXT)),
        Text(translate(language, "workshop.prepare.questions")),
    ]
    starters = questions_for(themes_for(target.dimensions))[:STARTERS_PER_GROUP]
    if starters:
        lines = "\n".join(f"• {q.text(language)}" for q in starters)
        blocks.append(Text(translate(language, "workshop.prepare.starters", questions=lines)))
    return Card("workshop.prepare", f"{title}: {goal}", tuple(blocks))
