"""The pacer spaces sends to a limited workspace at its rate; other workspaces and platforms go at once."""

from __future__ import annotations

import pytest

from bot.organisation import Platform
from scheduler.outbox_pacer import HEADROOM, Pacer
from scheduler.outbox_rate import Rate, SharedRateLimiter


class SimTime:
    """A clock that moves only when the pacer sleeps: what it asked to wait is recorded."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


async def test_sends_to_one_workspace_are_spaced_and_others_are_not_held_up() -> None:
    time = SimTime()
    pacer = Pacer(SharedRateLimiter({Platform.SLACK: Rate(per_second=10, burst=10)}), time, time.sleep)
    for _ in range(3):
        await pacer.wait("slack", "T1")
    assert time.waits == pytest.approx([0.1 / HEADROOM, 0.1 / HEADROOM])  # the first goes at once
    await pacer.wait("slack", "T2")  # another workspace has a bucket of its own
    await pacer.wait("web", "")  # the local chat is not limited at all
    assert len(time.waits) == 2


async def test_after_a_quiet_spell_the_next_send_goes_at_once() -> None:
    time = SimTime()
    pacer = Pacer(SharedRateLimiter({Platform.SLACK: Rate(per_second=10, burst=10)}), time, time.sleep)
    await pacer.wait("slack", "T1")
    time.now += 5
    await pacer.wait("slack", "T1")
    assert time.waits == []
