"""bench.slack_interaction at a tiny size: it runs end to end, takes turns, prints every figure, and loses no answer."""

from __future__ import annotations

import json

import pytest

from bench.slack_interaction import main

KEYS = {"ours_p50_ms", "ours_p99_ms", "ours_rps", "bare_rps", "throughput_ratio", "finished_after_last_click_s"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_small_run_prints_every_figure_with_its_spread_and_loses_no_answer(
    capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest, backend: str
) -> None:
    if backend == "postgresql":
        request.getfixturevalue("postgres_database")  # skipped, or failed under TYHY_REQUIRE_POSTGRES, as others
    size = ["--clicks", "10", "--closed-clicks", "6", "--rate", "50", "--concurrency", "4", "--repeats", "2"]
    main(size + (["--postgres"] if backend == "postgresql" else []))

    result = json.loads(capsys.readouterr().out)
    assert result["database"] == ("postgresql, two replicas" if backend == "postgresql" else "sqlite, one server")
    assert result.keys() >= KEYS | {f"{key}_spread" for key in KEYS} | {"lost", "goals"}
    assert result["ours_p99_ms_spread"]["runs"] == 2 and len(result["runs"]) == 2
    assert result["goals"]["finished_after_last_click_s"] == "<= 5"
    assert result["lost"] == 0
    for run in result["runs"]:
        assert run["ours_failed"] == 0 and run["bare_failed"] == 0
