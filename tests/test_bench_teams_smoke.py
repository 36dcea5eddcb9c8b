"""bench.teams_interaction at a tiny size: it runs end to end, prints every figure, and loses no answer."""

from __future__ import annotations

import json

import pytest

from bench.teams_interaction import main

KEYS = {"ours_p50_ms", "ours_p99_ms", "ours_rps", "bare_rps", "throughput_ratio", "lost", "goals"}


def test_a_small_run_prints_every_figure_and_loses_no_answer(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--clicks", "20", "--rate", "50", "--concurrency", "8"])

    result = json.loads(capsys.readouterr().out)
    assert result.keys() >= KEYS
    assert result["goals"] == {"ours_p99_ms": "<= 50", "throughput_ratio": ">= 0.5", "lost": 0}
    assert result["submits"] == 20
    assert result["lost"] == 0
    assert result["not_accepted"] == 0
    # Every submit was answered with a 2xx by both, and each of ours redrew its card through the connector.
    for run in ("ours_open_loop", "ours_closed_loop", "bare_open_loop", "bare_closed_loop"):
        assert result[run]["failed"] == 0, run
    assert result["cards_redrawn"] == 2 * 20 + result["warmup_submits"]
    assert result["ours_rps"] > 0
    assert result["bare_rps"] > 0
