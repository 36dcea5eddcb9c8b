"""Repeated runs, ours and the bare baseline alternating, reported as the median and the spread of each figure.

One run says little on a shared machine: the Slack ratio once read 0.37, 0.58, 0.56 and 0.76 across four. Every
bench runs at least REPEATS times, ours and the baseline taking turns (ours, bare, ours, bare, …) so that a slow
minute of the machine falls on both, and prints each figure as its median with `<figure>_spread` beside it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

REPEATS = 5

T = TypeVar("T")


def spread(values: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """The median, the lowest and the highest of the runs, and how many there were."""
    if not values:
        return {"median": None, "min": None, "max": None, "runs": 0}
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "runs": len(values),
    }


def alternating(ours: Callable[[int], T], bare: Callable[[int], T], repeats: int = REPEATS) -> tuple[list[T], list[T]]:
    """Run ours and the baseline in turns, `repeats` times each; each is given the repeat's number."""
    mine, theirs = [], []
    for number in range(repeats):
        mine.append(ours(number))
        theirs.append(bare(number))
    return mine, theirs


def summarised(runs: Iterable[Mapping[str, float]], digits: int = 3) -> dict[str, Any]:
    """From runs that each give the same figures: each figure's median, and its spread under `<figure>_spread`."""
    every = list(runs)
    result: dict[str, Any] = {}
    for key in every[0] if every else ():
        values = [float(run[key]) for run in every]
        result[key] = round(statistics.median(values), digits)
        result[f"{key}_spread"] = spread(values, digits)
    return result
