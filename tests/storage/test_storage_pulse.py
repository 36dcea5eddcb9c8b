"""Pulse answers are counters only: exact under concurrency, refused twice, and never linked to a person."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from bot.errors import DomainError
from bot.pulse import PulseRound
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from tests.storage_helpers import make_org

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def open_round(db: Database, team_sizes: dict[str, int]) -> tuple[int, dict[str, int], dict[str, list[int]]]:
    org = make_org(db, team_sizes)
    teams = {t.key: t.id for t in org.teams}
    members = {k: [m.id for m in OrganisationRepository(db).members(teams[k])] for k in teams}
    created = PulseRepository(db).create_round(
        org.id,
        PulseRound(NOW, NOW + timedelta(days=7), {teams[k]: ("FE1", "YI1") for k in teams}),
        invited={teams[k]: len(members[k]) for k in teams},
    )
    assert created.id is not None
    return created.id, teams, members


def test_answers_become_counts_and_respondents(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 6})
    repo = PulseRepository(db)
    repo.record_answers(round_id, members["koti"][0], teams["koti"], {"FE1": 4, "YI1": 0})
    repo.record_answers(round_id, members["koti"][1], teams["koti"], {"FE1": 4, "YI1": 5})
    repo.settle(round_id)  # the round's close mixes what waits below the threshold
    tally = repo.tallies(round_id).tallies[0]
    assert (tally.invited, tally.respondents) == (6, 2)
    assert dict(tally.counts) == {("FE1", 4): 2, ("YI1", 0): 1, ("YI1", 5): 1}
    assert repo.non_responders(round_id, members["koti"]) == members["koti"][2:]


def test_a_second_answer_is_refused_and_changes_nothing(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 6})
    repo = PulseRepository(db)
    repo.record_answers(round_id, members["koti"][0], teams["koti"], {"FE1": 2, "YI1": 2})
    with pytest.raises(DomainError) as raised:
        repo.record_answers(round_id, members["koti"][0], teams["koti"], {"FE1": 5, "YI1": 5})
    assert raised.value.key == "pulse.already_answered"
    repo.settle(round_id)  # the round's close mixes what waits below the threshold
    tally = repo.tallies(round_id).tallies[0]
    assert tally.respondents == 1 and dict(tally.counts) == {("FE1", 2): 1, ("YI1", 2): 1}


def test_a_team_not_in_the_round_writes_nothing(db: Database) -> None:
    round_id, _teams, members = open_round(db, {"koti": 6})
    repo = PulseRepository(db)
    with pytest.raises(DomainError):
        repo.record_answers(round_id, members["koti"][0], 999_999, {"FE1": 3})
    assert not repo.has_answered(round_id, members["koti"][0])


def test_concurrent_answers_are_counted_exactly(db: Database) -> None:
    round_id, teams, members = open_round(db, {"iso": 40})
    repo = PulseRepository(db)
    people = members["iso"]

    def answer(index: int) -> None:
        repo.record_answers(round_id, people[index], teams["iso"], {"FE1": 1 + index % 5, "YI1": 3})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(answer, range(len(people))))
    repo.settle(round_id)  # the round's close mixes what waits below the threshold
    tally = repo.tallies(round_id).tallies[0]
    assert tally.respondents == 40
    assert tally.counts[("YI1", 3)] == 40
    assert [tally.counts[("FE1", v)] for v in range(1, 6)] == [8, 8, 8, 8, 8]


def test_concurrent_double_taps_count_once(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 6})
    repo = PulseRepository(db)
    person = members["koti"][0]

    def tap(_: int) -> str:
        try:
            repo.record_answers(round_id, person, teams["koti"], {"FE1": 5, "YI1": 5})
        except DomainError as error:
            return error.key
        return "counted"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(tap, range(6)))
    assert outcomes.count("counted") == 1 and outcomes.count("pulse.already_answered") == 5
    repo.settle(round_id)
    assert repo.tallies(round_id).tallies[0].counts[("FE1", 5)] == 1


def test_no_table_links_a_person_to_an_answer(db: Database) -> None:
    """The answered marker carries no value, team or time; the counts carry no person."""
    inspector = inspect(db.engine)
    marker = {c["name"] for c in inspector.get_columns("pulse_answered")}
    assert marker == {"round_id", "member_id"}
    for table in ("pulse_answer_counts", "pulse_pending_answers"):
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not columns & {"member_id", "person", "user_id", "created_at", "answered_at"}


def test_an_answer_reads_only_its_own_teams_part_of_a_round(db: Database) -> None:
    round_id, teams, _ = open_round(db, {"koti": 3, "keittio": 3, "siivous": 3})
    repo = PulseRepository(db)
    whole = repo.get_round(round_id)
    mine = repo.get_round(round_id, [teams["keittio"]])
    assert whole is not None and mine is not None
    assert set(whole.team_questions) == set(teams.values())
    assert mine.team_questions == {teams["keittio"]: whole.team_questions[teams["keittio"]]}
    assert (mine.id, mine.opens_at, mine.closes_at) == (whole.id, whole.opens_at, whole.closes_at)
    assert mine.opens_at.tzinfo is not None  # times come back aware, as from every other read
    not_asked = repo.get_round(round_id, [max(teams.values()) + 1])  # a team this round did not ask
    assert not_asked is not None and not_asked.team_questions == {} and not_asked.closes_at == whole.closes_at
    assert repo.get_round(round_id + 1, [teams["keittio"]]) is None


def test_the_previous_round_is_the_teams_latest_closed_before_this_one(db: Database) -> None:
    org = make_org(db, {"koti": 3, "keittio": 3})
    koti, keittio = (team.id for team in org.teams)
    repo = PulseRepository(db)
    opens = datetime(2026, 11, 23, 8, tzinfo=UTC)

    def created(days_before: int, team_ids: tuple[int, ...]) -> PulseRound:
        start = opens - timedelta(days=days_before)
        questions = {team_id: ("FE1",) for team_id in team_ids}
        return repo.create_round(
            org.id, PulseRound(start, start + timedelta(days=7), questions), {t: 3 for t in team_ids}
        )

    old = created(60, (koti, keittio))
    recent = created(30, (koti, keittio))
    created(20, (keittio,))  # another team's round in between
    current = created(0, (koti, keittio))
    created(-1, (koti,))  # opens after the current one
    found = repo.previous_round(org.id, koti, current)
    assert found is not None and found.id == recent.id and list(found.team_questions) == [koti]
    assert repo.previous_round(org.id, koti, old) is None
