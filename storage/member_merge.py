"""Folding a duplicate member into the person they are: every row that pointed at the duplicate points at them."""

from __future__ import annotations

import logging

from sqlalchemy import Column, Table, delete, exists, select, update
from sqlalchemy.orm import Session

from storage.base import Base
from storage.models import MemberRow  # also loads every model, so Base knows every table

logger = logging.getLogger(__name__)


def fold_member(session: Session, duplicate_id: int, into_id: int) -> None:
    """Move everything of `duplicate_id` (teams, identities, answered-markers, successes, …) to `into_id`, then
    delete the duplicate. A row the person already has (the same team, the same round answered) is not doubled."""
    if duplicate_id == into_id:
        return
    for table, column in _member_columns():
        if column.primary_key:
            # Keyed by (something, member): where the person has the same key already, the duplicate's goes.
            others = [c for c in table.primary_key.columns if c is not column]
            twin = table.alias()
            already = exists(
                select(twin.c[column.name]).where(
                    twin.c[column.name] == into_id, *(twin.c[c.name] == c for c in others)
                )
            )
            session.execute(delete(table).where(column == duplicate_id, already))
        session.execute(update(table).where(column == duplicate_id).values({column.name: into_id}))
    session.execute(delete(MemberRow).where(MemberRow.id == duplicate_id))
    logger.info("member %s folded into member %s", duplicate_id, into_id)


def _member_columns() -> list[tuple[Table, Column[int]]]:
    # Read from the models, so a table added later that points at a member is folded too.
    members = MemberRow.__table__
    return [
        (table, foreign_key.parent)
        for table in Base.metadata.sorted_tables
        for foreign_key in table.foreign_keys
        if foreign_key.column.table is members
    ]
