"""bench.fanout at a tiny size: rounds through the real server and both real ports arrive once each, and every figure
the results table reads is printed."""

from __future__ import annotations

import json

import pytest

from bench.fanout import main


def test_a_small_fanout_through_the_real_ports_delivers_each_card_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--members", "40", "--teams", "4", "--rounds", "2", "--only", "unlimited_1_worker"])

    result = json.loads(capsys.readouterr().out)
    for platform in ("slack", "teams"):
        real = result[platform]
        assert [run["cards"] for run in real["rounds"]] == [40, 40], platform
        assert (real["duplicates"], real["lost"]) == (0, 0), platform
        assert real["per_s_spread"]["runs"] == 2
        assert real["peak_rss_mb"] >= real["rss_before_rounds_mb"] > 0
    assert result["peak_rss_mb"] == max(result["slack"]["peak_rss_mb"], result["teams"]["peak_rss_mb"])
    assert (result["outbox_duplicates"], result["outbox_lost"]) == (0, 0)
    assert result["outbox_unlimited_per_s"] > 0
    assert result["outbox_unlimited_per_s_spread"]["runs"] == 2  # the outbox's runs repeat as the real rounds do
