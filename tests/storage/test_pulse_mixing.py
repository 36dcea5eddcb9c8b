"""No transaction, row or row order ties a person's has-answered marker to their answers once they are mixed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect, text

from storage.db import Database
from storage.pulse_mixer import mix_due
from storage.pulse_repository import PulseRepository
from tests.storage.test_storage_pulse import NOW, open_round

_WRITTEN_TABLE = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)", re.IGNORECASE)
# Where an answer, or anything derived from it, is written.
_ANSWER_TABLES = {"pulse_answer_counts", "pulse_comments", "pulse_round_teams", "pulse_pending_answers"}


@contextmanager
def transactions(db: Database) -> Iterator[list[set[str]]]:
    """The tables each committed transaction wrote to, in commit order.

    A statement on an autocommit connection (Database.autocommit) is a transaction of its own.
    """
    committed: list[set[str]] = []
    writing: dict[int, set[str]] = {}

    def on_execute(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        written = _WRITTEN_TABLE.match(statement)
        if not written:
            return
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            committed.append({written.group(1).lower()})
        else:
            writing.setdefault(id(connection), set()).add(written.group(1).lower())

    def on_commit(connection: Any) -> None:
        committed.append(writing.pop(id(connection), set()))

    def on_rollback(connection: Any) -> None:
        writing.pop(id(connection), None)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    event.listen(db.engine, "rollback", on_rollback)
    try:
        yield committed
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "commit", on_commit)
        event.remove(db.engine, "rollback", on_rollback)


def test_no_transaction_writes_a_marker_and_an_answer(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8})
    repo = PulseRepository(db)
    with transactions(db) as committed:
        for member in members["koti"][:6]:  # past the threshold of 5: the mixer runs too
            repo.record_answers(round_id, member, teams["koti"], {"FE1": 4, "YI1": 2}, comment="Hyvä tiimi")
    marking = [tables for tables in committed if "pulse_answered" in tables]
    assert len(marking) == 6
    assert all(tables == {"pulse_answered"} for tables in marking), marking


@pytest.mark.parametrize("db", ["postgres"], indirect=True)  # xmin is PostgreSQL's
def test_a_marker_shares_its_xmin_with_no_answer_row(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8})
    repo = PulseRepository(db)
    for member in members["koti"][:6]:
        repo.record_answers(round_id, member, teams["koti"], {"FE1": 4, "YI1": 2}, comment="Hyvä tiimi")
    markers = _xmins(db, "pulse_answered", round_id)
    tables = set(inspect(db.engine).get_table_names()) & _ANSWER_TABLES
    answers = set().union(*(_xmins(db, table, round_id) for table in sorted(tables)))
    assert len(markers) == 6  # one transaction each
    assert not markers & answers


def test_answers_wait_until_a_batch_of_the_threshold_then_count_together(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8})  # make_org's threshold: 5
    repo = PulseRepository(db)
    for member in members["koti"][:4]:
        repo.record_answers(round_id, member, teams["koti"], {"FE1": 4, "YI1": 2}, comment="Hyvä tiimi")
    (tally,) = repo.tallies(round_id).tallies
    assert (tally.respondents, dict(tally.counts), repo.comments(round_id)) == (0, {}, [])
    assert _pending(db, round_id) == 4
    repo.record_answers(round_id, members["koti"][4], teams["koti"], {"FE1": 1, "YI1": 2})
    (tally,) = repo.tallies(round_id).tallies
    assert (tally.respondents, dict(tally.counts)) == (5, {("FE1", 4): 4, ("FE1", 1): 1, ("YI1", 2): 5})
    assert repo.comments(round_id) == [(teams["koti"], "Hyvä tiimi")] * 4
    assert _pending(db, round_id) == 0


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
def test_a_batch_writes_all_its_rows_in_one_transaction_of_its_own(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8})
    repo = PulseRepository(db)
    for value, member in enumerate(members["koti"][:5], start=1):
        repo.record_answers(round_id, member, teams["koti"], {"FE1": value, "YI1": 2}, comment=f"kommentti {value}")
    with db.engine.connect() as connection:
        written = set(
            connection.execute(
                text(
                    "SELECT xmin::text FROM pulse_answer_counts WHERE round_id = :r AND count > 0"
                    " UNION SELECT xmin::text FROM pulse_comments WHERE round_id = :r"
                    " UNION SELECT xmin::text FROM pulse_round_teams WHERE round_id = :r"
                ),
                {"r": round_id},
            ).scalars()
        )
    assert len(written) == 1  # the five answers are one transaction's work: the mixer's
    assert not written & _xmins(db, "pulse_answered", round_id)


def test_a_closed_round_mixes_what_is_left_below_the_threshold(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8})
    repo = PulseRepository(db)
    for member in members["koti"][:2]:
        repo.record_answers(round_id, member, teams["koti"], {"FE1": 3, "YI1": 0})
    assert mix_due(db, _later(hours=1)) == 0  # open, and two are not a batch
    assert mix_due(db, _later(hours=24 * 7)) == 2  # closed: everything counts, exactly
    assert mix_due(db, _later(hours=24 * 7)) == 0
    (tally,) = repo.tallies(round_id).tallies
    assert (tally.respondents, dict(tally.counts)) == (2, {("FE1", 3): 2, ("YI1", 0): 2})


def test_mixers_running_at_once_count_every_answer_once(db: Database) -> None:
    round_id, teams, members = open_round(db, {"iso": 30})
    with db.engine.begin() as connection:  # a threshold above the team: everything waits for the close
        connection.execute(text("UPDATE organisations SET anonymity_threshold = 50"))
    repo = PulseRepository(db)
    for index, member in enumerate(members["iso"]):
        repo.record_answers(round_id, member, teams["iso"], {"FE1": 1 + index % 5, "YI1": 3})
    assert _pending(db, round_id) == 30
    with ThreadPoolExecutor(max_workers=4) as pool:
        mixed = list(pool.map(lambda _: mix_due(db, _later(hours=24 * 7)), range(4)))
    assert sum(mixed) == 30
    (tally,) = repo.tallies(round_id).tallies
    assert (tally.respondents, tally.counts[("YI1", 3)]) == (30, 30)
    assert [tally.counts[("FE1", v)] for v in range(1, 6)] == [6] * 5


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_sqlite_keeps_no_copy_of_a_mixed_answer_in_its_files(db: Database) -> None:
    round_id, teams, members = open_round(db, {"koti": 8, "muu": 3})
    repo = PulseRepository(db)
    # Another team's answer stays pending on the same page: SQLite clears a page it empties anyway.
    repo.record_answers(round_id, members["muu"][0], teams["muu"], {"FE1": 1, "YI1": 1})
    for member in members["koti"][:4]:
        repo.record_answers(round_id, member, teams["koti"], {"FE1": 4, "YI1": 2})
    path = Path(db.engine.url.database or "")
    pending = json.dumps({"FE1": 4, "YI1": 2}, sort_keys=True).encode()
    assert pending in _bytes(path)  # the shape a pending answer has on disk, there to be found before the mix
    repo.record_answers(round_id, members["koti"][4], teams["koti"], {"FE1": 4, "YI1": 2})
    assert pending not in _bytes(path)  # overwritten in the database, and the log truncated
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    with db.engine.connect() as connection:  # set by us, not left to how SQLite was built (Debian's has it on)
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def _bytes(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _pending(db: Database, round_id: int) -> int:
    with db.engine.connect() as connection:
        query = text("SELECT count(*) FROM pulse_pending_answers WHERE round_id = :r")
        return int(connection.execute(query, {"r": round_id}).scalar_one())


def _xmins(db: Database, table: str, round_id: int) -> set[str]:
    with db.engine.connect() as connection:
        query = text(f"SELECT xmin::text FROM {table} WHERE round_id = :r")
        return set(connection.execute(query, {"r": round_id}).scalars())


def _later(hours: int) -> datetime:
    return NOW + timedelta(hours=hours)
