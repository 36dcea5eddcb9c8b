"""Teams test fixtures: the flow fixtures (whose demo counts its row ids from 1, for stable goldens) and activities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.bot.flows.conftest import START, Demo, chat, clock, demo  # noqa: F401

ACTIVITIES = Path(__file__).parent / "activities"


def activity(name: str) -> dict[str, Any]:
    """A captured-format activity from tests/teams/activities/."""
    loaded: dict[str, Any] = json.loads((ACTIVITIES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded
