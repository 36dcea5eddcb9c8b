"""The cards of plan editing: the edit card with buttons per item, and the question before a removal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, shorten
from bot.flows.plan_edit_changes import MAX_ACTIONS_PER_TARGET
from bot.flows.plan_edit_refs import (
    ADD,
    AGREE,
    CANCEL,
    EDIT,
    REMOVE,
    REMOVE_CONFIRMED,
    START,
    WORKSHOP_OUTCOME,
    Kind,
    ref,
)
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Heading, Text
from bot.organisation import Team
from bot.plan import MAX_STRENGTHS, MAX_TARGETS, DevelopmentPlan, PlanAction, Strength, Target
from bot.plan_text import action_line
from bot.questions import dimension_name

# How much of an item the edit card shows: three targets with five actions each stay well under Teams' 28 KB.
# The item's form shows it whole.
SHOWN = 200


def edit_card(team: Team, plan: DevelopmentPlan | None, names: Mapping[int, str], language: str, today: date) -> Card:
    """The plan with an edit and a remove button per item and buttons to add; a start button when there is none."""
    if plan is None:
        title = translate(language, "planedit.heading_none", team=team.name)
        return Card(
            kind="plan_edit",
            fallback_text=title,
            blocks=(
                Heading(shorten(title, MAX_HEADING)),
                Text(translate(language, "planedit.none_yet", team=team.name)),
                Buttons((_start_button(team, language, today.year),)),
            ),
        )
    title = translate(language, "planedit.heading", team=team.name, year=plan.year)
    blocks: list[Block] = [Heading(shorten(title, MAX_HEADING)), Text(translate(language, "planedit.intro"))]
    blocks += _strength_blocks(plan.strengths, language)
    blocks += _target_blocks(plan.targets, names, language, today)
    blocks.append(Text(_agreement(plan, language, today)))
    blocks.append(Buttons(_plan_buttons(team, plan, language, today.year)))
    return Card(kind="plan_edit", fallback_text=title, blocks=tuple(blocks))


def _strength_blocks(strengths: Sequence[Strength], language: str) -> list[Block]:
    blocks: list[Block] = [Text("*" + translate(language, "plan.strengths_heading") + "*")]
    if not strengths:
        return [*blocks, Text(translate(language, "planedit.no_strengths", max=MAX_STRENGTHS))]
    for number, strength in enumerate(strengths, start=1):
        named = strength.named(language)
        line = f"{number}. {shorten(named, SHOWN)}"
        if strength.dimension is not None and named != dimension_name(strength.dimension, language):
            line += f" _({dimension_name(strength.dimension, language)})_"
        value = ref(Kind.STRENGTH, strength.id)
        blocks.append(Text(line))
        blocks.append(
            Buttons(
                (
                    Button(EDIT[Kind.STRENGTH], _label(language, "planedit.edit_strength", number), value),
                    Button(REMOVE, _label(language, "planedit.remove_strength", number), value, "danger"),
                )
            )
        )
    return blocks


def _target_blocks(targets: Sequence[Target], names: Mapping[int, str], language: str, today: date) -> list[Block]:
    blocks: list[Block] = [Text("*" + translate(language, "plan.targets_heading") + "*")]
    if not targets:
        return [*blocks, Text(translate(language, "planedit.no_targets", max=MAX_TARGETS))]
    for number, target in enumerate(targets, start=1):
        value = ref(Kind.TARGET, target.id)
        blocks.append(Text(_target_text(number, target, language)))
        blocks.append(
            Buttons(
                (
                    Button(EDIT[Kind.TARGET], _label(language, "planedit.edit_target", number), value),
                    Button(REMOVE, _label(language, "planedit.remove_target", number), value, "danger"),
                    Button(ADD[Kind.ACTION], _label(language, "planedit.add_action_to", number), value),
                )
            )
        )
        for action_number, action in enumerate(target.actions[:MAX_ACTIONS_PER_TARGET], start=1):
            blocks += _action_blocks(f"{number}.{action_number}", action, names, language, today)
        extra = target.actions[MAX_ACTIONS_PER_TARGET:]  # only a plan written elsewhere can hold more
        if extra:
            lines = [
                f"{number}.{n} {_action_line(a, names, language, today)}"
                for n, a in enumerate(extra, start=MAX_ACTIONS_PER_TARGET + 1)
            ]
            blocks.append(Text(shorten("\n".join(lines), SHOWN * 2)))
    return blocks


def _target_text(number: int, target: Target, language: str) -> str:
    lines = [f"*{number}. {shorten(target.named(language), SHOWN)}*"]
    if target.goal:
        lines.append(translate(language, "plan.goal", text=shorten(target.goal, SHOWN)))
    else:  # the model's second column: say it is still open rather than leave it out unnoticed
        lines.append("_" + translate(language, "planedit.no_goal") + "_")
    if target.practice:
        lines.append(translate(language, "plan.practice", text=shorten(target.practice, SHOWN)))
    if target.follow_up:
        lines.append(translate(language, "plan.follow_up_method", text=shorten(target.follow_up, SHOWN)))
    if target.dimensions:
        named = ", ".join(dimension_name(d, language) for d in target.dimensions)
        lines.append(translate(language, "planedit.dimensions", names=named))
    if not target.actions:
        lines.append("_" + translate(language, "planedit.no_actions") + "_")
    return "\n".join(lines)


def _action_blocks(
    number: str, action: PlanAction, names: Mapping[int, str], language: str, today: date
) -> list[Block]:
    value = ref(Kind.ACTION, action.id)
    return [
        Text(f"{number} {_action_line(action, names, language, today)}"),
        Buttons(
            (
                Button(EDIT[Kind.ACTION], _label(language, "planedit.edit_action", number), value),
                Button(REMOVE, _label(language, "planedit.remove_action", number), value, "danger"),
            )
        ),
    ]


def _action_line(action: PlanAction, names: Mapping[int, str], language: str, today: date) -> str:
    return action_line(replace(action, text=shorten(action.text, SHOWN)), names, language, today)


def _agreement(plan: DevelopmentPlan, language: str, today: date) -> str:
    due = plan.next_follow_up_due
    if plan.agreed_on is None or due is None:
        return translate(language, "plan.not_yet_agreed")
    agreed = translate(language, "plan.agreed_on", date=format_date(plan.agreed_on, language))
    if plan.is_follow_up_overdue(today):
        return agreed + " " + translate(language, "plan.follow_up_overdue", date=format_date(due, language))
    return agreed + " " + translate(language, "plan.next_follow_up", date=format_date(due, language))


def _plan_buttons(team: Team, plan: DevelopmentPlan, language: str, this_year: int) -> tuple[Button, ...]:
    # "Add" stays visible at the limit: pressing it says why no more fit, which a missing button would not.
    value = ref(Kind.TEAM, team.id)
    buttons = [
        Button(ADD[Kind.STRENGTH], translate(language, "planedit.add_strength"), value),
        Button(ADD[Kind.TARGET], translate(language, "planedit.add_target"), value),
    ]
    if plan.targets:  # after the workshop: its agreed first actions into the plan from one form
        buttons.append(Button(WORKSHOP_OUTCOME, translate(language, "planedit.workshop.button"), value))
    if plan.agreed_on is None:
        buttons.append(Button(AGREE, translate(language, "planedit.agree"), value, "primary"))
    if plan.year < this_year:  # a new survey year: last year's plan stays, the new one starts empty
        buttons.append(_start_button(team, language, this_year))
    return tuple(buttons)


def _start_button(team: Team, language: str, year: int) -> Button:
    return Button(START, translate(language, "planedit.start", year=year), ref(Kind.TEAM, team.id), "primary")


def _label(language: str, key: str, number: object) -> str:
    return shorten(translate(language, key, number=number), MAX_BUTTON_LABEL)


# --- Removal ------------------------------------------------------------------------------------------------


def removal_card(
    team: Team, kind: Kind, row_id: int | None, number: str, text: str, actions: int, language: str
) -> Card:
    """Asks before a removal: what goes, and for a target that its actions go with it."""
    title = translate(language, f"planedit.remove.{kind.value}", number=number)
    lines = [shorten(text, SHOWN)]
    if actions:
        lines.append(translate(language, "planedit.remove.with_actions", count=actions))
    value = ref(kind, row_id)
    return Card(
        kind="plan_edit_remove",
        fallback_text=shorten(title, 300),
        blocks=(
            Heading(shorten(title, MAX_HEADING)),
            Text("\n".join(lines)),
            Buttons(
                (
                    Button(REMOVE_CONFIRMED, translate(language, "planedit.remove.yes"), value, "danger"),
                    Button(CANCEL, translate(language, "planedit.form.cancel"), ref(Kind.TEAM, team.id)),
                )
            ),
        ),
    )
