"""The mixer: pending answers join the counters in shuffled batches of at least the threshold, then vanish.

A Send leaves its marker and its answer in two transactions (storage/pulse_repository.py). The mixer takes a team's
pending answers only when there are at least the anonymity threshold of them, or when the round has closed, and in
one transaction adds them to the counters, inserts their comments in random order under random ids and deletes
them. Every row it writes carries that one transaction's id (PostgreSQL's xmin), shared by the whole batch, and
the counters it updates are the round's own from the start, so neither row order nor xmin tells one answer from
another in it. On SQLite the deleted rows are overwritten (secure_delete, storage/db.py) and the write-ahead log
is checkpointed and truncated after each batch. docs/deployment.md says what still remains, and for how long.

Two mixers (replicas, or the scheduler beside a Send) never count an answer twice: each claims its batch with one
DELETE ... RETURNING, and gives the batch back when another took part of it and what is left is too small.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, Row, bindparam, text
from sqlalchemy.types import Integer, String

from storage.base import UtcDateTime
from storage.db import Database

logger = logging.getLogger(__name__)

# A batch of one would be no mix at all, whatever threshold the organisation chose.
SMALLEST_BATCH: Final = 2

_WAITING = text(
    # The threshold the round opened with (frozen with it), not today's: its results are reported under that one.
    "SELECT p.round_id, p.team_id, count(*) AS waiting, r.closes_at, r.anonymity_threshold AS threshold"
    " FROM pulse_pending_answers p JOIN pulse_rounds r ON r.id = p.round_id"
    " GROUP BY p.round_id, p.team_id, r.closes_at, r.anonymity_threshold"
    " ORDER BY p.round_id, p.team_id"
).columns(closes_at=UtcDateTime())
_TAKE = text(
    "DELETE FROM pulse_pending_answers WHERE round_id = :round_id AND team_id = :team_id RETURNING answers, comment"
)
_COUNT_RESPONDENTS = text(
    "UPDATE pulse_round_teams SET respondents = respondents + :n WHERE round_id = :round_id AND team_id = :team_id"
).bindparams(bindparam("n", type_=Integer()))
# The round made every counter at 0; the insert is a safety net for a question added by hand.
_COUNT = text(
    "INSERT INTO pulse_answer_counts (round_id, team_id, question_id, value, count)"
    " VALUES (:round_id, :team_id, :question_id, :value, :n)"
    " ON CONFLICT (round_id, team_id, question_id, value)"
    " DO UPDATE SET count = pulse_answer_counts.count + excluded.count"
).bindparams(bindparam("question_id", type_=String()), bindparam("value", type_=Integer()))
_KEEP_COMMENT = text(
    "INSERT INTO pulse_comments (id, round_id, team_id, text) VALUES (:id, :round_id, :team_id, :text)"
)


class _TooFew(Exception):
    """Another mixer took part of the batch: what is left waits for a full one."""


def batch_size(threshold: int) -> int:
    """How many pending answers of a team an open round mixes at once."""
    return max(threshold, SMALLEST_BATCH)


def mix_due(db: Database, now: datetime) -> int:
    """Mix every team whose pending answers fill a batch, and everything left of rounds closed by `now`.

    Run at start and on a schedule (scheduler/runner.py): answers left by a process that died after their Send are
    counted here. Returns how many answers were mixed.
    """
    with db.connection() as connection:
        waiting = connection.execute(_WAITING).all()
    mixed = 0
    for row in waiting:
        closed = row.closes_at <= now
        if closed or row.waiting >= batch_size(row.threshold):
            mixed += mix_team(db, row.round_id, row.team_id, at_least=1 if closed else batch_size(row.threshold))
    return mixed


def mix_team(db: Database, round_id: int, team_id: int, *, at_least: int) -> int:
    """Add the team's pending answers to the counters in one transaction, if at least `at_least` wait."""
    try:
        with db.connection() as connection:
            taken = connection.execute(_TAKE, {"round_id": round_id, "team_id": team_id}).all()
            if not taken or len(taken) < at_least:
                raise _TooFew
            _add(connection, round_id, team_id, taken)
    except _TooFew:
        return 0
    if db.is_sqlite:
        _forget_the_log(db)
    return len(taken)


def _add(connection: Connection, round_id: int, team_id: int, taken: Sequence[Row[Any]]) -> None:
    shuffled = list(taken)
    secrets.SystemRandom().shuffle(shuffled)  # the comments' insertion order (heap, rowid) is the only order left
    counts: Counter[tuple[str, int]] = Counter()
    comments: list[str] = []
    for row in shuffled:
        answers: dict[str, int] = json.loads(row.answers)
        counts.update((question_id, int(value)) for question_id, value in answers.items())
        if row.comment:
            comments.append(row.comment)
    here = {"round_id": round_id, "team_id": team_id}
    connection.execute(_COUNT_RESPONDENTS, {**here, "n": len(shuffled)})
    if counts:  # in a fixed order: each counter once, by its sum over the batch
        connection.execute(
            _COUNT, [{**here, "question_id": q, "value": v, "n": n} for (q, v), n in sorted(counts.items())]
        )
    if comments:
        # Two equal ids of 62 random bits fail the batch, which stays pending and is mixed again at the next run.
        kept = [{**here, "id": random_id(), "text": comment} for comment in comments]
        connection.execute(_KEEP_COMMENT, kept)


def _forget_the_log(db: Database) -> None:
    """Copy the WAL into the database and truncate it, so the log no longer replays the batch commit by commit.

    A reader in the middle of a read keeps part of the log alive; the next batch or the next schedule truncates it.
    """
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    if busy is not None and busy[0]:
        logger.info("pulse mix: the write-ahead log is in use, truncated at the next batch")


def random_id() -> int:
    """A positive id of 62 random bits: fits PostgreSQL's bigint and SQLite's rowid, and says nothing of order."""
    return 1 + secrets.randbits(62)
