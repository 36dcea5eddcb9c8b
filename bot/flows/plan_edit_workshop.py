"""The workshop's outcome into the plan from one form: each target's goal, first action, its owner and by when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, MAX_TEXT, shorten
from bot.errors import DomainError
from bot.flows import plan_edit_changes as changes
from bot.flows.plan_edit_forms import ACTION_DUE, ACTION_OWNER, ACTION_TEXT, NOTHING, TARGET_GOAL, action_from
from bot.flows.plan_edit_refs import CANCEL, PREFIX, WORKSHOP_OUTCOME, Kind, ref
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Choice, Heading, Select, Text, TextInput
from bot.organisation import Member, Team
from bot.plan import DevelopmentPlan, Target

OPEN = WORKSHOP_OUTCOME  # the outcome form, from the edit card
SAVE = PREFIX + "workshop.save"
MAX_OWNERS = 100  # Slack's static select holds at most 100 options


def field(name: str, target: Target) -> str:
    """A target's input on the form: its first action, owner or day ("action_text_12")."""
    return f"{name}_{target.id}"


def outcome_form(team: Team, plan: DevelopmentPlan, members: Sequence[Member], language: str) -> Card:
    """Per target of the plan: the first action agreed in the workshop, who answers for it, by when."""
    title = translate(language, "planedit.workshop.title", team=team.name)
    people = tuple(Choice(shorten(m.name, MAX_BUTTON_LABEL), str(m.id)) for m in members)
    owners = (Choice(translate(language, "planedit.form.nobody"), NOTHING), *people)[:MAX_OWNERS]
    blocks: list[Block] = [Heading(shorten(title, MAX_HEADING)), Text(translate(language, "planedit.workshop.intro"))]
    for number, target in enumerate(plan.targets, start=1):
        blocks += [
            Text(f"*{number}. {shorten(target.named(language), 300)}*"),
            # The goal (tavoite) the group presented: where the team wants to get with this target.
            TextInput(
                field(TARGET_GOAL, target),
                translate(language, "planedit.form.goal"),
                initial=target.goal,
                multiline=True,
                max_length=MAX_TEXT,
            ),
            TextInput(field(ACTION_TEXT, target), translate(language, "planedit.workshop.action"), max_length=500),
            Select(
                field(ACTION_OWNER, target), translate(language, "planedit.workshop.owner"), owners, selected=(NOTHING,)
            ),
            TextInput(
                field(ACTION_DUE, target),
                translate(language, "planedit.workshop.due"),
                placeholder=translate(language, "planedit.workshop.due_placeholder"),
                max_length=100,
            ),
        ]
    value = ref(Kind.TEAM, team.id)
    buttons = (
        Button(SAVE, translate(language, "planedit.workshop.save"), value, "primary"),
        Button(CANCEL, translate(language, "planedit.form.cancel"), value),
    )
    blocks.append(Buttons(buttons))
    return Card("planedit.workshop", title, tuple(blocks))


def outcome_into(
    plan: DevelopmentPlan,
    form: Mapping[str, str],
    *,
    team_member_ids: set[int],
    now: datetime,
    language: str,
) -> DevelopmentPlan:
    """The plan with each goal written and each filled-in first action under its target; every field is checked
    before any is added."""
    changed = plan
    added = 0
    for target in plan.targets:
        goal = form.get(field(TARGET_GOAL, target), target.goal).strip()
        if len(goal) > MAX_TEXT:  # the input allows no more, but a forged or odd client payload may
            raise DomainError("planedit.too_long", max=MAX_TEXT)
        if goal != target.goal:
            _, current = changes.target_in(changed, target.id or 0)
            changed = changed.replace_target(current.id or 0, replace(current, goal=goal))
            added += 1
        text = form.get(field(ACTION_TEXT, target), "").strip()
        if not text:
            continue  # a target the workshop left for later: nothing added, nothing refused
        one = {
            ACTION_TEXT: text,
            ACTION_OWNER: form.get(field(ACTION_OWNER, target), ""),
            ACTION_DUE: form.get(field(ACTION_DUE, target), ""),
        }
        action = action_from(one, None, team_member_ids=team_member_ids, now=now, language=language)
        _, current = changes.target_in(changed, target.id or 0)
        changed = changes.add_action(changed, current, action)
        added += 1
    if not added:
        raise DomainError("planedit.workshop.nothing")
    return changed
