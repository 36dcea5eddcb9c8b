"""What the pulse flow adds to the pulse repository: comments, the one reminder, the open round of a team."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import DomainError
from bot.pulse import PulseRound
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from tests.storage_helpers import make_org

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def setup(db: Database) -> tuple[PulseRepository, int, dict[str, int], dict[str, list[int]]]:
    org = make_org(db, {"koti": 6, "ruoka": 4})
    teams = {t.key: t.id for t in org.teams}
    members = {k: [m.id for m in OrganisationRepository(db).members(teams[k])] for k in teams}
    return PulseRepository(db), org.id, teams, members


def new_round(repo: PulseRepository, org_id: int, team_ids: list[int], opens: datetime, days: int = 7) -> int:
    created = repo.create_round(
        org_id, PulseRound(opens, opens + timedelta(days=days), {t: ("FE1", "YI1") for t in team_ids}), {}
    )
    assert created.id is not None
    return created.id


def test_a_comment_is_saved_with_the_answers_and_never_with_a_refused_one(db: Database) -> None:
    repo, org_id, teams, members = setup(db)
    round_id = new_round(repo, org_id, list(teams.values()), NOW)
    repo.record_answers(round_id, members["koti"][0], teams["koti"], {"FE1": 4}, comment="Hyvä meininki")
    repo.record_answers(round_id, members["ruoka"][0], teams["ruoka"], {"FE1": 2}, comment="Kiire")
    repo.record_answers(round_id, members["koti"][1], teams["koti"], {"FE1": 3}, comment="Aamuvuorot raskaita")
    with pytest.raises(DomainError):
        repo.record_answers(round_id, members["koti"][0], teams["koti"], {"FE1": 1}, comment="Toinen yritys")
    repo.settle(round_id)  # the round's close mixes what waits below the threshold
    # Sorted by team and text, not by when they came, so the order says nothing of who wrote which.
    assert repo.comments(round_id) == [
        (teams["koti"], "Aamuvuorot raskaita"),
        (teams["koti"], "Hyvä meininki"),
        (teams["ruoka"], "Kiire"),
    ]
    assert repo.tallies(round_id).tallies[0].respondents == 2


def test_the_reminder_is_claimed_once_even_by_racing_callers(db: Database) -> None:
    repo, org_id, teams, _members = setup(db)
    round_id = new_round(repo, org_id, [teams["koti"]], NOW)
    other = new_round(repo, org_id, [teams["koti"]], NOW)
    with ThreadPoolExecutor(max_workers=6) as pool:
        claims = list(pool.map(lambda _: repo.claim_reminder(round_id), range(6)))
    assert claims.count(True) == 1
    assert repo.claim_reminder(other) is True  # each round has its own reminder
    assert repo.claim_reminder(987_654) is False


def test_the_open_round_of_a_team(db: Database) -> None:
    repo, org_id, teams, _members = setup(db)
    old = new_round(repo, org_id, [teams["koti"]], NOW - timedelta(days=30))
    both = new_round(repo, org_id, [teams["koti"], teams["ruoka"]], NOW - timedelta(days=2))
    newer = new_round(repo, org_id, [teams["koti"]], NOW - timedelta(days=1))
    assert old and both and newer
    assert (found := repo.open_round_for([teams["koti"]], NOW)) is not None and found.id == newer
    assert (found := repo.open_round_for([teams["ruoka"]], NOW)) is not None and found.id == both
    assert repo.open_round_for([teams["ruoka"]], NOW + timedelta(days=5)) is None  # closed by then
    assert repo.open_round_for([teams["koti"]], NOW - timedelta(days=40)) is None  # not open yet
    assert repo.open_round_for([], NOW) is None
