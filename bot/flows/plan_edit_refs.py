"""What the plan-editing buttons carry: a dotted action id and a short value pointing to one row ("target:12")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import DomainError

PREFIX = "plan.edit."
CANCEL = PREFIX + "cancel"  # back to the edit card without saving
START = PREFIX + "start"  # a new plan for this year
AGREE = PREFIX + "agree"  # the team agreed the plan: the follow-up clock starts
REMOVE = PREFIX + "remove"  # asks first
REMOVE_CONFIRMED = PREFIX + "remove.confirmed"
WORKSHOP_OUTCOME = PREFIX + "workshop"  # the workshop's first actions for every target, from one form


class Kind(StrEnum):
    """What a button's value points to."""

    TEAM = "team"  # the team's current plan, for what is added to it
    STRENGTH = "strength"
    TARGET = "target"
    ACTION = "action"


# Per item kind: open an empty form, open the item's form, save the form (value: the owner of a new item, or the item).
ADD = {kind: f"{PREFIX}{kind.value}.add" for kind in (Kind.STRENGTH, Kind.TARGET, Kind.ACTION)}
EDIT = {kind: f"{PREFIX}{kind.value}.edit" for kind in (Kind.STRENGTH, Kind.TARGET, Kind.ACTION)}
SAVE = {kind: f"{PREFIX}{kind.value}.save" for kind in (Kind.STRENGTH, Kind.TARGET, Kind.ACTION)}


@dataclass(frozen=True)
class Ref:
    """A row a button points to; the value never carries state, so a forged one can only name a row."""

    kind: Kind
    id: int

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


def ref(kind: Kind, row_id: int | None) -> str:
    """The button value for a saved row (rows on an edit card always have ids: they come from the database)."""
    if row_id is None:
        raise ValueError(f"a {kind.value} without an id cannot be pointed to")
    return str(Ref(kind, row_id))


def parse_ref(value: str) -> Ref:
    """The row a button value names; anything malformed is told as "not found", like a row from elsewhere."""
    kind, _, number = value.partition(":")
    if kind not in {k.value for k in Kind} or not (number.isascii() and number.isdigit()) or len(number) > 12:
        raise DomainError("planedit.not_found")
    return Ref(Kind(kind), int(number))
