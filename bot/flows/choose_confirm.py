"""The supervisor's confirmation: up to three strengths and three targets from the tally, added to the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.errors import DomainError
from bot.flows.choose_cards import CONFIRM_FIELDS, item_label
from bot.flows.choose_model import PickKind, room_left, split_values
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
    """The chosen tally items added to the year's plan (or a new one); more of a kind than the plan has room for is
    refused, naming the room left.

    `plan` is the team's plan for `year`, or None to start one. Every rule is checked here, before anything is saved.
    """
    chosen: list[TallyItem] = []
    room = room_left(plan)
    for kind in PickKind:
        known = {item.key: item for item in of_kind(items, kind)}
        keys = confirmed_keys(form, kind)
        if any(key not in known for key in keys):
            raise DomainError("choose.unknown_choice")
        if len(keys) > room[kind]:
            raise DomainError(_TOO_MANY[kind], left=room[kind], count=len(keys))
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


def confirmed_keys(form: Mapping[str, str], kind: PickKind) -> list[str]:
    """The tally keys the supervisor picked of one kind, each once, in the order given."""
    return list(dict.fromkeys(split_values(form.get(CONFIRM_FIELDS[kind]))))
