"""The year-end evaluation of a team's plan, and what it carries over into next year's draft for the team to decide."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from bot.errors import DomainError
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Target

# Long enough for a few sentences said in a meeting; a pasted document is refused with a clear reply.
MAX_EVALUATION_TEXT = 1000


class Outcome(StrEnum):
    """How far a development target got in the year."""

    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


@dataclass(frozen=True)
class TargetEvaluation:
    """One target's result: achieved or not, what helped, and what the team wants to do next."""

    target_id: int
    outcome: Outcome
    helped: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class StrengthEvaluation:
    """Whether the team held on to one of its strengths."""

    strength_id: int
    kept: bool


@dataclass(frozen=True)
class Evaluation:
    """The team's evaluation of one year's plan, answered by the supervisor with the team; targets named by id."""

    plan_id: int
    evaluated_on: date
    targets: tuple[TargetEvaluation, ...] = ()
    strengths: tuple[StrengthEvaluation, ...] = ()
    id: int | None = None

    @classmethod
    def answer(
        cls,
        plan: DevelopmentPlan,
        targets: tuple[TargetEvaluation, ...],
        strengths: tuple[StrengthEvaluation, ...],
        on: date,
    ) -> Evaluation:
        """A whole evaluation of `plan`: every target and strength answered, texts within their limit."""
        if plan.id is None:
            raise ValueError("only a stored plan can be evaluated")
        target_ids = [t.id for t in plan.targets]
        strength_ids = [s.id for s in plan.strengths]
        if {t.target_id for t in targets} - set(target_ids) or {s.strength_id for s in strengths} - set(strength_ids):
            raise DomainError("evaluation.plan_changed")
        answered = {t.target_id for t in targets}
        missing = [number for number, target_id in enumerate(target_ids, start=1) if target_id not in answered]
        if missing:
            raise DomainError("evaluation.target_missing", number=missing[0])
        kept = {s.strength_id for s in strengths}
        missing = [number for number, strength_id in enumerate(strength_ids, start=1) if strength_id not in kept]
        if missing:
            raise DomainError("evaluation.strength_missing", number=missing[0])
        for answer in targets:
            if max(len(answer.helped), len(answer.next_step)) > MAX_EVALUATION_TEXT:
                number = target_ids.index(answer.target_id) + 1  # as the card numbers it
                raise DomainError("evaluation.too_long", number=number, max=MAX_EVALUATION_TEXT)
        clean = tuple(replace(t, helped=t.helped.strip(), next_step=t.next_step.strip()) for t in targets)
        return cls(plan.id, on, clean, strengths)

    def of_target(self, target_id: int | None) -> TargetEvaluation | None:
        """The answer about one target, if it was evaluated."""
        return next((t for t in self.targets if t.target_id == target_id), None)

    def of_strength(self, strength_id: int | None) -> StrengthEvaluation | None:
        """The answer about one strength, if it was evaluated."""
        return next((s for s in self.strengths if s.strength_id == strength_id), None)


class CarryKind(StrEnum):
    """What an item carried into next year's draft was: an action left unfinished, or the team's "what next"."""

    UNFINISHED_ACTION = "action"
    NEXT_STEP = "next_step"


class Decision(StrEnum):
    """The team's decision about a carried item."""

    OPEN = "open"
    KEPT = "kept"
    DROPPED = "dropped"


@dataclass(frozen=True)
class CarriedItem:
    """An item offered to next year's draft; kept, it becomes an action under a copy of its old target."""

    kind: CarryKind
    from_target_id: int  # the evaluated plan's target it came from
    text: str
    owner_id: int | None = None
    decision: Decision = Decision.OPEN
    draft_target_id: int | None = None  # once kept: the draft's target it went under
    id: int | None = None


def carried_items(plan: DevelopmentPlan, evaluation: Evaluation) -> tuple[CarriedItem, ...]:
    """What the year leaves for next year: every action not done, then each target's "what next", in plan order."""
    items: list[CarriedItem] = []
    for target in plan.targets:
        if target.id is None:
            continue
        items += [
            CarriedItem(CarryKind.UNFINISHED_ACTION, target.id, action.text, action.owner_id)
            for action in target.actions
            if action.status is not ActionStatus.DONE
        ]
        answer = evaluation.of_target(target.id)
        if answer is not None and answer.next_step:
            items.append(CarriedItem(CarryKind.NEXT_STEP, target.id, answer.next_step))
    return tuple(items)


def keep_in_draft(draft: DevelopmentPlan, item: CarriedItem, source: Target, copy_id: int | None) -> DevelopmentPlan:
    """The draft with a kept item as an action under its old target, copied into the draft if not there yet.

    `copy_id` is the draft target copied from `source` for an item kept before (None: not yet, or since removed). The
    copy keeps what the team wrote about the target and starts with just this action: last year's dates are past.
    """
    action = PlanAction(item.text, owner_id=item.owner_id)
    copy = next((t for t in draft.targets if copy_id is not None and t.id == copy_id), None)
    if copy is None or copy.id is None:
        return draft.with_target(replace(source, actions=(action,), id=None))
    return draft.replace_target(copy.id, copy.with_action(action))


def target_title(target: Target, language: str) -> str:
    """What a target is called wherever the evaluation names it: the target (kehittämiskohde), in the reader's
    language when the team chose a dimension as it."""
    return target.named(language)
