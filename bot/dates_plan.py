"""How the pieces read from one text combine into one plan, and which combinations cannot both hold."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from bot.dates_grammar import (
    Clock,
    Date,
    DayPart,
    DayShift,
    NextWeek,
    Offset,
    PartOfDay,
    Period,
    Piece,
    Span,
    Unit,
    Weekday,
)

EXACT_UNITS: Final = frozenset({Unit.MINUTE, Unit.HOUR})  # these offsets count real time, not calendar days


@dataclass(frozen=True)
class Plan:
    """The pieces of one text, each kind at most once, with a part of the day already applied to the clock."""

    clock: Clock | None = None
    part: DayPart | None = None
    shift: DayShift | None = None
    weekday: Weekday | None = None
    next_week: bool = False
    offset: Offset | None = None
    date: Date | None = None
    period: Period | None = None


def _add(plan: Plan, piece: Piece) -> Plan | None:
    """The plan with one more piece, or None when that kind of piece is already there."""
    match piece:
        case Clock() if plan.clock is None:
            return replace(plan, clock=piece)
        case DayShift() if plan.shift is None:
            return replace(plan, shift=piece)
        case Weekday() if plan.weekday is None:
            return replace(plan, weekday=piece)
        case Offset() if plan.offset is None:
            return replace(plan, offset=piece)
        case Date() if plan.date is None:
            return replace(plan, date=piece)
        case PartOfDay() if plan.part is None:
            return replace(plan, part=piece.part)
        case Period() if plan.period is None:
            return replace(plan, period=piece)
        case NextWeek() if not plan.next_week:
            return replace(plan, next_week=True)
        case _:  # a second clock, a second date...: which one was meant?
            return None


def plan_of(pieces: list[Piece]) -> Plan | None:
    """The pieces as one plan, or None when they contradict each other or name no time at all."""
    plan: Plan | None = Plan()
    for piece in pieces:
        plan = None if plan is None else _add(plan, piece)
    if plan is None or plan == Plan():
        return None
    if plan.offset is not None:
        # An offset fixes the day by itself: "in 2 weeks on Friday" or "in 2 hours at 9" cannot both hold.
        others = Plan(offset=plan.offset, clock=plan.clock, part=plan.part)
        if plan != others or (plan.offset.unit in EXACT_UNITS and plan != Plan(offset=plan.offset)):
            return None
    if plan.period is not None:
        # A period fixes the day too; only a weekday within a week may narrow it ("tiistaina viikolla 12").
        weekday = plan.weekday if plan.period.span is Span.WEEK else None
        if plan != Plan(period=plan.period, clock=plan.clock, part=plan.part, weekday=weekday):
            return None
    return _with_day_part(plan)


def _with_day_part(plan: Plan) -> Plan | None:
    """Apply "morning" / "in the afternoon" to the clock: 3 in the afternoon is 15:00, 15 in the morning is nonsense."""
    if plan.part is None:
        return plan
    if plan.part is DayPart.MORNING:
        return plan if plan.clock is None or plan.clock.hour < 12 else None
    if plan.clock is None or plan.clock.hour == 0:  # evening alone has no agreed hour
        return None
    if plan.clock.hour < 12:
        return replace(plan, clock=Clock(plan.clock.hour + 12, plan.clock.minute))
    return plan
