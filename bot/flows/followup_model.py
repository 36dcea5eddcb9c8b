"""The follow-up flow's ports and small types: reminders, button values, the team's clock and who may act."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.errors import DomainError
from bot.flows import row_values
from bot.organisation import Team
from bot.plan import ActionStatus, DevelopmentPlan
from bot.pulse import PulseRound
from bot.results import RoundTallies
from bot.success import Success

PREFIX = "followup."
STATUS = PREFIX + "status"  # value "action:123:done"
DISCUSSED = PREFIX + "discussed"  # value "plan:7", what was decided (optional) in the form under NOTE_FIELD
REMIND = PREFIX + "remind"  # value "plan:7", the time in words in the form under WHEN_FIELD
OPEN = PREFIX + "open"  # value "team:3": a wellbeing officer opens a team's follow-up from an escalation
ANSWER = PREFIX + "answer"  # value "answer:7:12": plan 7 answers round 12's comments, the words under ANSWER_FIELD
WHEN_FIELD = "followup_when"
ANSWER_FIELD = "followup_answer"
NOTE_FIELD = "followup_note"  # what was decided in the meeting, sent with DISCUSSED
REMINDER_KIND = "followup"  # reminders.kind; reminders.ref_id is the plan id
TAPPABLE = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.STUCK)  # "planned" is where actions start


@dataclass(frozen=True)
class Reminder:
    """A "remind me later": whom, of what (`kind` and the row `ref_id` points to), and when (aware UTC)."""

    member_id: int
    kind: str
    ref_id: int | None
    remind_at: datetime
    sent: bool = False
    id: int | None = None


class FollowUpPlans(Protocol):
    """Plans as the follow-up needs them (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...

    def get(self, plan_id: int) -> DevelopmentPlan | None: ...

    def all_current(self) -> list[DevelopmentPlan]: ...

    def save(self, plan: DevelopmentPlan) -> DevelopmentPlan: ...

    def record_follow_up(self, plan_id: int, held_on: date, note: str = "") -> DevelopmentPlan: ...


class SuccessReader(Protocol):
    """A team's successes (storage's SuccessRepository fits)."""

    def for_team(self, team_id: int, since: datetime | None = None) -> list[Success]: ...


class PulseReader(Protocol):
    """Past pulse rounds and their counters (storage's PulseRepository fits)."""

    def rounds(self, org_id: int) -> list[PulseRound]: ...

    def tallies(self, round_id: int) -> RoundTallies: ...

    def comments(self, round_id: int) -> list[tuple[int, str]]: ...


class ReminderStore(Protocol):
    """Reminders (storage's ReminderRepository fits)."""

    def schedule(self, reminder: Reminder) -> Reminder: ...

    def due(self, kind: str, now: datetime) -> list[Reminder]: ...

    def claim(self, reminder_id: int) -> bool: ...

    def cancel(self, kind: str, ref_id: int) -> int: ...

    def pending_about(self, kind: str, ref_id: int) -> list[Reminder]: ...


class EscalationStore(Protocol):
    """Which missed follow-up due dates have been escalated (storage's EscalationRepository fits)."""

    def claim(self, plan_id: int, due_on: date) -> bool: ...


# --- Button values: short tokens that point to rows, never state ---------------------------------------------


def action_value(action_id: int | None, status: ActionStatus) -> str:
    """The value of a status button: which action, and the status it sets."""
    if action_id is None:
        raise ValueError("an action without an id cannot be pointed to")
    return f"action:{action_id}:{status.value}"


def parse_action_value(value: str) -> tuple[int, ActionStatus]:
    """The action and status a status button names; anything malformed is "not found", like a row from elsewhere."""
    kind, _, rest = value.partition(":")
    number, _, status = rest.partition(":")
    if kind != "action" or status not in {s.value for s in TAPPABLE}:
        raise DomainError("followup.not_found")
    return _row_id(number), ActionStatus(status)


def parse_row_value(value: str, kind: str) -> int:
    """The id in a "plan:7" or "team:3" value of the expected kind."""
    return row_values.parse_row_value(value, kind, "followup.not_found")


def answer_value(plan_id: int | None, round_id: int) -> str:
    """The value of the "you said – we do" button: which plan's team answers which round's comments."""
    if plan_id is None:
        raise ValueError("a plan without an id cannot be pointed to")
    return f"answer:{plan_id}:{round_id}"


def parse_answer_value(value: str) -> tuple[int, int]:
    """The plan and the round an answer button names."""
    kind, _, rest = value.partition(":")
    plan, _, round_id = rest.partition(":")
    if kind != "answer":
        raise DomainError("followup.not_found")
    return _row_id(plan), _row_id(round_id)


def _row_id(number: str) -> int:
    return row_values.row_id(number, "followup.not_found")


# --- Who may act, and the team's clock ------------------------------------------------------------------------


def find_team(teams: Sequence[Team], team_id: int) -> Team | None:
    """The team with that id among the given ones."""
    return next((t for t in teams if t.id == team_id), None)
