"""The dashboard's "riskiest first" rule: a score from what the organisation table shows, with its reasons."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.web.dashboard.models import CellState, IndexCell, RateCell
from bot.formatting import format_percent
from bot.i18n import translate
from bot.plan import ActionStatus

OVERDUE_POINTS = 4
OVERDUE_MONTH_POINTS_MAX = 3
NO_PLAN_POINTS = 3
BELOW_LIMIT_POINTS = 2
STUCK_POINTS = 1
LATE_POINTS = 1
LOW_RESPONSE_POINTS = 1
LOW_RESPONSE_RATE = 0.5
DUE_SOON_POINTS = 1
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Risk:
    """A team's score and the reasons behind it, most serious first."""

    score: int
    reasons: tuple[str, ...]


def team_risk(
    *,
    has_plan: bool,
    agreed: bool,
    days_left: int | None,
    indices: Sequence[IndexCell],
    actions: Mapping[ActionStatus, int],
    response_rate: RateCell,
    language: str,
    late_actions: int = 0,
    late_and_stuck: int = 0,
) -> Risk:
    """The score of one team's row, and its reasons in the viewer's language.

    The rule, in order of weight:
    - the 3-month follow-up limit has passed: 4 points, and 1 more for every full 30 days past it (at most 3 more);
    - no development plan, or one the team has not agreed yet: 3 points (nothing is being followed up);
    - each foundation dimension whose latest shown index is under its risk limit: 2 points;
    - each stuck action: 1 point;
    - each action past its day and not done (`late_actions`): 1 point, unless it is stuck and counted already
      (`late_and_stuck` of them);
    - the latest shown response rate is under 50 %: 1 point (too few voices to trust the picture);
    - the follow-up limit comes within 14 days: 1 point.
    Only figures the anonymity rules let the table show take part, so a score never hints at a hidden result.
    The organisation view sorts by score, then by fewest days left to the follow-up limit, then by name.
    """
    score = 0
    reasons: list[str] = []
    if days_left is not None and days_left < 0:
        late = -days_left
        score += OVERDUE_POINTS + min(OVERDUE_MONTH_POINTS_MAX, late // 30)
        reasons.append(translate(language, "dashboard.risk.overdue", days=late))
    if not has_plan:
        score += NO_PLAN_POINTS
        reasons.append(translate(language, "dashboard.risk.no_plan"))
    elif not agreed:
        score += NO_PLAN_POINTS
        reasons.append(translate(language, "dashboard.risk.not_agreed"))
    for cell in indices:
        if cell.state is CellState.SHOWN and cell.below_risk_limit:
            assert cell.value is not None and cell.risk_limit is not None  # below_risk_limit checked both
            score += BELOW_LIMIT_POINTS
            reasons.append(
                translate(
                    language,
                    "dashboard.risk.below_limit",
                    dimension=cell.name,
                    # Rounded down: 79.6 % must not read "80 %, below the risk limit 80 %".
                    index=format_percent(math.floor(cell.value), language),
                    limit=format_percent(cell.risk_limit, language),
                )
            )
    stuck = actions.get(ActionStatus.STUCK, 0)
    if stuck:
        score += STUCK_POINTS * stuck
        reasons.append(translate(language, "dashboard.risk.stuck", count=stuck))
    if late_actions:
        score += LATE_POINTS * (late_actions - late_and_stuck)
        reasons.append(translate(language, "dashboard.risk.late_actions", count=late_actions))
    rate = response_rate.value
    if response_rate.state is CellState.SHOWN and rate is not None and rate < LOW_RESPONSE_RATE:
        score += LOW_RESPONSE_POINTS
        reasons.append(translate(language, "dashboard.risk.low_response", rate=format_percent(rate * 100, language)))
    if days_left is not None and 0 <= days_left <= DUE_SOON_DAYS:
        score += DUE_SOON_POINTS
        reasons.append(translate(language, "dashboard.risk.due_soon", days=days_left))
    return Risk(score, tuple(reasons))
