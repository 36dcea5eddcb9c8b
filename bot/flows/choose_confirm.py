"""The supervisor's confirmation: up to three strengths and three targets from the tally, added to the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.errors import DomainError
from bot.flows.choose_cards import CONFIRM_FIELDS, item_label
from bot.flows.choose_model import MAX_PICKS, PickKind, split_values
from bot.flows.choose_tally import TallyItem, of_kind
from bot.plan import DevelopmentPlan, Strength, Target

_TOO_MANY = {PickKind.STRENGTH: "choose.confirm_too_many_strengths", PickKind.TARGET: "choose.confirm_too_many_targets"}


@dataclass(frozen=True)
class Confirmation:
    """The plan with the chosen items added (not saved yet) and the items, for the team's channel."""

    plan: DevelopmentPlan
    chosen: tuple[TallyItem, ...]


def confirm_choices(
    items: Sequence[TallyItem],
    form: Mapping[str, str],
    plan: DevelopmentPlan | None,
    *,
    team_id: int,
    year: int,
    language: str,
) -> Confirmation:
    """The chosen tally items added to this year's plan (or a new one); the plan's rules refuse a fourth of a kind.

    `plan` is the team's plan for `year`, or None to start one. Every rule is checked here, before anything is saved.
    """
    chosen: list[TallyItem] = []
    for kind in PickKind:
        known = {item.key: item for item in of_kind(items, kind)}
        keys = list(dict.fromkeys(split_values(form.get(CONFIRM_FIELDS[kind]))))
        if any(key not in known for key in keys):
            raise DomainError("choose.unknown_choice")
        if len(keys) > MAX_PICKS:
            raise DomainError(_TOO_MANY[kind], max=MAX_PICKS, count=len(keys))
        chosen += [known[key] for key in keys]
    if not chosen:
        raise DomainError("choose.confirm_nothing")
    updated = plan or DevelopmentPlan(team_id=team_id, year=year)
    for item in chosen:
        # Plan lines are written in the team's language: the plan is the team's shared document.
        text = item_label(item, language)
        dimensions = (item.dimension,) if item.dimension else ()
        if item.kind is PickKind.STRENGTH:
            updated = updated.with_strength(Strength(text, item.dimension))
        else:
            updated = updated.with_target(Target(text, dimensions))
    return Confirmation(updated, tuple(chosen))
