"""Single-item changes to a development plan that bot.plan has no method for: find, replace, remove, add an action."""

from __future__ import annotations

from dataclasses import replace

from bot.errors import DomainError
from bot.flows.plan_edit_refs import Kind, Ref
from bot.plan import DevelopmentPlan, PlanAction, Strength, Target

# Not a rule of the model but of the edit card: every action gets its own row of buttons and a card holds at
# most 50 blocks (Slack). Five per target keeps three full targets on one card, and small steps move best.
MAX_ACTIONS_PER_TARGET = 5


def strength_in(plan: DevelopmentPlan, strength_id: int) -> tuple[int, Strength]:
    """The strength with that id and its number on the card (1-based)."""
    found = next(((n, s) for n, s in enumerate(plan.strengths, start=1) if s.id == strength_id), None)
    if found is None:
        raise DomainError("planedit.not_found")
    return found


def target_in(plan: DevelopmentPlan, target_id: int | None) -> tuple[int, Target]:
    """The target with that id and its number on the card (1-based)."""
    found = next(((n, t) for n, t in enumerate(plan.targets, start=1) if t.id == target_id), None)
    if found is None or target_id is None:
        raise DomainError("planedit.not_found")
    return found


def action_in(plan: DevelopmentPlan, action_id: int) -> tuple[str, Target, PlanAction]:
    """The action with that id, the target holding it, and its number on the card ("2.1")."""
    for target_number, target in enumerate(plan.targets, start=1):
        for action_number, action in enumerate(target.actions, start=1):
            if action.id == action_id:
                return f"{target_number}.{action_number}", target, action
    raise DomainError("planedit.not_found")


def holds(plan: DevelopmentPlan, row: Ref) -> bool:
    """Whether the plan has the strength, target or action the reference points to."""
    try:
        describe(plan, row)
    except DomainError:
        return False
    return True


def describe(plan: DevelopmentPlan, row: Ref, language: str = "fi") -> tuple[str, str, int]:
    """The number, text and action count of a strength, target or action, for the question before removing it."""
    if row.kind is Kind.STRENGTH:
        number, strength = strength_in(plan, row.id)
        return str(number), strength.named(language), 0
    if row.kind is Kind.TARGET:
        number, target = target_in(plan, row.id)
        return str(number), target.named(language), len(target.actions)
    if row.kind is Kind.ACTION:
        action_number, _, action = action_in(plan, row.id)
        return action_number, action.text, 0
    raise DomainError("planedit.not_found")


def replace_strength(plan: DevelopmentPlan, strength: Strength) -> DevelopmentPlan:
    """The plan with one strength changed in place (same position, same id)."""
    return replace(plan, strengths=tuple(strength if s.id == strength.id else s for s in plan.strengths))


def remove_strength(plan: DevelopmentPlan, strength_id: int) -> DevelopmentPlan:
    """The plan without that strength."""
    return replace(plan, strengths=tuple(s for s in plan.strengths if s.id != strength_id))


def remove_target(plan: DevelopmentPlan, target_id: int) -> DevelopmentPlan:
    """The plan without that target and its actions (successes once tied to it stay, untied)."""
    return replace(plan, targets=tuple(t for t in plan.targets if t.id != target_id))


def check_room_for_action(target: Target) -> None:
    """Refuse a new action when the target already has as many as the edit card can show."""
    if len(target.actions) >= MAX_ACTIONS_PER_TARGET:
        raise DomainError("planedit.too_many_actions", max=MAX_ACTIONS_PER_TARGET)


def add_action(plan: DevelopmentPlan, target: Target, action: PlanAction) -> DevelopmentPlan:
    """The plan with one more action under the target."""
    check_room_for_action(target)
    assert target.id is not None  # targets on a saved plan have ids
    return plan.replace_target(target.id, target.with_action(action))


def replace_action(plan: DevelopmentPlan, target: Target, action: PlanAction) -> DevelopmentPlan:
    """The plan with one action of the target changed in place."""
    assert target.id is not None
    actions = tuple(action if a.id == action.id else a for a in target.actions)
    return plan.replace_target(target.id, replace(target, actions=actions))


def remove_action(plan: DevelopmentPlan, target: Target, action_id: int) -> DevelopmentPlan:
    """The plan without that action."""
    assert target.id is not None
    return plan.replace_target(
        target.id, replace(target, actions=tuple(a for a in target.actions if a.id != action_id))
    )
