"""What the annual calendar's steps say when they come: survey, results review, choosing, workshop, plan, evaluation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.calendar import StepKind
from bot.card_limits import MAX_TEXT, shorten
from bot.conversation import COMMAND_ACTION
from bot.flows.evaluation_model import OPEN as EVALUATION_OPEN
from bot.flows.row_values import row_value
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Heading, OutboundMessage, Reply, Text
from bot.organisation import Member, Organisation, Role, Team
from bot.person import person_for

# Who hears of each step: the whole team, or those who lead its development work.
FOR_EVERYONE = frozenset({StepKind.SURVEY, StepKind.UNIT_SURVEY})
# The command each step asks the supervisor to run next, written in the person's language.
NEXT_COMMAND = {
    StepKind.CHOOSE_TARGETS: "choose",
    StepKind.PLAN: "update",
    StepKind.WORKSHOP: "discuss",
    StepKind.RESULTS_REVIEW: "plan",
}


def recipients(step: StepKind, team: Team, members: Sequence[Member]) -> list[Member]:
    """Who a step's prompt goes to: everyone for surveys, else the team's supervisors (officers if it has none)."""
    in_team = [m for m in members if team.id in m.team_ids]
    if step in FOR_EVERYONE:
        return in_team
    supervisors = [m for m in in_team if m.role is Role.SUPERVISOR]
    return supervisors or [m for m in members if m.role is Role.WELLBEING_OFFICER]


def step_prompt(
    step: StepKind,
    team: Team,
    organisation: Organisation,
    members: Sequence[Member],
    extra: Callable[[str], str] | None = None,
    figures: Callable[[str], Sequence[Block]] | None = None,
) -> Reply:
    """The step's card to each recipient in their own language; `extra(language)` adds e.g. the year's successes,
    `figures(language)` blocks of their own (the results review's survey figures)."""
    messages = []
    for member in recipients(step, team, members):
        person = person_for(member, organisation)
        language = person.language
        blocks: list[Block] = [
            Heading(translate(language, f"step.{step.value}.title")),
            Text(translate(language, f"step.{step.value}.body", team=team.name)),
        ]
        if figures is not None:
            blocks.extend(figures(language))
        if extra is not None:
            blocks.append(Text(shorten(extra(language), MAX_TEXT)))
        command = NEXT_COMMAND.get(step)
        if step is StepKind.EVALUATION:  # the form itself, for this team (an officer may be asked for several)
            label = translate(language, "evaluation.start")
            blocks.append(Buttons((Button(EVALUATION_OPEN, label, row_value("team", team.id), "primary"),)))
        elif command is not None:
            label = translate(language, f"step.button.{command}")
            blocks.append(Buttons((Button(f"{COMMAND_ACTION}{command}", label),)))
        card = Card(f"step_{step.value}", translate(language, f"step.{step.value}.title"), tuple(blocks))
        messages.append(OutboundMessage(to=person.address, card=card, member_id=member.id))
    return Reply(tuple(messages))
