"""Needs beyond the team: what the supervisor carries to the organisation (resources, another unit, policy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.errors import DomainError

MAX_NEED_TEXT = 500  # what is needed, in a sentence or two: the officer reads a list of them
MAX_RESPONSE_TEXT = 1000  # what was done with it, as the team will read it in its channel


class NeedKind(StrEnum):
    """What the team cannot change itself, as the model lists it."""

    RESOURCES = "resources"
    OTHER_UNIT = "other_unit"
    POLICY = "policy"


class NeedSource(StrEnum):
    """Where the need came up: a target of the plan, a choice of the team (never whose), or a follow-up."""

    TARGET = "target"
    CHOICE = "choice"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class OrgNeed:
    """One need carried to the organisation, and what the wellbeing officer recorded was done with it.

    It names its team and what it is about, never who raised or chose it: a choice is the team's tally item.
    """

    team_id: int
    source: NeedSource
    kind: NeedKind
    text: str
    raised_at: datetime
    subject: str = ""  # the target's or choice's words; empty for a follow-up
    response: str = ""
    responded_at: datetime | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        """True until the officer has recorded what was done."""
        return self.responded_at is None


def need_text(raw: str | None) -> str:
    """The need as typed, spaces tidied; refuses an empty or over-long one."""
    text = " ".join((raw or "").split())
    if not text:
        raise DomainError("needs.empty_text")
    if len(text) > MAX_NEED_TEXT:
        raise DomainError("needs.too_long", max=MAX_NEED_TEXT)
    return text


def response_text(raw: str | None) -> str:
    """What was done, as typed (line breaks kept); refuses an empty or over-long one."""
    text = "\n".join(line.rstrip() for line in (raw or "").replace("\r\n", "\n").strip().split("\n"))
    if not text:
        raise DomainError("needs.empty_response")
    if len(text) > MAX_RESPONSE_TEXT:
        raise DomainError("needs.response_too_long", max=MAX_RESPONSE_TEXT)
    return text
