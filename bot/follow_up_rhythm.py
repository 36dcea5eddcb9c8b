"""How an overdue follow-up is pursued: the card weekly, the wellbeing officer after two weeks, a capped snooze."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

REMINDER_DAYS_VARIABLE = "TYHY_FOLLOW_UP_REMINDER_DAYS"
ESCALATION_DAYS_VARIABLE = "TYHY_FOLLOW_UP_ESCALATION_DAYS"
SNOOZE_DAYS_VARIABLE = "TYHY_FOLLOW_UP_SNOOZE_DAYS"


@dataclass(frozen=True)
class FollowUpRhythm:
    """Days that shape the overdue rhythm; the same numbers plan the jobs, build the cards and cap `muistuta`.

    - `reminder_days`: the overdue card goes to the supervisor again this often until the follow-up is held.
    - `escalation_days`: this long past the due date the wellbeing officers are told of the team; from then on
      they get one digest of every such team on the first working day of each month.
    - `snooze_days`: "remind me later" reaches at most this far past the due date, so a snooze cannot silence
      an overdue follow-up for good; weekly cards to whoever snoozed wait until their reminder.
    """

    reminder_days: int = 7
    escalation_days: int = 14
    snooze_days: int = 28

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> FollowUpRhythm:
        """The rhythm from TYHY_FOLLOW_UP_REMINDER_DAYS, _ESCALATION_DAYS and _SNOOZE_DAYS (defaults 7, 14, 28)."""
        return cls(
            reminder_days=_days(environ, REMINDER_DAYS_VARIABLE, cls.reminder_days, minimum=1),
            escalation_days=_days(environ, ESCALATION_DAYS_VARIABLE, cls.escalation_days, minimum=1),
            snooze_days=_days(environ, SNOOZE_DAYS_VARIABLE, cls.snooze_days, minimum=0),
        )

    def escalation_day(self, due: date) -> date:
        """The day the wellbeing officers are first told that the follow-up due on `due` was missed."""
        return due + timedelta(days=self.escalation_days)

    def snooze_limit(self, due: date) -> date:
        """The last day a "remind me later" may reach for a follow-up due on `due`."""
        return due + timedelta(days=self.snooze_days)


def _days(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, not {raw!r}") from None
    if days < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {raw!r}")
    return days
