"""The plan-editing forms: one card per item kind, its inputs filled with the item when it is being changed."""

from __future__ import annotations

from collections.abc import Sequence

from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, shorten
from bot.dimensions import Dimension
from bot.flows.plan_edit_forms import (
    ACTION_DUE,
    ACTION_OWNER,
    ACTION_STATUS,
    ACTION_TEXT,
    MAX_TITLE,
    NOTHING,
    STRENGTH_DIMENSION,
    STRENGTH_TEXT,
    TARGET_DIMENSIONS,
    TARGET_FOLLOW_UP,
    TARGET_GOAL,
    TARGET_PRACTICE,
    TARGET_TITLE,
    due_text,
)
from bot.flows.plan_edit_refs import CANCEL, SAVE, Kind, ref
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Choice, Heading, Select, Text, TextInput
from bot.organisation import Member, Team
from bot.plan import ActionStatus, PlanAction, Strength, Target
from bot.questions import dimension_name

MAX_SELECT_OPTIONS = 100  # Slack: options in a static select
SHOWN = 200  # characters of the target an action form reminds of


def strength_form(team: Team, number: int | None, strength: Strength | None, language: str) -> Card:
    """A new strength (number None) or one to change: its text and, if the team wants, its dimension."""
    title = _form_title(language, "planedit.form.new_strength", "planedit.form.edit_strength", number)
    dimension = strength.dimension if strength is not None else None
    save_to = ref(Kind.STRENGTH, strength.id) if strength is not None else ref(Kind.TEAM, team.id)
    return _form(
        team,
        title,
        language,
        (
            Text(translate(language, "planedit.form.strength_hint")),
            TextInput(
                STRENGTH_TEXT,
                translate(language, "planedit.form.strength_text"),
                multiline=True,
                initial=strength.text if strength is not None else "",
            ),
            Select(
                STRENGTH_DIMENSION,
                translate(language, "planedit.form.strength_dimension"),
                (Choice(translate(language, "planedit.form.no_dimension"), NOTHING), *_dimension_choices(language)),
                selected=(dimension.value,) if dimension is not None else (),
            ),
        ),
        Button(SAVE[Kind.STRENGTH], translate(language, "planedit.form.save"), save_to, "primary"),
    )


def target_form(team: Team, number: int | None, target: Target | None, language: str) -> Card:
    """A new target or one to change, in the model's column order: the target, its goal, what is done in practice,
    how it is followed up and evaluated, and the dimensions it aims to move (actions have forms of their own)."""
    title = _form_title(language, "planedit.form.new_target", "planedit.form.edit_target", number)
    save_to = ref(Kind.TARGET, target.id) if target is not None else ref(Kind.TEAM, team.id)
    return _form(
        team,
        title,
        language,
        (
            Text(translate(language, "planedit.form.target_hint")),
            TextInput(
                TARGET_TITLE,
                translate(language, "planedit.form.title"),
                placeholder=translate(language, "planedit.form.title_placeholder"),
                max_length=MAX_TITLE,
                initial=target.title if target else "",
            ),
            TextInput(
                TARGET_GOAL,
                translate(language, "planedit.form.goal"),
                placeholder=translate(language, "planedit.form.goal_placeholder"),
                multiline=True,
                initial=target.goal if target else "",
            ),
            TextInput(
                TARGET_PRACTICE,
                translate(language, "planedit.form.practice"),
                multiline=True,
                initial=target.practice if target else "",
            ),
            TextInput(
                TARGET_FOLLOW_UP,
                translate(language, "planedit.form.follow_up"),
                multiline=True,
                initial=target.follow_up if target else "",
            ),
            Select(
                TARGET_DIMENSIONS,
                translate(language, "planedit.form.dimensions"),
                _dimension_choices(language),
                multiple=True,
                selected=tuple(d.value for d in target.dimensions) if target else (),
            ),
        ),
        Button(SAVE[Kind.TARGET], translate(language, "planedit.form.save"), save_to, "primary"),
    )


def action_form(
    team: Team,
    members: Sequence[Member],
    language: str,
    *,
    target: tuple[int, Target],
    action: tuple[str, PlanAction] | None = None,
) -> Card:
    """A new action for a target (saved to the target) or one to change: text, owner, due date in words, status.

    `target` and `action` are (number on the edit card, item).
    """
    if action is None:
        title = translate(language, "planedit.form.new_action", number=target[0])
        save_to, current = ref(Kind.TARGET, target[1].id), None
    else:
        title = translate(language, "planedit.form.edit_action", number=action[0])
        save_to, current = ref(Kind.ACTION, action[1].id), action[1]
    people = [Choice(shorten(m.name, MAX_BUTTON_LABEL), str(m.id)) for m in sorted(members, key=lambda m: m.name)]
    owners = (Choice(translate(language, "planedit.form.nobody"), NOTHING), *people)[:MAX_SELECT_OPTIONS]
    owner = str(current.owner_id) if current is not None and current.owner_id is not None else NOTHING
    status = current.status if current is not None else ActionStatus.PLANNED
    return _form(
        team,
        title,
        language,
        (
            Text(
                translate(
                    language,
                    "planedit.form.for_target",
                    number=target[0],
                    goal=shorten(target[1].named(language), SHOWN),
                )
            ),
            TextInput(ACTION_TEXT, translate(language, "planedit.form.action_text"), initial=_or_empty(current)),
            Select(
                ACTION_OWNER,
                translate(language, "planedit.form.owner"),
                owners,
                # A platform refuses a preselected option that is not offered (an owner who left the team).
                selected=(owner,) if any(c.value == owner for c in owners) else (),
            ),
            TextInput(
                ACTION_DUE,
                translate(language, "planedit.form.due"),
                placeholder=translate(language, "planedit.form.due_placeholder"),
                max_length=100,
                initial=due_text(current.due_on if current is not None else None, language),
            ),
            Select(
                ACTION_STATUS,
                translate(language, "planedit.form.status"),
                tuple(Choice(translate(language, f"action.status.{s.value}"), s.value) for s in ActionStatus),
                selected=(status.value,),
            ),
        ),
        Button(SAVE[Kind.ACTION], translate(language, "planedit.form.save"), save_to, "primary"),
    )


def _named(target: Target, language: str) -> str:
    return shorten(target.named(language), SHOWN)


def _or_empty(action: PlanAction | None) -> str:
    return action.text if action is not None else ""


def _form(team: Team, title: str, language: str, fields: tuple[Block, ...], save: Button) -> Card:
    cancel = Button(CANCEL, translate(language, "planedit.form.cancel"), ref(Kind.TEAM, team.id))
    fallback = translate(language, "planedit.form.fallback", title=title, team=team.name)
    return Card(
        kind="plan_edit_form",
        fallback_text=shorten(fallback, 300),
        blocks=(Heading(shorten(title, MAX_HEADING)), *fields, Buttons((save, cancel))),
    )


def _form_title(language: str, new_key: str, edit_key: str, number: int | None) -> str:
    return translate(language, new_key) if number is None else translate(language, edit_key, number=number)


def _dimension_choices(language: str) -> tuple[Choice, ...]:
    return tuple(Choice(dimension_name(d, language), d.value) for d in Dimension)
