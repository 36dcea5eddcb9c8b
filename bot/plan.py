"""A team's development plan: strengths to keep, development targets with actions, and the follow-up rule."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.months import add_months

MAX_STRENGTHS = 3
MAX_TARGETS = 3
# The model's promise: progress is brought up in a team meeting at the latest every three months.
FOLLOW_UP_INTERVAL_MONTHS = 3
MAX_FOLLOW_UP_NOTE = 500  # what was decided in the meeting: a short note, not the minutes


class ActionStatus(StrEnum):
    """Where an action stands, as the supervisor reports it in a follow-up."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STUCK = "stuck"


@dataclass(frozen=True)
class PlanAction:
    """One concrete thing to do for a target, with who answers for it and by when."""

    text: str
    owner_id: int | None = None  # a member id; None while nobody has taken it
    due_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    id: int | None = None
    # The schedule as the planner wrote it, when it names a stretch of the calendar ("kevään aikana", "vko 12"):
    # shown beside the day, since "by the end of spring" says more than 31.5.; "in two weeks" would not stay true.
    due_words: str = ""

    def is_late(self, today: date) -> bool:
        """True when its day has passed and it is not done."""
        return self.due_on is not None and self.due_on < today and self.status is not ActionStatus.DONE


@dataclass(frozen=True)
class Strength:
    """Something the team does well and wants to hold on to."""

    text: str
    dimension: Dimension | None = None
    id: int | None = None

    def named(self, language: str) -> str:
        """The strength as a reader of `language` reads it (one chosen as a dimension is named in their language)."""
        return _named(self.text, (self.dimension,) if self.dimension else (), language)


@dataclass(frozen=True)
class Target:
    """A development target with the model's plan columns: the target itself (kehittämiskohde), its goal
    (tavoite), the actions (each with who is responsible and by when), what is done in practice, and how it is
    followed up and evaluated."""

    title: str  # the development target: what the team develops ("Perehdytys")
    dimensions: tuple[Dimension, ...] = ()  # the dimensions it aims to move; pulse rounds favour them
    practice: str = ""  # what is done in practice
    follow_up: str = ""  # how it is followed up and evaluated
    actions: tuple[PlanAction, ...] = ()
    id: int | None = None
    # Where the team wants to get ("a new employee knows in the first week whom to ask"); keyword only, so the
    # positional order above stays as it was before the target and its goal were two fields.
    goal: str = field(default="", kw_only=True)

    def named(self, language: str) -> str:
        """The target as a reader of `language` reads it: its own words, or, when the team chose a dimension as the
        target (its text is that dimension's name, as choosing wrote it), the dimension's name in their language."""
        return _named(self.title, self.dimensions, language)

    def with_action(self, action: PlanAction) -> Target:
        """The target with one more action."""
        _require_text(action.text)
        return replace(self, actions=(*self.actions, action))


