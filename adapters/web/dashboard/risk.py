"""The dashboard's "riskiest first" rule: a score from what the organisation table shows, with its reasons."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from adapters.web.dashboard.models import CellState, IndexCell, RateCell
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.plan import ActionStatus

OVERDUE_POINTS = 4
OVERDUE_MONTH_POINTS_MAX = 3
NO_PLAN_POINTS = 3
BELOW_LIMIT_POINTS = 2
EVALUATION_WAITING_POINTS = 2
HIDDEN_ROUND_POINTS = 1  # per round in a row, newest first
HIDDEN_ROUNDS_MAX = 3
NO_RESULTS_POINTS = 1
TARGET_WITHOUT_ACTIONS_POINTS = 1
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
    rates: Sequence[RateCell],
    language: str,
    targets_without_actions: int = 0,
    evaluation_waiting_since: date | None = None,
    late_actions: int = 0,
    late_and_stuck: int = 0,
    draft_on_time: bool = False,
) -> Risk:
    """The score of one team's row, and its reasons in the viewer's language.

    No data is a risk too: a team that has gone silent must never look like the healthiest one. The rule, in order
    of weight (`legend` says the same to the reader):
    - the 3-month follow-up limit has passed: 4 points, and 1 more for every full 30 days past it (at most 3 more);
    - no development plan, or one the team has not agreed yet: 3 points (nothing is being followed up); a draft whose
      day to be agreed by is still to come (`draft_on_time`: next year's, written at the year-end evaluation) is
      the process going as it should, and counts nothing;
    - each foundation dimension whose index in the row's round is under its risk limit: 2 points;
    - the year-end evaluation's day has passed without an answer: 2 points;
    - the latest pulse rounds' results are hidden: 1 point for each such round in a row (at most 3);
    - no closed pulse round has asked the team's group at all: 1 point;
    - the latest shown response rate is under 50 %: 1 point (too few voices to trust the picture);
    - each target without actions, and each stuck action: 1 point;
    - each action past its day and not done (`late_actions`): 1 point, unless it is stuck and counted already
      (`late_and_stuck` of them);
    - the follow-up limit comes within 14 days: 1 point.
    `rates` are the group's closed rounds, oldest first. Only figures the anonymity rules let the table show take
    part, so a score never hints at a hidden result: a hidden round counts the same whatever hid it.
    The organisation view sorts by score, then by fewest days left to the follow-up limit, then by name.
    """
    score = 0
    reasons: list[str] = []

    def add(points: int, key: str, **params: object) -> None:
        nonlocal score
        score += points
        reasons.append(translate(language, key, **params))

    if days_left is not None and days_left < 0:
        late = -days_left
        add(OVERDUE_POINTS + min(OVERDUE_MONTH_POINTS_MAX, late // 30), "dashboard.risk.overdue", days=late)
    if not has_plan:
        add(NO_PLAN_POINTS, "dashboard.risk.no_plan")
    elif not agreed and not draft_on_time:
        add(NO_PLAN_POINTS, "dashboard.risk.not_agreed")
    for cell in indices:
        if cell.state is CellState.SHOWN and cell.below_risk_limit:
            assert cell.value is not None and cell.risk_limit is not None  # below_risk_limit checked both
            add(
                BELOW_LIMIT_POINTS,
                "dashboard.risk.below_limit",
                dimension=cell.name,
                # Rounded down: 79.6 % must not read "80 %, below the risk limit 80 %".
                index=format_percent(math.floor(cell.value), language),
                limit=format_percent(cell.risk_limit, language),
            )
    if evaluation_waiting_since is not None:
        due = format_date(evaluation_waiting_since, language)
        add(EVALUATION_WAITING_POINTS, "dashboard.risk.evaluation_waiting", date=due)
    hidden = _hidden_in_a_row(rates)
    if hidden:
        add(HIDDEN_ROUND_POINTS * min(HIDDEN_ROUNDS_MAX, hidden), "dashboard.risk.hidden_rounds", count=hidden)
    if not rates:
        add(NO_RESULTS_POINTS, "dashboard.risk.no_results")
    latest = rates[-1].value if rates and rates[-1].state is CellState.SHOWN else None
    if latest is not None and latest < LOW_RESPONSE_RATE:
        add(LOW_RESPONSE_POINTS, "dashboard.risk.low_response", rate=format_percent(latest * 100, language))
    if targets_without_actions:
        points = TARGET_WITHOUT_ACTIONS_POINTS * targets_without_actions
        add(points, "dashboard.risk.targets_without_actions", count=targets_without_actions)
    stuck = actions.get(ActionStatus.STUCK, 0)
    if stuck:
        add(STUCK_POINTS * stuck, "dashboard.risk.stuck", count=stuck)
    if late_actions:
        add(LATE_POINTS * (late_actions - late_and_stuck), "dashboard.risk.late_actions", count=late_actions)
    if days_left is not None and 0 <= days_left <= DUE_SOON_DAYS:
        add(DUE_SOON_POINTS, "dashboard.risk.due_soon", days=days_left)
    return Risk(score, tuple(reasons))


def _hidden_in_a_row(rates: Sequence[RateCell]) -> int:
    """How many of the newest rounds in a row show nothing of the group."""
    count = 0
    for rate in reversed(rates):
        if rate.state is not CellState.HIDDEN:
            break
        count += 1
    return count


@dataclass(frozen=True)
class LegendLine:
    """One part of the rule as the reader sees it beside the table: its points and what earns them."""

    points: int
    text: str


def legend(language: str) -> tuple[LegendLine, ...]:
    """The rule above in the reader's language, heaviest first; its numbers are the constants the rule uses."""

    def line(points: int, key: str, **params: object) -> LegendLine:
        return LegendLine(points, translate(language, f"dashboard.risk.legend.{key}", **params))

    return (
        line(OVERDUE_POINTS, "overdue", more=OVERDUE_MONTH_POINTS_MAX),
        line(NO_PLAN_POINTS, "no_plan"),
        line(BELOW_LIMIT_POINTS, "below_limit"),
        line(EVALUATION_WAITING_POINTS, "evaluation_waiting"),
        line(HIDDEN_ROUND_POINTS, "hidden_rounds", most=HIDDEN_ROUNDS_MAX),
        line(NO_RESULTS_POINTS, "no_results"),
        line(LOW_RESPONSE_POINTS, "low_response", rate=format_percent(LOW_RESPONSE_RATE * 100, language)),
        line(TARGET_WITHOUT_ACTIONS_POINTS, "targets_without_actions"),
        line(STUCK_POINTS, "stuck"),
        line(LATE_POINTS, "late_actions"),
        line(DUE_SOON_POINTS, "due_soon", days=DUE_SOON_DAYS),
    )
