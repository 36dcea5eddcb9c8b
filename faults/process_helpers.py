"""What the process-level fault cases share: a PostgreSQL database of their own, server replicas, bounded waits."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection, make_url

from faults.cases import CaseFailed
from storage.db import Database, safe_url
from storage.migrate import upgrade
from storage.models import PulseAnswerCountRow, PulseAnsweredRow, PulseRoundTeamRow
from tests.conftest import POSTGRES_URL
from tests.fakes.slack_api import FakeSlack
from tests.process.conftest import quiet_calendar as quiet_calendar  # the cases use it from here
from tests.process.conftest import teams_card_round as teams_card_round
from tests.process.server_process import ServerProcess

_ROUND = re.compile(r"^(\d+):")
_STARTED = time.monotonic()


def progress(what: str) -> None:
    """A step of a case on stderr with the time since the case began: a timed-out case shows how far it got."""
    print(f"  [{time.monotonic() - _STARTED:5.1f} s] {what}", file=sys.stderr, flush=True)


async def eventually(condition: Callable[[], object], timeout: float) -> bool:
    """Poll `condition` in a thread (the fakes share this loop) until true or `timeout` seconds; whether it was."""
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(condition):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def wait_for(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Like `eventually`, but a condition still false at the end fails the case; the seconds it took."""
    started = time.monotonic()
    if not await eventually(condition, timeout):
        raise CaseFailed(f"{what} did not happen in {timeout:g} s")
    return time.monotonic() - started


_PREFIX = "tyhy_fault_"
_STALE_AFTER = 3600  # seconds: no case lives this long (the runner kills it), so such a database was left behind


@contextlib.contextmanager
def postgres_database(kind: str) -> Iterator[str]:
    """A database of its own on the local PostgreSQL, migrated; its URL. Dropped afterwards, whatever happened.

    Its name carries its birth time: a case the runner had to kill cannot drop its database, so the next case
    to start drops the ones older than any case can be.
    """
    name = f"{_PREFIX}{kind}_{int(time.time())}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")  # CREATE DATABASE refuses a transaction
    try:
        with admin.connect() as connection:
            _drop_stale(connection)
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        raise CaseFailed(
            f"PostgreSQL at {safe_url(POSTGRES_URL)} is needed and unreachable ({type(error).__name__})"
        ) from None
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        db = Database(url)
        try:
            upgrade(db)
        finally:
            db.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            # FORCE: a killed replica's connections may linger until PostgreSQL notices they are gone.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _drop_stale(connection: Connection) -> None:
    names = connection.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": _PREFIX})
    for (name,) in names.all():
        born = re.search(r"_(\d{10})_[0-9a-f]{6}$", name)
        if born is not None and time.time() - int(born.group(1)) > _STALE_AFTER:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.asynccontextmanager
async def replicas(folder: Path, *envs: dict[str, str], args: Sequence[str] = ()) -> AsyncIterator[list[ServerProcess]]:
    """Server processes started with these environments and `serve` options; stopped on the way out, logs shown."""
    servers = [ServerProcess(env, folder / f"server-{n}.log", args) for n, env in enumerate(envs)]
    try:
        for server in servers:
            server.start()
        yield servers
    except BaseException:
        for server in servers:
            print(f"--- {server.log_path.name}: its warnings and errors ---\n{_troubles(server)}", file=sys.stderr)
        raise
    finally:
        for server in servers:
            await asyncio.to_thread(server.stop)


def _troubles(server: ServerProcess, most: int = 40) -> str:
    """The log's distinct WARNING, ERROR and traceback lines: what went wrong, without the access log's noise."""
    if not server.log_path.exists():
        return ""
    lines = server.log_path.read_text(errors="replace").splitlines()
    wanted = Counter(
        line for line in lines if line.startswith(("WARNING", "ERROR", "CRITICAL", "Traceback")) or "Error:" in line
    )
    return "\n".join(f"{count} x {line}" for line, count in list(wanted.items())[:most])


def is_leader(server: ServerProcess) -> bool:
    return bool((server.health() or {}).get("scheduling"))


def round_of(values: list[str]) -> int | None:
    """The round id a card's button values carry ("<round id>:…"), or None."""
    return next((int(m.group(1)) for value in values if (m := _ROUND.match(value))), None)


def slack_card_round(body: dict[str, Any]) -> int | None:
    blocks = body.get("blocks") or []
    values = [e.get("value", "") for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]
    return round_of([v for v in values if isinstance(v, str)])


class SlackCardCount:
    """Cards of a round that reached the fake Slack, counted incrementally: a poll reads only the new calls."""

    def __init__(self, slack: FakeSlack, round_id: int) -> None:
        self.slack = slack
        self.round_id = round_id
        self.seen = 0
        self.cards = 0

    def __call__(self) -> int:
        calls = self.slack.calls
        end = len(calls)
        for call in calls[self.seen : end]:
            if call.method == "chat.postMessage" and slack_card_round(call.body) == self.round_id:
                self.cards += 1
        self.seen = end
        return self.cards


def require_counts(counts: Counter[tuple[int, str, int]], expected: Counter[tuple[int, str, int]]) -> None:
    """The counters equal the answers sent, or the case fails naming the first few that differ."""
    if counts != expected:
        wrong = sorted(set(counts) ^ set(expected) | {k for k in expected if counts[k] != expected[k]})[:5]
        shown = ", ".join(f"{k}: {counts[k]} not {expected[k]}" for k in wrong)
        raise CaseFailed(f"pulse_answer_counts differ from the answers sent: {shown}")


def pulse_totals(db: Database, round_id: int) -> tuple[int, int, Counter[tuple[int, str, int]]]:
    """(answered markers, respondents over the teams, count per (team, question, value)) of a round."""
    with db.transaction() as session:
        markers = session.execute(
            select(func.count()).select_from(PulseAnsweredRow).where(PulseAnsweredRow.round_id == round_id)
        ).scalar_one()
        respondents = session.execute(
            select(func.coalesce(func.sum(PulseRoundTeamRow.respondents), 0)).where(
                PulseRoundTeamRow.round_id == round_id
            )
        ).scalar_one()
        rows = session.execute(
            select(
                PulseAnswerCountRow.team_id,
                PulseAnswerCountRow.question_id,
                PulseAnswerCountRow.value,
                PulseAnswerCountRow.count,
            ).where(PulseAnswerCountRow.round_id == round_id)
        ).all()
    counts: Counter[tuple[int, str, int]] = Counter()
    for team_id, question_id, value, count in rows:
        if count:
            counts[(team_id, question_id, value)] = count
    return int(markers), int(respondents), counts


def team_questions(db: Database, round_id: int) -> dict[int, tuple[str, ...]]:
    """Each team's question ids in the round, in the card's order."""
    with db.transaction() as session:
        rows = session.execute(
            select(PulseRoundTeamRow.team_id, PulseRoundTeamRow.question_ids).where(
                PulseRoundTeamRow.round_id == round_id
            )
        ).all()
    return {team_id: tuple(q for q in ids.split(",") if q) for team_id, ids in rows}
