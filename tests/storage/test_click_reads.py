"""What every click reads: the member behind a sender in one statement, and a round's fixed parts read once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.org_import import MemberSpec, OrgSpec, UnitSpec
from bot.organisation import Platform, PlatformIdentity, Role
from bot.pulse import PulseRound
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from tests.storage_helpers import statements

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _two_team_member(db: Database) -> OrganisationRepository:
    units = (UnitSpec("koti", "Koti", None, None, None), UnitSpec("keittio", "Keittiö", None, None, None))
    both = MemberSpec("Aino", Role.STAFF, ("keittio", "koti"), "aino@example.fi", "sv", "U1", "29:aino")
    other = MemberSpec("Eero", Role.STAFF, ("koti",), "eero@example.fi", None, "U2", None)
    repository = OrganisationRepository(db)
    repository.apply_import(OrgSpec("Testilä", "fi", None, None, units, (both, other)))
    return repository


def test_the_member_behind_a_sender_comes_with_every_team_and_identity_in_one_statement(db: Database) -> None:
    repository = _two_team_member(db)
    organisation = repository.get()
    assert organisation is not None
    team_ids = tuple(sorted(team.id for team in organisation.teams))
    with statements(db) as sent:
        aino = repository.member_by_identity(Platform.SLACK, "U1", "T1")
    assert len(sent) == 1
    assert aino is not None and (aino.name, aino.role, aino.language) == ("Aino", Role.STAFF, "sv")
    assert aino.team_ids == team_ids
    slack, teams = PlatformIdentity(Platform.SLACK, "U1", ""), PlatformIdentity(Platform.TEAMS, "29:aino", "")
    assert aino.identities == (slack, teams)
    assert repository.member_by_identity(Platform.TEAMS, "29:aino") == aino
    assert repository.member_by_identity(Platform.SLACK, "U3", "T1") is None


def test_a_rounds_fixed_parts_are_read_once_and_a_missing_round_every_time(db: Database) -> None:
    repository = _two_team_member(db)
    organisation = repository.get()
    assert organisation is not None
    koti = next(team.id for team in organisation.teams if team.key == "koti")
    pulses = PulseRepository(db)
    earlier = pulses.create_round(
        organisation.id, PulseRound(NOW - timedelta(days=14), NOW - timedelta(days=7), {koti: ("FE1",)}), {koti: 2}
    )
    current = pulses.create_round(
        organisation.id, PulseRound(NOW, NOW + timedelta(days=7), {koti: ("FE1", "YI1")}), {koti: 2}
    )
    assert current.id is not None and earlier.id is not None
    with statements(db) as sent:
        first = pulses.get_round(current.id, [koti])
        again = pulses.get_round(current.id, [koti])
        before = pulses.previous_round(organisation.id, koti, current)
        before_again = pulses.previous_round(organisation.id, koti, current)
    assert first == again and first is not None and first.team_questions == {koti: ("FE1", "YI1")}
    assert before == before_again and before is not None and before.id == earlier.id
    assert len(sent) == 2  # one read of each; the second of each came from memory
    with statements(db) as sent:
        assert pulses.get_round(current.id + 100, [koti]) is None
        assert pulses.get_round(current.id + 100, [koti]) is None
    assert len(sent) == 2  # a round not found may yet be made: it is asked for again
