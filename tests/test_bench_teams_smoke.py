"""bench.teams_interaction at a tiny size: it runs end to end, takes turns, prints every figure, and loses no answer."""

from __future__ import annotations

import json

import pytest

from bench.teams_interaction import main

KEYS = {"ours_p50_ms", "ours_p99_ms", "ours_rps", "bare_rps", "throughput_ratio", "finished_after_last_click_s", "lost"}


def test_a_small_run_prints_every_figure_with_its_spread_and_loses_no_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--clicks", "10", "--closed-clicks", "6", "--rate", "50", "--concurrency", "4", "--repeats", "2"])

    result = json.loads(capsys.readouterr().out)
    assert result.keys() >= KEYS | {f"{key}_spread" for key in KEYS - {"lost"}}
    assert result["throughput_ratio_spread"]["runs"] == 2 and len(result["runs"]) == 2
    assert result["goals"] == {
        "ours_p99_ms": "<= 50",
        "throughput_ratio": ">= 0.5",
        "finished_after_last_click_s": "<= 5",
        "lost": 0,
    }
    assert result["lost"] == 0
    assert result["not_accepted"] == 0
    for run in result["runs"]:  # every submit was answered with a 2xx by both
        assert run["ours_failed"] == 0 and run["bare_failed"] == 0
    # Each of ours redrew its card through the connector; the bare bot replied to each of its own after acking.
    answered = 2 * (10 + 6) + result["warmup_submits"]
    assert result["cards_redrawn"] == answered
    assert result["bare_replies"] == answered
