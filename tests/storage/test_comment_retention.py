"""Comments go once their round closed more than the retention ago; newer ones, counts and successes stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.pulse import PulseRound
from bot.success import Success
from storage.comment_retention import delete_old_comments, retention_cutoff, retention_months_from_env
from storage.db import Database
from storage.models import ChoosePickRow, ChooseSessionRow
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository
from tests.storage_helpers import make_org

NOW = datetime(2027, 3, 15, 3, 0, tzinfo=UTC)
CUTOFF = datetime(2025, 3, 15, 3, 0, tzinfo=UTC)  # 24 calendar months before NOW


def round_with_comment(db: Database, closes_at: datetime, comment: str) -> int:
    """A round closing at `closes_at` in which two people answered and one commented."""
    org = OrganisationRepository(db).get() or make_org(db, {"koti": 5})
    team = org.teams[0].id
    people = [m.id for m in OrganisationRepository(db).members(team)]
    pulses = PulseRepository(db)
    created = pulses.create_round(org.id, PulseRound(closes_at - timedelta(days=7), closes_at, {team: ("FE1",)}), {})
    assert created.id is not None
    pulses.record_answers(created.id, people[0], team, {"FE1": 4}, comment=comment)
    pulses.record_answers(created.id, people[1], team, {"FE1": 2})
    pulses.settle(created.id)  # closed: mixed into the counters and comments
    return created.id


def test_the_cutoff_is_calendar_months_back() -> None:
    assert retention_cutoff(NOW, 24) == CUTOFF
    assert retention_cutoff(datetime(2027, 3, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_exactly_the_comments_older_than_24_months_go(db: Database) -> None:
    old = round_with_comment(db, CUTOFF - timedelta(days=1), "old words")
    edge = round_with_comment(db, CUTOFF, "closed exactly 24 months ago")
    new = round_with_comment(db, CUTOFF + timedelta(days=1), "newer words")
    pulses = PulseRepository(db)
    tallies = {r: pulses.tallies(r) for r in (old, edge, new)}

    assert delete_old_comments(db, NOW) == 1

    assert pulses.comments(old) == []
    assert [text for _, text in pulses.comments(edge)] == ["closed exactly 24 months ago"]
    assert [text for _, text in pulses.comments(new)] == ["newer words"]
    assert {r: pulses.tallies(r) for r in (old, edge, new)} == tallies  # the anonymous counts stay
    assert delete_old_comments(db, NOW) == 0  # a second daily run finds nothing more


def test_a_shorter_retention_takes_more(db: Database) -> None:
    recent = round_with_comment(db, NOW - timedelta(days=200), "half a year ago")
    kept = round_with_comment(db, NOW - timedelta(days=20), "this month")
    assert delete_old_comments(db, NOW, months=6) == 1
    pulses = PulseRepository(db)
    assert pulses.comments(recent) == [] and len(pulses.comments(kept)) == 1


def test_successes_stay_and_old_personal_picks_go(db: Database) -> None:
    round_with_comment(db, NOW, "current")
    org = OrganisationRepository(db).get()
    assert org is not None
    team = org.teams[0].id
    person = OrganisationRepository(db).members(team)[0].id
    SuccessRepository(db).add(Success(team, "Three years of calm mornings", NOW - timedelta(days=3 * 365)))
    with db.transaction() as session:
        for started, words in ((CUTOFF - timedelta(days=30), "old own words"), (NOW, "fresh own words")):
            choosing = ChooseSessionRow(team_id=team, started_at=started, closes_at=started + timedelta(days=5))
            session.add(choosing)
            session.flush()
            session.add(ChoosePickRow(session_id=choosing.id, member_id=person, kind="target", choice=words))

    assert delete_old_comments(db, NOW) == 1

    assert [s.text for s in SuccessRepository(db).for_team(team)] == ["Three years of calm mornings"]
    with db.transaction() as session:
        assert list(session.scalars(select(ChoosePickRow.choice))) == ["fresh own words"]


def test_the_setting_and_its_default() -> None:
    assert retention_months_from_env({}) == 24
    assert retention_months_from_env({"TYHY_COMMENT_RETENTION_MONTHS": " 12 "}) == 12
    for bad in ("twelve", "0", "-3", "1.5"):
        with pytest.raises(ValueError, match="TYHY_COMMENT_RETENTION_MONTHS"):
            retention_months_from_env({"TYHY_COMMENT_RETENTION_MONTHS": bad})
