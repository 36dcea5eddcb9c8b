"""What the choosing flow reads and writes: sessions and picks, the annual calendar, the team's plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.calendar import AnnualCalendar
from bot.flows.choose_model import ChooseSession, Pick, PickKind, Stage
from bot.plan import DevelopmentPlan


class ChooseStore(Protocol):
    """Choosing sessions, picks and pairs (storage's ChooseRepository fits)."""

    def start(self, team_id: int, started_by: int | None, now: datetime, closes_at: datetime) -> ChooseSession: ...

    def get(self, session_id: int) -> ChooseSession | None: ...

    def open_for_team(self, team_id: int, now: datetime) -> ChooseSession | None: ...

    def replace_picks(self, session_id: int, member_id: int, picks: Sequence[Pick]) -> bool: ...

    def picks(self, session_id: int, member_ids: Sequence[int] | None = None) -> list[Pick]: ...

    def save_pairs(self, session_id: int, pairs: Sequence[Sequence[int]]) -> bool: ...

    def merge_picks(self, session_id: int, kind: PickKind, source_key: str, into_key: str) -> bool: ...

    def pairs(self, session_id: int) -> tuple[tuple[int, ...], ...]: ...

    def advance(self, session_id: int, from_stage: Stage, to_stage: Stage) -> bool: ...


class CalendarReader(Protocol):
    """The organisation's annual calendar (storage's CalendarRepository fits)."""

    def get(self, org_id: int) -> AnnualCalendar: ...


class PlanStore(Protocol):
    """A team's plan, read and saved whole (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...

    def save(self, plan: DevelopmentPlan) -> DevelopmentPlan: ...
