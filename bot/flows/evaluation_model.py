"""The evaluation flow's ports, action ids, form fields and button values (short tokens pointing to rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.errors import DomainError
from bot.evaluation import CarriedItem, Decision, Evaluation
from bot.flows import row_values
from bot.plan import DevelopmentPlan

PREFIX = "evaluation."
OPEN = PREFIX + "open"  # value "team:3": the evaluation card of the team's plan
SAVE = PREFIX + "save"  # value "plan:7"; the answers in the form, see the field names below
DRAFT = PREFIX + "draft"  # value "team:3": next year's draft with what was carried over
CARRY = PREFIX + "carry"  # value "carry:12:kept" or "carry:12:dropped"

OUTCOME_FIELD = "eval_outcome_"  # + target id: achieved / partly / not_achieved
HELPED_FIELD = "eval_helped_"  # + target id
NEXT_FIELD = "eval_next_"  # + target id
KEPT_FIELD = "eval_kept_"  # + strength id: "yes" / "no"


class EvaluationStore(Protocol):
    """Evaluations and what they carry over (storage's EvaluationRepository fits)."""

    def plan_to_evaluate(self, team_id: int) -> DevelopmentPlan | None: ...

    def for_plan(self, plan_id: int) -> Evaluation | None: ...

    def save(self, evaluation: Evaluation, plan: DevelopmentPlan, offered: Sequence[CarriedItem]) -> int: ...

    def draft_of(self, plan_id: int) -> int | None: ...

    def carried(self, draft_plan_id: int) -> list[CarriedItem]: ...

    def carried_item(self, item_id: int) -> tuple[CarriedItem, int] | None: ...

    def decide(self, item_id: int, decision: Decision) -> bool: ...

    def reopen(self, item_id: int) -> None: ...

    def placed(self, item_id: int, draft_target_id: int) -> None: ...


class PlanStore(Protocol):
    """Plans read and saved whole (storage's PlanRepository fits)."""

    def get(self, plan_id: int) -> DevelopmentPlan | None: ...

    def save(self, plan: DevelopmentPlan) -> DevelopmentPlan: ...


class SuccessCounter(Protocol):
    """How many successes each target gathered (storage's SuccessRepository fits)."""

    def count_by_target(self, team_id: int) -> dict[int, int]: ...


def parse_row_value(value: str, kind: str) -> int:
    """The id in a "team:3" value of the expected kind; anything malformed is "not found"."""
    return row_values.parse_row_value(value, kind, "evaluation.not_found")


def carry_value(item_id: int | None, decision: Decision) -> str:
    """The value of a keep/drop choice."""
    if item_id is None:
        raise ValueError("a carried item without an id cannot be pointed to")
    return f"carry:{item_id}:{decision.value}"


def parse_carry_value(value: str) -> tuple[int, Decision]:
    """The item and the decision a keep/drop choice names."""
    kind, _, rest = value.partition(":")
    number, _, decision = rest.partition(":")
    if kind != "carry" or decision not in (Decision.KEPT.value, Decision.DROPPED.value):
        raise DomainError("evaluation.not_found")
    return _row_id(number), Decision(decision)


def _row_id(number: str) -> int:
    return row_values.row_id(number, "evaluation.not_found")
