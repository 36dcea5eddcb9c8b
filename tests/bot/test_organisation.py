"""A team's clock: its own time zone, and Helsinki when the name is one no time zone database knows."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.organisation import Team, team_time, zone_or_default


def test_a_known_zone_is_used_and_an_unknown_one_falls_back_to_helsinki() -> None:
    noon = datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert str(zone_or_default("Europe/Stockholm")) == "Europe/Stockholm"
    for typo in ("Europe/Helsingfors", "", "../etc/passwd"):
        assert str(zone_or_default(typo)) == "Europe/Helsinki"
    assert team_time(noon, Team(1, "k", "Kotihoito", timezone="Mars/Olympus")).hour == 14
