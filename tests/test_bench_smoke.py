"""The small benches at tiny sizes, and bench/results.md's table: each figure's median beside its spread and goal."""

from __future__ import annotations

import json
import operator

import pytest

from bench import cli, dates, outbox
from bench.run_all import Bench, Goal, earlier_rows, table


def test_the_cli_bench_prints_each_figure_with_its_spread(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["--runs", "2"])

    result = json.loads(capsys.readouterr().out)
    assert result["tyhy_help_s_spread"]["runs"] == 2
    assert result["tyhy_help_s_spread"]["min"] <= result["tyhy_help_s"] <= result["tyhy_help_s_spread"]["max"]


def test_the_outbox_bench_drains_every_row_on_both_backends(capsys: pytest.CaptureFixture[str]) -> None:
    outbox.main(["--rows", "40", "--repeats", "2"])

    result = json.loads(capsys.readouterr().out)
    for backend in ("sqlite", "postgresql"):
        run = result[backend]["1_worker_batch_50"]
        assert run["sent_per_worker"] == [[40], [40]], backend
        assert run["drain_rows_per_s_spread"]["runs"] == 2


def test_the_results_table_shows_the_median_its_spread_and_says_when_a_spread_is_missing() -> None:
    bench = Bench(
        "bench.example",
        (),
        (Goal("rate", operator.ge, 10, "≥ 10/s"), Goal("lost", operator.le, 0, "0")),
    )
    result = {"rate": 12.0, "rate_spread": {"median": 12.0, "min": 8.5, "max": 14.0, "runs": 5}, "lost": 1}

    lines = table([(bench, result, "", 3.0)], "0.1 / 0.1 / 0.1").splitlines()

    assert "| `bench.example` | `rate` | 12.0 | 8.5–14.0 (5 runs) | ≥ 10/s | yes |" in lines
    assert "| `bench.example` | `lost` | 1 | not reported | 0 | **no** |" in lines


def test_the_dates_bench_prints_its_first_call_and_warm_median_with_their_spread(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dates.main(["--rounds", "5", "--fresh-runs", "1"])

    result = json.loads(capsys.readouterr().out)
    assert result["first_call_s_spread"]["runs"] == 3  # one new process per language
    assert result["median_ms_spread"]["runs"] == 5
    assert result["own_table"]["ours"]["total"] > 0


def test_a_partial_run_keeps_the_other_benches_rows_under_the_time_they_were_measured() -> None:
    rerun = Bench("bench.example", (), (Goal("rate", operator.ge, 10, "≥ 10/s"),))
    earlier_file = "\n".join(
        [
            "Measured 2026-12-01 10:00 UTC by `make bench` on 2 CPUs.",
            "| `bench.example` | `rate` | 3.0 | 2.0–4.0 (5 runs) | ≥ 10/s | **no** |",
            "| `bench.other --postgres` | `lost` | 0 | not reported | 0 | yes |",
        ]
    )
    kept = earlier_rows(earlier_file, {rerun.label})
    result = {"rate": 12.0, "rate_spread": {"median": 12.0, "min": 11.0, "max": 13.0, "runs": 5}}

    text = table([(rerun, result, "", 3.0)], "0.1 / 0.1 / 0.1", kept)

    assert "| `bench.example` | `rate` | 12.0 | 11.0–13.0 (5 runs) | ≥ 10/s | yes |" in text
    assert "3.0 | 2.0–4.0" not in text  # the re-run bench's old row is gone
    not_run = text.split("## Not run this time")[1]
    assert "Measured 2026-12-01 10:00 UTC" in not_run
    assert "| `bench.other --postgres` | `lost` | 0 | not reported | 0 | yes |" in not_run
