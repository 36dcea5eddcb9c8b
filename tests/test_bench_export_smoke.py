"""bench.export at a tiny size: it runs end to end, prints every figure, and the export is one pass."""

from __future__ import annotations

import json

import pytest

from bench.export import main


def test_a_small_run_prints_every_figure_and_reads_in_one_pass(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--teams", "6", "--small-teams", "2", "--members-per-team", "3", "--repeats", "1"])

    result = json.loads(capsys.readouterr().out)
    assert result["sheets"] == 1 + 6 + 3  # the organisation, each team, calendar, evaluations, undeliverable
    assert result["statements"] == result["statements_at_2_teams"]
    assert result["statements_growth"] == 0
    assert result["export_s"] > 0 and result["bare_openpyxl_s"] > 0
    assert result["goals"] == {"export_s": "<= 30", "statements_growth": "0"}
