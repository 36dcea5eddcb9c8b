"""The shared rate buckets in the database: the policy's state per (platform, workspace), read and written locked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.outbox_models import RateBucketRow

_BUCKETS = cast(Table, RateBucketRow.__table__)


@dataclass(frozen=True)
class BucketState:
    """A rate bucket as stored: tokens left (negative while paused) when last touched."""

    tokens: float
    updated_at: datetime


class Limiter(Protocol):
    """The sending-rate policy; the repository keeps its buckets, locked, in the claim's transaction."""

    def limited(self, platform: str) -> bool: ...

    def allowance(self, platform: str, state: BucketState | None, now: datetime) -> int:
        """How many sends may be booked now, some for slots a little ahead (None: a bucket not yet used, so full)."""
        ...

    def charge(self, platform: str, state: BucketState | None, now: datetime, used: int) -> BucketState:
        """The bucket after `used` sends now."""
        ...

    def slots(self, platform: str, state: BucketState | None, now: datetime, count: int) -> list[float]:
        """Seconds from `now` at which each of `count` sends booked now may go (the bucket before the booking)."""
        ...

    def pause(self, platform: str, state: BucketState | None, now: datetime, seconds: float) -> BucketState:
        """The bucket emptied so that nothing is sent for `seconds` (the platform's Retry-After)."""
        ...

    def burst(self, platform: str) -> float | None:
        """How many sends the platform takes at once after a quiet spell; None when it is not limited."""
        ...

    def interval(self, platform: str) -> float | None:
        """Seconds between two sends at the platform's steady rate; None when it is not limited."""
        ...

    def wait(self, platform: str, state: BucketState | None, now: datetime, wanted: int) -> float:
        """Seconds until the bucket holds `wanted` sends (at most a full bucket's worth)."""
        ...


def lock_bucket(session: Session, platform: str, workspace: str, now: datetime, limiter: Limiter) -> BucketState:
    """The bucket, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite: the claim's write lock)."""
    where = (RateBucketRow.platform == platform, RateBucketRow.workspace == workspace)
    row = session.execute(select(RateBucketRow).where(*where).with_for_update()).scalar_one_or_none()
    if row is None:
        # First use of this workspace: a full bucket; two replicas creating it at once make one row.
        full = limiter.charge(platform, None, now, 0)
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(
            insert(_BUCKETS)
            .values(platform=platform, workspace=workspace, tokens=full.tokens, updated_at=full.updated_at)
            .on_conflict_do_nothing()
        )
        row = session.execute(select(RateBucketRow).where(*where).with_for_update()).scalar_one()
    return BucketState(row.tokens, row.updated_at)


def save_bucket(session: Session, platform: str, workspace: str, state: BucketState) -> None:
    """Store the bucket as the policy left it."""
    session.execute(
        update(RateBucketRow)
        .where(RateBucketRow.platform == platform, RateBucketRow.workspace == workspace)
        .values(tokens=state.tokens, updated_at=state.updated_at)
        .execution_options(synchronize_session=False)
    )
