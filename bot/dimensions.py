"""The eight wellbeing dimensions the pulse questions measure, and the risk limits of the foundation three."""

from __future__ import annotations

from enum import StrEnum


class Dimension(StrEnum):
    """A dimension of the Quality of Working Life model; the value is its short code."""

    SAFETY = "FE"  # physical and emotional safety (foundation)
    BELONGING = "YI"  # belonging and identity (foundation)
    GOALS = "PL"  # goals and creativity (foundation)
    SUPERVISOR_WORK = "SW"
    COMPETENCE = "CO"
    LEADERSHIP = "LE"
    PROCESSES = "PR"
    CULTURE = "OC"  # operating culture


# Below these index values (0-100 %) personnel risks, errors and costs rise (DOMAIN.md).
RISK_LIMITS: dict[Dimension, float] = {
    Dimension.SAFETY: 80.0,
    Dimension.BELONGING: 75.0,
    Dimension.GOALS: 70.0,
}


def risk_limit(dimension: Dimension) -> float | None:
    """The risk limit of a foundation dimension, or None for a capability dimension."""
    return RISK_LIMITS.get(dimension)
