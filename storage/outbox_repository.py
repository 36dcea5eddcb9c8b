"""The outbox in the database: enqueue once per key, claim batches under shared rate buckets, record each outcome."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from bot.message_codec import encode_message
from bot.messages import OutboundMessage, SentRef
from bot.organisation import Platform
from storage.db import Database
from storage.outbox_buckets import BucketState, Limiter, lock_bucket, save_bucket
from storage.outbox_models import KEY_LENGTH, REASON_LENGTH, OutboxRow, OutboxStatus


@dataclass(frozen=True)
class Claimed:
    """A row this worker holds the lease of: send it, then record the outcome."""

    id: int
    key: str
    platform: str
    workspace: str
    member_id: int | None
    payload: str
    attempts: int  # including this one
    send_after_s: float = 0.0  # its booked slot: seconds after the claim's `now` (rate-limited platforms only)


class ClaimedBatch(list[Claimed]):
    """The rows of one claim; `wait_s` says when a rate bucket that held rows back has room again (None: none did)."""

    wait_s: float | None = None


@dataclass(frozen=True)
class UndeliverableRecipient:
    """A recipient's latest undeliverable message and how many of theirs could not be delivered."""

    member_id: int | None  # None: every team channel post together
    platform: str
    reason: str
    when: datetime
    failed: int