@dataclass(frozen=True)
class FollowUp:
    """A team meeting where the plan was discussed, and what was decided there (optional)."""

    held_on: date
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class DevelopmentPlan:
    """A team's plan for the year; immutable, every change returns a new plan."""

    team_id: int
    year: int
    strengths: tuple[Strength, ...] = ()
    targets: tuple[Target, ...] = ()
    agreed_on: date | None = None
    last_follow_up_on: date | None = None
    id: int | None = None
    # The plan's history, oldest first: recorded one at a time (record_follow_up), never rewritten.
    follow_ups: tuple[FollowUp, ...] = ()

    def with_strength(self, strength: Strength) -> DevelopmentPlan:
        """The plan with one more strength; at most three."""
        _require_text(strength.text)
        if len(self.strengths) >= MAX_STRENGTHS:
            raise DomainError("plan.too_many_strengths", max=MAX_STRENGTHS)
        return replace(self, strengths=(*self.strengths, strength))

    def with_target(self, target: Target) -> DevelopmentPlan:
        """The plan with one more development target; at most three."""
        _require_text(target.title)
        if len(self.targets) >= MAX_TARGETS:
            raise DomainError("plan.too_many_targets", max=MAX_TARGETS)
        return replace(self, targets=(*self.targets, target))

    def replace_target(self, target_id: int, target: Target) -> DevelopmentPlan:
        """The plan with one target changed."""
        _require_text(target.title)
        if not any(t.id == target_id for t in self.targets):
            raise DomainError("plan.unknown_target", target=target_id)
        return replace(self, targets=tuple(target if t.id == target_id else t for t in self.targets))

    def agree(self, on: date) -> DevelopmentPlan:
        """The team agreed the plan: it needs a strength, a target, and an action for every target (a target
        nobody acts on is a wish); the 3-month clock starts."""
        if not self.targets:
            raise DomainError("plan.needs_target")
        if not self.strengths:
            raise DomainError("plan.needs_strength")
        for number, target in enumerate(self.targets, start=1):
            if not target.actions:
                raise DomainError("plan.target_needs_action", number=number, target=target)
        return replace(self, agreed_on=on)

    @property
    def owner_ids(self) -> set[int]:
        """The members who answer for any of the plan's actions."""
        return {a.owner_id for t in self.targets for a in t.actions if a.owner_id is not None}

    @property
    def next_follow_up_due(self) -> date | None:
        """The latest day for the next follow-up, or None before the plan is agreed."""
        start = self.last_follow_up_on or self.agreed_on
        return None if start is None else add_months(start, FOLLOW_UP_INTERVAL_MONTHS)

    def check_follow_up_date(self, planned: date) -> None:
        """Refuse a follow-up date past the 3-month limit or before the plan was agreed."""
        due = self.next_follow_up_due
        if self.agreed_on is None or due is None:
            raise DomainError("plan.not_agreed")
        if planned < self.agreed_on:
            raise DomainError("plan.follow_up_before_agreed")
        if planned > due:
            raise DomainError("plan.follow_up_too_late", due=due)

    def record_follow_up(self, on: date, note: str = "") -> DevelopmentPlan:
        """The plan was discussed in a team meeting, with what was decided: the 3-month clock restarts that day."""
        if self.agreed_on is not None and on < self.agreed_on:
            raise DomainError("plan.follow_up_before_agreed")
        note = note.strip()
        if len(note) > MAX_FOLLOW_UP_NOTE:
            raise DomainError("plan.follow_up_note_too_long", max=MAX_FOLLOW_UP_NOTE)
        return replace(self, last_follow_up_on=on, follow_ups=(*self.follow_ups, FollowUp(on, note)))

    def late_actions(self, today: date) -> list[tuple[Target, PlanAction]]:
        """The actions whose day has passed without them being done, with their targets."""
        return [(t, a) for t in self.targets for a in t.actions if a.is_late(today)]

    def is_follow_up_overdue(self, today: date) -> bool:
        """True when the 3-month limit has passed without a follow-up."""
        due = self.next_follow_up_due
        return due is not None and today > due

    def action_counts(self) -> dict[ActionStatus, int]:
        """How many actions stand in each status, over all targets."""
        counts = dict.fromkeys(ActionStatus, 0)
        for target in self.targets:
            for action in target.actions:
                counts[action.status] += 1
        return counts


def _named(text: str, dimensions: tuple[Dimension, ...], language: str) -> str:
    """Text that is its only dimension's name in one of our languages is that name in the reader's."""
    from bot.i18n import SUPPORTED_LANGUAGES  # late: the model needs the catalogs only to name a dimension
    from bot.questions import dimension_name

    if len(dimensions) == 1 and text in {dimension_name(dimensions[0], other) for other in SUPPORTED_LANGUAGES}:
        return dimension_name(dimensions[0], language)
    return text


def _require_text(text: str) -> None:
    if not text.strip():
        raise DomainError("plan.empty_text")
