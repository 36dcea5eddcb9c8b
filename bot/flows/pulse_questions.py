"""Which pulse questions a team gets in a round: its targets' dimensions every time, the rest of the bank in turn."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dimensions import Dimension
from bot.plan import DevelopmentPlan
from bot.pulse import MAX_QUESTIONS
from bot.questions import QUESTION_BANK, Question

MIN_QUESTIONS = 3
# Besides the targets' dimensions, at least this many others are asked, so that over a few rounds the
# whole bank is covered and a team sees more than the things it chose to work on.
OTHER_DIMENSIONS_PER_ROUND = 2


def target_dimensions(plan: DevelopmentPlan | None) -> tuple[Dimension, ...]:
    """The dimensions the plan's development targets aim to move, in the plan's order, each once."""
    if plan is None:
        return ()
    seen: dict[Dimension, None] = {}
    for target in plan.targets:
        for dimension in target.dimensions:
            seen.setdefault(dimension, None)
    return tuple(seen)


def choose_questions(
    plan: DevelopmentPlan | None, round_number: int, bank: Sequence[Question] = QUESTION_BANK
) -> tuple[str, ...]:
    """The 3-5 question ids a team is asked in its `round_number`-th round (0 for its first).

    Every dimension a target touches gets one question, its items taking turns round by round, so the
    targets' progress is measured between annual surveys. The other dimensions fill the card in turn:
    the fill slots of all rounds form one stream that walks the dimensions in a circle, and each time
    the circle comes round again, the next item of each dimension is asked. Deterministic: the same
    plan and round number always give the same questions.
    """
    if round_number < 0:
        raise ValueError("round numbers start at 0")
    items = _items_by_dimension(bank)
    if not items:
        raise ValueError("the question bank is empty")
    targeted = [d for d in target_dimensions(plan) if d in items]
    if len(targeted) > MAX_QUESTIONS:  # more than a card holds: the targets take turns too
        start = round_number * MAX_QUESTIONS % len(targeted)
        targeted = [targeted[(start + i) % len(targeted)] for i in range(MAX_QUESTIONS)]
    chosen = [_item(items[d], round_number) for d in targeted]

    others = [d for d in items if d not in targeted]
    wanted = min(MAX_QUESTIONS, max(MIN_QUESTIONS, len(targeted) + OTHER_DIMENSIONS_PER_ROUND))
    fill = min(wanted - len(chosen), len(others))
    for slot in range(round_number * fill, (round_number + 1) * fill):
        lap, position = divmod(slot, len(others))
        chosen.append(_item(items[others[position]], lap))
    return tuple(question.id for question in chosen)


def _items_by_dimension(bank: Sequence[Question]) -> dict[Dimension, tuple[Question, ...]]:
    """The bank's questions per dimension, dimensions in the model's order, items in bank order."""
    grouped: dict[Dimension, list[Question]] = {}
    for dimension in Dimension:
        questions = [q for q in bank if q.dimension is dimension]
        if questions:
            grouped[dimension] = questions
    return {d: tuple(q) for d, q in grouped.items()}


def _item(questions: tuple[Question, ...], turn: int) -> Question:
    return questions[turn % len(questions)]
