"""Flow fixtures: the demo organisation in a real database, a movable clock and the in-memory chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from adapters.server.wiring import build_conversation
from bot.organisation import Member, Organisation, Role, Team
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.bot.flows.fake_chat import FakeChat
from tests.demo_copy import demo_in

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday, 10:00 in Helsinki


@dataclass
class Clock:
    """Now, as the bot sees it; tests move it forward."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Demo:
    """The demo organisation, with quick ways to pick people."""

    db: Database
    org: Organisation
    members: list[Member]

    def team(self, key: str) -> Team:
        team = self.org.team_by_key(key)
        assert team is not None
        return team

    def person(self, name: str) -> Member:
        return next(m for m in self.members if m.name.startswith(name))

    def staff(self, key: str) -> list[Member]:
        return [m for m in self.members if self.team(key).id in m.team_ids]

    def supervisor(self, key: str) -> Member:
        return next(m for m in self.staff(key) if m.role is Role.SUPERVISOR)

    def refresh(self) -> None:
        self.members = OrganisationRepository(self.db).members()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def demo(db: Database) -> Demo:
    """The demo organisation, its row ids counted from 1 on both backends (golden files hold them)."""
    org = demo_in(db, START)
    return Demo(db, org, OrganisationRepository(db).members())


@pytest.fixture
def chat(demo: Demo, clock: Clock) -> FakeChat:
    return FakeChat(build_conversation(demo.db, clock))