@dataclass(frozen=True)
class OutboxEntry:
    """One row as it stands (for inspection and tests)."""

    key: str
    platform: str
    workspace: str
    member_id: int | None
    status: str
    attempts: int
    not_before: datetime
    last_error: str | None
    sent_channel: str | None
    sent_message_id: str | None
    sent_at: datetime | None
    has_payload: bool


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxRepository:
    """Every outbox query; each method is one short transaction."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = _now) -> None:
        self.db = db
        self.clock = clock

    # --- queueing ---------------------------------------------------------------------------------------------

    def enqueue(self, messages: Iterable[tuple[str, OutboundMessage]], *, after: timedelta = timedelta(0)) -> int:
        """Queue each (key, message), to go `after` from now (a platform's Retry-After); a key queued before is
        left alone. Returns how many were new."""
        with self.db.transaction() as session:
            return self.enqueue_in(session, messages, after=after)

    def enqueue_in(
        self, session: Session, messages: Iterable[tuple[str, OutboundMessage]], *, after: timedelta = timedelta(0)
    ) -> int:
        """As `enqueue`, inside the caller's transaction: a change and the messages telling of it commit together."""
        now = self.clock()
        rows: dict[str, dict[str, Any]] = {}
        for key, message in messages:
            if not key or len(key) > KEY_LENGTH:
                raise ValueError(f"an outbox key must have 1..{KEY_LENGTH} characters")
            rows.setdefault(key, _new_row(key, message, now, now + max(after, timedelta(0))))
        if not rows:
            return 0
        insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
        statement = insert(_OUTBOX).on_conflict_do_nothing(index_elements=["key"]).returning(_OUTBOX.c.id)
        # RETURNING lists only the rows inserted, so keys seen before are not counted.
        return len(session.execute(statement, list(rows.values())).all())

    def enqueue_latest(self, prefix: str, message: OutboundMessage, *, after: timedelta = timedelta(0)) -> bool:
        """Queue the newest version of a message that keeps being redrawn (a live count), to go `after` from now.

        A version of it still waiting (its key starts with `prefix`) takes this one's content and keeps the earlier
        of the two times: however many versions come meanwhile, one redraw goes out, the newest. Returns True when
        a new row was queued, False when a waiting one was brought up to date.
        """
        now = self.clock()
        with self.db.transaction() as session:
            waiting = session.scalars(
                select(OutboxRow)
                .where(OutboxRow.key.startswith(prefix, autoescape=True), OutboxRow.status == OutboxStatus.PENDING)
                .order_by(OutboxRow.id.desc())
                .with_for_update()
            ).first()
            due = now + max(after, timedelta(0))
            if waiting is not None:
                fresh = _new_row(waiting.key, message, now, min(due, waiting.not_before))
                waiting.payload, waiting.not_before = fresh["payload"], fresh["not_before"]
                return False
            key = f"{prefix}{uuid.uuid4().hex}"
            if len(key) > KEY_LENGTH:
                raise ValueError(f"an outbox key must have 1..{KEY_LENGTH} characters")
            session.add(OutboxRow(**_new_row(key, message, now, due)))
            return True

    # --- claiming ---------------------------------------------------------------------------------------------

    def claim(
        self,
        now: datetime,
        *,
        platforms: Collection[str],
        batch: int,
        lease: timedelta,
        limiter: Limiter,
        max_attempts: int,
    ) -> ClaimedBatch:
        """Lease up to `batch` due rows of the given platforms, as many per workspace as its bucket allows."""
        claimed = ClaimedBatch()
        with self._claim_transaction() as session:
            self._give_up_stuck(session, now, max_attempts)
            dues = _due(now, max_attempts)
            oldest = self._oldest_due(session, dues, platforms)
            # The workspaces waiting longest get this batch; their buckets are then locked in one order that every
            # replica shares, so two claims never deadlock.
            groups = sorted(sorted(oldest, key=lambda group: oldest[group])[:batch])
            for index, (platform, workspace) in enumerate(groups):
                # An even share of what is left, so one busy workspace cannot crowd out the others.
                share = math.ceil((batch - len(claimed)) / (len(groups) - index))
                room = share
                state: BucketState | None = None
                if limiter.limited(platform):
                    state = lock_bucket(session, platform, workspace, now, limiter)
                    room = min(room, limiter.allowance(platform, state, now))
                taken: list[Claimed] = []
                for due in dues:  # rows whose worker died first: they have waited longest
                    if room > len(taken):
                        taken += self._take(session, due, platform, workspace, room - len(taken), now + lease)
                if taken and limiter.limited(platform):
                    slots = limiter.slots(platform, state, now, len(taken))
                    taken = [replace(row, send_after_s=slot) for row, slot in zip(taken, slots, strict=True)]
                    state = limiter.charge(platform, state, now, len(taken))
                    save_bucket(session, platform, workspace, state)
                if room < share and limiter.limited(platform):
                    # The bucket held rows back: tell the worker when a share's worth fits, so it looks again then
                    # (sooner than its idle wait, which would leave the platform's allowance unused).
                    wait = limiter.wait(platform, state, now, share)
                    claimed.wait_s = wait if claimed.wait_s is None else min(claimed.wait_s, wait)
                claimed.extend(taken)
        return claimed

    def _oldest_due(
        self, session: Session, dues: Sequence[ColumnElement[bool]], platforms: Collection[str]
    ) -> dict[tuple[str, str], int]:
        """Each workspace with rows due, and the id of its oldest due row (the longest waiting go first)."""
        # The workspaces with waiting rows, read from the queue index alone; then each one's oldest due row, found
        # by walking that index in id order to the first due row. Grouping the due rows instead sorted the whole
        # queue on every claim: a third of a 10,000-card round's claim time.
        waiting = {
            (platform, workspace)
            for status in (OutboxStatus.PENDING, OutboxStatus.SENDING)
            for platform, workspace in session.execute(
                select(OutboxRow.platform, OutboxRow.workspace)
                .where(OutboxRow.status == status, OutboxRow.platform.in_(list(platforms)))
                .distinct()
            )
        }
        oldest: dict[tuple[str, str], int] = {}
        for platform, workspace in sorted(waiting):
            # Each kind of due row on its own: a single OR would keep the queue index from serving either.
            for due in dues:
                first_id = session.execute(
                    select(OutboxRow.id)
                    .where(due, OutboxRow.platform == platform, OutboxRow.workspace == workspace)
                    .order_by(OutboxRow.id)
                    .limit(1)
                ).scalar()
                if first_id is not None:
                    oldest[(platform, workspace)] = min(first_id, oldest.get((platform, workspace), first_id))
        return oldest

    @contextmanager
    def _claim_transaction(self) -> Iterator[Session]:
        with self.db.transaction() as session:
            if self.db.is_sqlite:
                # SQLite has no row locks: take the database's write lock first, so the reads below and the
                # updates after them cannot interleave with another worker's claim (threads of one process).
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    def _give_up_stuck(self, session: Session, now: datetime, max_attempts: int) -> None:
        # A row whose lease ran out at its last attempt (a worker crashed on it every time) is not tried again.
        stuck = (
            session.execute(
                select(OutboxRow.id)
                .where(
                    OutboxRow.status == OutboxStatus.SENDING,
                    OutboxRow.locked_until < now,
                    OutboxRow.attempts >= max_attempts,
                )
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        if stuck:
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(stuck))
                .values(**_final_undeliverable(f"gave up after {max_attempts} attempts", now))
                .execution_options(synchronize_session=False)
            )

    def _take(
        self, session: Session, due: ColumnElement[bool], platform: str, workspace: str, room: int, lease_end: datetime
    ) -> list[Claimed]:
        rows = session.execute(
            select(
                OutboxRow.id,
                OutboxRow.key,
                OutboxRow.member_id,
                OutboxRow.payload,
                OutboxRow.attempts,
            )
            .where(due, OutboxRow.platform == platform, OutboxRow.workspace == workspace)
            .order_by(OutboxRow.id)
            .limit(room)
            # PostgreSQL: rows another replica is claiming right now are skipped, not waited for (SQLite: no-op).
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return []
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_([row.id for row in rows]))
            .values(status=OutboxStatus.SENDING, locked_until=lease_end, attempts=OutboxRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return [
            Claimed(row.id, row.key, platform, workspace, row.member_id, row.payload or "", row.attempts + 1)
            for row in rows
        ]

    # --- outcomes ---------------------------------------------------------------------------------------------

    def mark_all_sent(self, sent: Sequence[tuple[Claimed, SentRef]], now: datetime) -> int:
        """Record a batch's deliveries in one transaction; returns how many rows were still under their claim."""
        if not sent:
            return 0
        statement = (
            update(_OUTBOX)
            .where(
                _OUTBOX.c.id == bindparam("row_id"),
                _OUTBOX.c.status == OutboxStatus.SENDING,
                _OUTBOX.c.attempts == bindparam("row_attempts"),
            )
            .values(
                status=OutboxStatus.SENT,
                sent_channel=bindparam("ref_channel"),
                sent_message_id=bindparam("ref_message"),
                sent_at=now,
                last_error=None,
                locked_until=None,
                payload=None,
            )
        )
        parameters = [
            {
                "row_id": row.id,
                "row_attempts": row.attempts,
                "ref_channel": ref.channel_id,
                "ref_message": ref.message_id,
            }
            for row, ref in sent
        ]
        with self.db.transaction() as session:
            # One executemany: a round's thousands of rows cost a commit per batch, not one per message.
            result = session.connection().execute(statement, parameters)
            return int(getattr(result, "rowcount", 0))

    def mark_undeliverable(self, row: Claimed, reason: str, now: datetime) -> bool:
        """Never to be tried again; the reason is kept for the wellbeing officer."""
        return self._finish(row, **_final_undeliverable(reason, now))

    def retry_later(self, row: Claimed, not_before: datetime, reason: str, *, counted: bool = True) -> bool:
        """Back to pending, to be claimed again from `not_before` on; not `counted`, the attempt does not count
        towards giving up (the platform asked us to slow down: no fault of the message)."""
        uncounted = {} if counted else {"attempts": OutboxRow.attempts - 1}
        return self._finish(
            row,
            status=OutboxStatus.PENDING,
            not_before=not_before,
            locked_until=None,
            last_error=_short(reason),
            **uncounted,
        )

    def release_leases(self, now: datetime) -> int:
        """Make every row being sent due again at once: only for a single process starting after a crash (SQLite)."""
        with self.db.transaction() as session:
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == OutboxStatus.SENDING)
                .values(locked_until=now - timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0))

    def pause_bucket(self, platform: str, workspace: str, now: datetime, seconds: float, limiter: Limiter) -> None:
        """Hold every send to this workspace for `seconds`: the platform said it is throttling all of it."""
        if not limiter.limited(platform):
            return
        with self._claim_transaction() as session:
            state = lock_bucket(session, platform, workspace, now, limiter)
            save_bucket(session, platform, workspace, limiter.pause(platform, state, now, seconds))

    def _finish(self, row: Claimed, **values: Any) -> bool:
        with self.db.transaction() as session:
            result = session.execute(
                update(OutboxRow)
                # Only under this claim: once a lease ran out and another worker re-claimed the row (attempts went
                # up), a late report from the first worker changes nothing.
                .where(
                    OutboxRow.id == row.id,
                    OutboxRow.status == OutboxStatus.SENDING,
                    OutboxRow.attempts == row.attempts,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    # --- reading ----------------------------------------------------------------------------------------------

    def undeliverable_by_recipient(self, limit: int = 100) -> list[UndeliverableRecipient]:
        """One row per member (and one for all team channel posts): the latest failure and the count, newest first."""
        # Window functions keep it one query on SQLite and PostgreSQL alike; both put NULL member ids in one group.
        newest_first = (OutboxRow.given_up_at.desc(), OutboxRow.id.desc())
        ranked = (
            select(
                OutboxRow.id,
                OutboxRow.member_id,
                OutboxRow.platform,
                OutboxRow.last_error,
                OutboxRow.given_up_at,
                func.row_number().over(partition_by=OutboxRow.member_id, order_by=newest_first).label("rank"),
                func.count().over(partition_by=OutboxRow.member_id).label("failed"),
            )
            .where(OutboxRow.status == OutboxStatus.UNDELIVERABLE)
            .subquery()
        )
        with self.db.transaction() as session:
            rows = session.execute(
                select(ranked)
                .where(ranked.c.rank == 1)
                .order_by(ranked.c.given_up_at.desc(), ranked.c.id.desc())
                .limit(limit)
            ).all()
        return [
            UndeliverableRecipient(r.member_id, r.platform, r.last_error or "", r.given_up_at or _EPOCH, r.failed)
            for r in rows
        ]

    def depth(self) -> int:
        """How many messages wait to be sent (pending or being sent)."""
        with self.db.transaction() as session:
            return session.execute(select(func.count()).where(_waiting())).scalar_one()

    def oldest_pending_age(self, now: datetime) -> timedelta | None:
        """How long the oldest waiting message has waited; None when nothing waits."""
        with self.db.transaction() as session:
            oldest = session.execute(select(func.min(OutboxRow.created_at)).where(_waiting())).scalar_one()
        return None if oldest is None else max(timedelta(0), now - oldest)

    def sent_without_follower(self, topic: str, suffix: str) -> dict[str, tuple[int, SentRef]]:
        """The messages to people sent under keys ending in `>topic` whose key + `suffix` is not queued yet: each by
        its key, with its recipient and where it is.

        Rows already purged are not found, so their messages simply get no follower.
        """
        follower = aliased(OutboxRow)
        with self.db.transaction() as session:
            rows = session.execute(
                select(
                    OutboxRow.key,
                    OutboxRow.member_id,
                    OutboxRow.platform,
                    OutboxRow.workspace,
                    OutboxRow.sent_channel,
                    OutboxRow.sent_message_id,
                ).where(
                    OutboxRow.status == OutboxStatus.SENT,
                    OutboxRow.member_id.is_not(None),
                    OutboxRow.sent_message_id.is_not(None),
                    OutboxRow.key.endswith(f">{topic}", autoescape=True),
                    ~exists().where(follower.key == OutboxRow.key + suffix),
                )
            ).all()
        return {
            row.key: (
                row.member_id,
                SentRef(Platform(row.platform), row.sent_channel or "", row.sent_message_id, row.workspace),
            )
            for row in rows
        }

    def entry(self, key: str) -> OutboxEntry | None:
        """The row queued under `key`, as it stands."""
        with self.db.transaction() as session:
            row = session.execute(select(OutboxRow).where(OutboxRow.key == key)).scalar_one_or_none()
            if row is None:
                return None
            return OutboxEntry(
                key=row.key,
                platform=row.platform,
                workspace=row.workspace,
                member_id=row.member_id,
                status=row.status,
                attempts=row.attempts,
                not_before=row.not_before,
                last_error=row.last_error,
                sent_channel=row.sent_channel,
                sent_message_id=row.sent_message_id,
                sent_at=row.sent_at,
                has_payload=row.payload is not None,
            )

    def purge(self, created_before: datetime) -> int:
        """Delete finished rows queued before the time; keep them longer than any catch-up window re-queues keys."""
        with self.db.transaction() as session:
            result = session.execute(
                delete(OutboxRow)
                .where(
                    OutboxRow.status.in_([OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE]),
                    OutboxRow.created_at < created_before,
                )
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_OUTBOX = cast(Table, OutboxRow.__table__)  # a Core insert: ON CONFLICT and RETURNING over many rows at once


def _new_row(key: str, message: OutboundMessage, now: datetime, not_before: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "platform": message.to.platform.value,
        "workspace": message.to.workspace,
        "member_id": message.member_id,
        "payload": json.dumps(encode_message(message), ensure_ascii=False, separators=(",", ":")),
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": not_before,
        "created_at": now,
    }


def _due(now: datetime, max_attempts: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Ready to claim: leased by a worker whose lease ran out (it crashed or hung), or pending and due."""
    return (
        and_(
            OutboxRow.status == OutboxStatus.SENDING,
            OutboxRow.locked_until < now,
            OutboxRow.attempts < max_attempts,
        ),
        and_(OutboxRow.status == OutboxStatus.PENDING, OutboxRow.not_before <= now),
    )


def _waiting() -> ColumnElement[bool]:
    return OutboxRow.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])


def _short(reason: str) -> str:
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


def _final_undeliverable(reason: str, now: datetime) -> dict[str, Any]:
    return {
        "status": OutboxStatus.UNDELIVERABLE,
        "last_error": _short(reason),
        "given_up_at": now,
        "locked_until": None,
        "payload": None,
    }
