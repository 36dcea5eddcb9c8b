"""Pairing people at random for the "us" step: pairs of two, and an odd one out joins a pair as a trio."""

from __future__ import annotations

import random
from collections.abc import Iterable

from bot.errors import DomainError

MIN_PEOPLE = 2  # a pair needs two


def pair_up(member_ids: Iterable[int], rng: random.Random) -> tuple[tuple[int, ...], ...]:
    """Random pairs of the given people; with an odd number the last pair becomes a trio.

    The same seed gives the same pairs whatever order the ids come in, so tests can pin them.
    """
    people = sorted(set(member_ids))  # sorted first: the result depends on the seed only, not on the caller's order
    if len(people) < MIN_PEOPLE:
        raise DomainError("choose.too_few_to_pair", count=len(people), min=MIN_PEOPLE)
    rng.shuffle(people)
    groups = [people[i : i + 2] for i in range(0, len(people) - 1, 2)]
    if len(people) % 2:
        groups[-1].append(people[-1])
    return tuple(tuple(group) for group in groups)


def pair_of(pairs: Iterable[tuple[int, ...]], member_id: int) -> tuple[int, ...]:
    """The pair or trio a person is in; empty when they are in none."""
    return next((pair for pair in pairs if member_id in pair), ())
