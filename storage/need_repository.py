"""Needs carried to the organisation: raised by a team's supervisor, answered once by the wellbeing officer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from bot.messages import OutboundMessage
from bot.org_needs import NeedKind, NeedSource, OrgNeed
from storage.db import Database
from storage.models import TeamRow
from storage.need_models import OrgNeedRow
from storage.outbox_repository import OutboxRepository

Announce = Callable[[OrgNeed], list[tuple[str, OutboundMessage]]]  # the answered need -> (outbox key, message)


class NeedRepository:
    """Reads and writes the needs of an organisation's teams."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, need: OrgNeed) -> OrgNeed:
        """Store a new need; returned with its id."""
        with self.db.transaction() as session:
            row = OrgNeedRow(
                team_id=need.team_id,
                source=need.source.value,
                kind=need.kind.value,
                subject=need.subject,
                text=need.text,
                raised_at=need.raised_at,
            )
            session.add(row)
            session.flush()
            return _need(row)

    def get(self, need_id: int) -> OrgNeed | None:
        """One need by id."""
        with self.db.transaction() as session:
            row = session.get(OrgNeedRow, need_id)
            return None if row is None else _need(row)

    def for_organisation(self, org_id: int) -> list[OrgNeed]:
        """The organisation's needs: open ones first, each group newest first."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(OrgNeedRow)
                .join(TeamRow, TeamRow.id == OrgNeedRow.team_id)
                .where(TeamRow.org_id == org_id)
                .order_by(OrgNeedRow.responded_at.is_not(None), OrgNeedRow.raised_at.desc(), OrgNeedRow.id.desc())
            ).all()
            return [_need(row) for row in rows]

    def respond(
        self, need_id: int, response: str, now: datetime, outbox: OutboxRepository, tell: Announce
    ) -> OrgNeed | None:
        """Record what was done and queue `tell(answered need)` in the same transaction: the answer is stored and
        the team told, or neither. None (nothing written) when it was answered already, e.g. from another tab."""
        with self.db.transaction() as session:
            result = session.execute(
                update(OrgNeedRow)
                .where(OrgNeedRow.id == need_id, OrgNeedRow.responded_at.is_(None))
                .values(response=response, responded_at=now)
            )
            if cast("CursorResult[Any]", result).rowcount != 1:
                return None
            row = session.get(OrgNeedRow, need_id)
            assert row is not None  # updated just now, in this transaction
            answered = _need(row)
            outbox.enqueue_in(session, tell(answered))
            return answered


def _need(row: OrgNeedRow) -> OrgNeed:
    return OrgNeed(
        team_id=row.team_id,
        source=NeedSource(row.source),
        kind=NeedKind(row.kind),
        text=row.text,
        raised_at=row.raised_at,
        subject=row.subject or "",
        response=row.response or "",
        responded_at=row.responded_at,
        id=row.id,
    )
