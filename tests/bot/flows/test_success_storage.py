"""Tying a saved success to a target or strength, and reading one back with its mentions, on both databases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.success import Success
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import START, Demo


def test_link_moves_a_success_between_targets_strengths_and_nothing(demo: Demo) -> None:
    team = demo.team("kotihoito")
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    target, strength = plan.targets[1].id, plan.strengths[0].id
    assert target is not None and strength is not None
    successes = SuccessRepository(demo.db)
    mentioned = (demo.person("Elina").id, demo.person("Juha").id)
    saved = successes.add(Success(team.id, "Hyvin meni", START, demo.person("Anna").id, mentioned))
    assert saved.id is not None
    assert successes.get(saved.id) == replace(saved, mentioned_ids=tuple(sorted(mentioned)))  # as for_team lists them
    before = successes.count_by_target(team.id)

    linked = successes.link(saved.id, target_id=target)
    assert linked.target_id == target and linked.mentioned_ids == tuple(sorted(mentioned))
    assert successes.count_by_target(team.id)[target] == before.get(target, 0) + 1
    moved = successes.link(saved.id, strength_id=strength)
    assert (moved.target_id, moved.strength_id) == (None, strength) and successes.get(saved.id) == moved
    assert successes.count_by_target(team.id) == before
    cleared = successes.link(saved.id)
    assert (cleared.target_id, cleared.strength_id) == (None, None)


def test_link_refuses_both_at_once_and_unknown_successes(demo: Demo) -> None:
    successes = SuccessRepository(demo.db)
    assert successes.get(987654) is None
    with pytest.raises(LookupError):
        successes.link(987654)
    with pytest.raises(ValueError, match="not both"):
        successes.link(1, target_id=1, strength_id=1)
