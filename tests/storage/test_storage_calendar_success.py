"""The calendar and successes round-trip on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.calendar import AnnualCalendar, CalendarStep, StepKind, default_calendar
from bot.success import Success
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.success_repository import SuccessRepository
from tests.storage_helpers import make_org


def test_calendar_defaults_until_saved_then_reads_back(db: Database) -> None:
    org = make_org(db, {"koti": 5})
    repo = CalendarRepository(db)
    assert repo.get(org.id) == default_calendar()
    custom = AnnualCalendar(
        steps=(
            CalendarStep("survey", StepKind.SURVEY, month=2, day=1),
            CalendarStep("review", StepKind.RESULTS_REVIEW, after="survey", offset_days=21, units=("koti",)),
        ),
        pulse_every_weeks=2,
        send_hour=8,
    )
    repo.save(org.id, custom)
    assert repo.get(org.id) == custom
    repo.save(org.id, replace(custom, send_hour=10))
    assert repo.get(org.id).send_hour == 10


def test_successes_are_listed_newest_first_and_counted_per_target(db: Database) -> None:
    org = make_org(db, {"koti": 5})
    team = org.teams[0]
    author, friend = (m.id for m in OrganisationRepository(db).members(team.id)[:2])
    repo = SuccessRepository(db)
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    first = repo.add(Success(team.id, "Vuorolista ajallaan", now - timedelta(days=3), author, (friend, friend)))
    repo.add(Success(team.id, "Kiitoskortti", now, friend))
    assert first.mentioned_ids == (friend,)
    listed = repo.for_team(team.id)
    assert [s.text for s in listed] == ["Kiitoskortti", "Vuorolista ajallaan"]
    assert listed[1].posted_at == now - timedelta(days=3)
    assert [s.text for s in repo.for_team(team.id, since=now - timedelta(days=1))] == ["Kiitoskortti"]
    assert repo.count_by_target(team.id) == {}


def test_successes_posted_since_and_counted_per_target_for_every_team_at_once(db: Database) -> None:
    org = make_org(db, {"koti": 5, "ruoka": 5})
    koti, ruoka = org.teams
    repo = SuccessRepository(db)
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    repo.add(Success(koti.id, "Vanha", now - timedelta(days=40)))
    repo.add(Success(koti.id, "Uusi", now - timedelta(days=2)))
    repo.add(Success(ruoka.id, "Tänään", now))

    assert repo.posted_since(now - timedelta(days=30)) == {koti.id: [now - timedelta(days=2)], ruoka.id: [now]}
    assert repo.count_by_target_of_all() == {}
