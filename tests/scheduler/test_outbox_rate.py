"""Rates and backoff without a database: defaults from DESIGN.md, environment overrides, bucket arithmetic."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.organisation import Platform
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_rate import Rate, SharedRateLimiter
from tests.outbox_fakes import START


def test_defaults_are_slack_300_a_minute_and_teams_50_a_second_and_local_chats_unlimited() -> None:
    limiter = SharedRateLimiter.from_env({})
    assert limiter.rate("slack") == Rate(per_second=5, burst=10)
    assert limiter.rate("teams") == Rate(per_second=50, burst=50)
    assert not limiter.limited(Platform.WEB) and not limiter.limited(Platform.CONSOLE)
    assert SharedRateLimiter.defaults().rates == limiter.rates


def test_the_environment_sets_the_rates() -> None:
    limiter = SharedRateLimiter.from_env({"TYHY_RATE_SLACK_PER_MIN": "120", "TYHY_RATE_TEAMS_PER_SEC": "20"})
    assert limiter.rate("slack") == Rate(per_second=2, burst=10)
    assert limiter.rate("teams") == Rate(per_second=20, burst=20)


@pytest.mark.parametrize("value", ["fast", "0", "-5", "nan", "inf"])
def test_a_rate_that_is_not_a_positive_number_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="TYHY_RATE_SLACK_PER_MIN"):
        SharedRateLimiter.from_env({"TYHY_RATE_SLACK_PER_MIN": value})


def test_a_bucket_starts_full_refills_at_its_rate_and_never_above_its_burst() -> None:
    limiter = SharedRateLimiter({Platform.SLACK: Rate(per_second=5, burst=10)})
    ahead = 5  # a second's sends may be booked beyond what the bucket holds
    assert limiter.allowance("slack", None, START) == 10 + ahead
    booked = limiter.charge("slack", None, START, 10 + ahead)
    assert limiter.allowance("slack", booked, START) == 0
    assert limiter.allowance("slack", booked, START + timedelta(seconds=0.2)) == 1  # 0.2 s x 5/s, despite floats
    assert limiter.allowance("slack", booked, START + timedelta(hours=1)) == 10 + ahead


def test_booked_sends_get_slots_one_interval_apart_after_the_burst() -> None:
    limiter = SharedRateLimiter({Platform.SLACK: Rate(per_second=5, burst=2)})
    assert limiter.slots("slack", None, START, 4) == pytest.approx([0, 0, 0.2, 0.4])
    booked = limiter.charge("slack", None, START, 4)
    assert limiter.slots("slack", booked, START, 2) == pytest.approx([0.6, 0.8])  # after the slots booked before
    assert limiter.slots("web", None, START, 2) == [0.0, 0.0]  # not limited: at once


def test_a_late_clock_on_another_replica_adds_no_tokens() -> None:
    limiter = SharedRateLimiter({Platform.SLACK: Rate(per_second=5, burst=10)})
    used = limiter.charge("slack", None, START, 10)
    behind = limiter.charge("slack", used, START - timedelta(seconds=3), 0)
    assert behind.updated_at == START
    assert limiter.allowance("slack", behind, START + timedelta(seconds=1)) == 5 + 5  # 1 s refilled, 1 s ahead


def test_a_pause_keeps_the_bucket_empty_for_retry_after() -> None:
    limiter = SharedRateLimiter({Platform.SLACK: Rate(per_second=5, burst=10)})
    paused = limiter.pause("slack", None, START, 20)
    assert limiter.allowance("slack", paused, START + timedelta(seconds=19)) == 0
    # From a second before the pause ends sends may be booked again, but only for slots after it.
    assert limiter.allowance("slack", paused, START + timedelta(seconds=20)) == 5
    assert min(limiter.slots("slack", paused, START + timedelta(seconds=20), 5)) >= 0.2


def test_backoff_doubles_from_2_s_to_a_15_minute_cap_with_a_little_jitter() -> None:
    exact = Backoff(random=lambda: 0.0)
    assert [exact.delay(n) for n in range(1, 12)] == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert exact.delay(1000) == 900
    assert Backoff(random=lambda: 1.0).delay(3) == pytest.approx(8 * 0.9)


def test_retry_after_wins_when_it_is_longer_than_the_backoff() -> None:
    exact = Backoff(random=lambda: 0.0)
    assert exact.delay(1, retry_after=30) == 30
    assert exact.delay(6, retry_after=30) == 64
    assert exact.delay(10, retry_after=3600) == 3600  # the platform's word is not capped
