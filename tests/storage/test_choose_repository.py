"""Choosing sessions in the database: open and closed, picks replaced whole, pairs drawn once, stages moved once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.flows.choose_model import Pick, PickKind, Stage
from bot.organisation import Organisation
from storage.choose_repository import ChooseRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.demo_copy import demo_in

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
S, T = PickKind.STRENGTH, PickKind.TARGET


@pytest.fixture
def org(db: Database) -> Organisation:
    return demo_in(db, NOW)


def _team_and_members(db: Database, org: Organisation) -> tuple[int, list[int]]:
    team = org.team_by_key("kotihoito")
    assert team is not None
    return team.id, [m.id for m in OrganisationRepository(db).members(team.id)]


def test_a_session_is_open_until_done_or_past_its_closing_time(db: Database, org: Organisation) -> None:
    repo = ChooseRepository(db)
    team_id, members = _team_and_members(db, org)
    assert repo.open_for_team(team_id, NOW) is None
    session = repo.start(team_id, members[0], NOW, NOW + timedelta(days=14))
    assert session.stage is Stage.ME and session.started_at == NOW and session.closes_at.tzinfo is not None
    assert repo.open_for_team(team_id, NOW + timedelta(days=13)) == session
    assert repo.open_for_team(team_id, NOW + timedelta(days=14)) is None
    assert session.is_open(NOW) and not session.is_open(NOW + timedelta(days=14))
    assert repo.advance(session.id, Stage.ME, Stage.DONE)
    assert repo.open_for_team(team_id, NOW) is None
    assert repo.get(session.id).stage is Stage.DONE  # type: ignore[union-attr]
    assert repo.get(999_999) is None


def test_picks_replace_a_persons_earlier_ones_and_close_with_the_pairs(db: Database, org: Organisation) -> None:
    repo = ChooseRepository(db)
    team_id, (anna, juha, liisa, *_) = _team_and_members(db, org)
    session = repo.start(team_id, None, NOW, NOW + timedelta(days=14))
    assert repo.replace_picks(session.id, anna, [Pick(anna, S, "FE"), Pick(anna, T, "Perehdytys")])
    assert repo.replace_picks(session.id, juha, [Pick(juha, S, "YI")])
    assert repo.replace_picks(session.id, anna, [Pick(anna, T, "PR")])
    assert repo.picks(session.id) == [Pick(juha, S, "YI"), Pick(anna, T, "PR")]
    assert repo.picks(session.id, [anna]) == [Pick(anna, T, "PR")]

    assert repo.save_pairs(session.id, [(anna, juha)])
    assert repo.pairs(session.id) == (tuple(sorted((anna, juha))),)
    assert repo.get(session.id).stage is Stage.US  # type: ignore[union-attr]
    assert not repo.save_pairs(session.id, [(anna, liisa)])  # drawn once
    assert not repo.replace_picks(session.id, liisa, [Pick(liisa, S, "PL")])  # closed
    assert repo.pairs(session.id) == (tuple(sorted((anna, juha))),)
    assert repo.picks(session.id, [liisa]) == []


def test_a_stage_moves_only_from_where_the_caller_saw_it(db: Database, org: Organisation) -> None:
    repo = ChooseRepository(db)
    team_id, members = _team_and_members(db, org)
    session = repo.start(team_id, members[0], NOW, NOW + timedelta(days=1))
    assert not repo.advance(session.id, Stage.US, Stage.ALL)
    assert repo.advance(session.id, Stage.ME, Stage.US)
    assert repo.advance(session.id, Stage.US, Stage.ALL)
    assert not repo.advance(session.id, Stage.US, Stage.ALL)  # a double tap acts once
    assert repo.get(session.id).stage is Stage.ALL  # type: ignore[union-attr]


def test_the_newest_open_session_is_the_teams(db: Database, org: Organisation) -> None:
    repo = ChooseRepository(db)
    team_id, members = _team_and_members(db, org)
    repo.start(team_id, members[0], NOW - timedelta(days=1), NOW + timedelta(days=5))
    newer = repo.start(team_id, members[0], NOW, NOW + timedelta(days=5))
    assert repo.open_for_team(team_id, NOW) == newer
