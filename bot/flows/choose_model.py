"""Me – us – all of us as data: a session's stage, a person's picks, and reading picks from the "me" card."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.plan import MAX_STRENGTHS, MAX_TARGETS, DevelopmentPlan

MAX_PICKS = 3  # the model: 1-3 strengths to hold on to and 1-3 development targets, per person and for the plan
MAX_OWN_WORDS = 200  # one strength or target in a person's own words; it may end up as a line of the plan

# The ids of the "me" card's inputs, as they come back in ActionSubmitted.form.
STRENGTHS_FIELD = "strengths"
TARGETS_FIELD = "targets"
OWN_SUFFIX = "_own"


class Stage(StrEnum):
    """Where a session stands: each person alone, then in pairs, then the whole team, then done."""

    ME = "me"
    US = "us"
    ALL = "all"
    DONE = "done"


class PickKind(StrEnum):
    """What a pick is for."""

    STRENGTH = "strength"
    TARGET = "target"

    @property
    def field(self) -> str:
        """The id of the card input that holds picks of this kind."""
        return STRENGTHS_FIELD if self is PickKind.STRENGTH else TARGETS_FIELD


@dataclass(frozen=True)
class Pick:
    """One person's pick: a dimension code or their own words."""

    member_id: int
    kind: PickKind
    choice: str

    @property
    def dimension(self) -> Dimension | None:
        """The dimension picked, or None for own words."""
        return _DIMENSIONS.get(self.choice)


@dataclass(frozen=True)
class ChooseSession:
    """One round of choosing in a team; open until it is done or its time runs out."""

    id: int
    team_id: int
    started_by: int | None
    started_at: datetime
    closes_at: datetime
    stage: Stage

    def is_open(self, now: datetime) -> bool:
        """True while the team can still act in it."""
        return self.stage is not Stage.DONE and now < self.closes_at


_DIMENSIONS = {dimension.value: dimension for dimension in Dimension}


def split_values(raw: str | None) -> list[str]:
    """The values of a multiple Select, as Teams sends them (and adapters join Slack's list): comma-separated."""
    return [value.strip() for value in (raw or "").split(",") if value.strip()]


def own_words(raw: str | None) -> list[str]:
    """A person's own strengths or targets: one per line (or separated with ;), spaces tidied, repeats dropped."""
    items: dict[str, str] = {}
    for line in (raw or "").replace(";", "\n").splitlines():
        text = " ".join(line.split()).strip(" •-*")
        if text:
            items.setdefault(text.casefold(), text)
    return list(items.values())


def room_left(plan: DevelopmentPlan | None) -> dict[PickKind, int]:
    """How many more strengths and targets the plan has room for (a plan not started yet: the full three each)."""
    strengths, targets = (len(plan.strengths), len(plan.targets)) if plan is not None else (0, 0)
    return {PickKind.STRENGTH: max(0, MAX_STRENGTHS - strengths), PickKind.TARGET: max(0, MAX_TARGETS - targets)}


def draft_picks(member_id: int, form: Mapping[str, str]) -> tuple[Pick, ...]:
    """What a sent "me" card held, rules unchecked: a refused card is drawn again with it, so nothing is lost."""
    picks: list[Pick] = []
    for kind in PickKind:
        codes = [code for code in dict.fromkeys(split_values(form.get(kind.field))) if code in _DIMENSIONS]
        words = [text for text in own_words(form.get(kind.field + OWN_SUFFIX)) if text not in codes]
        picks += [Pick(member_id, kind, choice) for choice in (*codes, *words)]
    return tuple(picks)


def read_picks(member_id: int, form: Mapping[str, str]) -> tuple[Pick, ...]:
    """The picks on a sent "me" card; refuses more than three of a kind, unknown codes and over-long words."""
    picks: list[Pick] = []
    for kind in PickKind:
        codes = list(dict.fromkeys(split_values(form.get(kind.field))))
        unknown = [code for code in codes if code not in _DIMENSIONS]
        if unknown:
            raise DomainError("choose.unknown_choice")
        words = own_words(form.get(kind.field + OWN_SUFFIX))
        if any(len(text) > MAX_OWN_WORDS for text in words):
            raise DomainError("choose.own_words_too_long", max=MAX_OWN_WORDS)
        # Own words that name a dimension exactly are that dimension: one thing is never counted twice.
        words = [text for text in words if text not in codes]
        if len(codes) + len(words) > MAX_PICKS:
            key = "choose.too_many_strengths" if kind is PickKind.STRENGTH else "choose.too_many_targets"
            raise DomainError(key, max=MAX_PICKS, count=len(codes) + len(words))
        picks += [Pick(member_id, kind, choice) for choice in (*codes, *words)]
    if not picks:
        raise DomainError("choose.nothing_picked")
    return tuple(picks)
