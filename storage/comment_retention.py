"""Free text kept no longer than the retention: pulse comments and personal choosing picks past it are deleted."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select

from bot.months import add_months
from storage.db import Database
from storage.models import ChoosePickRow, ChooseSessionRow, PulseCommentRow, PulseRoundRow

RETENTION_VARIABLE = "TYHY_COMMENT_RETENTION_MONTHS"
DEFAULT_MONTHS = 24


def retention_months_from_env(environ: Mapping[str, str] = os.environ) -> int:
    """TYHY_COMMENT_RETENTION_MONTHS, else 24: how many months comments are kept after their round closed."""
    raw = environ.get(RETENTION_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MONTHS
    try:
        months = int(raw)
    except ValueError:
        raise ValueError(f"{RETENTION_VARIABLE} must be a whole number of months, not {raw!r}") from None
    if months < 1:
        raise ValueError(f"{RETENTION_VARIABLE} must be at least 1, not {raw!r}")
    return months


def retention_cutoff(now: datetime, months: int) -> datetime:
    """The moment `months` calendar months before `now`; text from before it is past the retention."""
    day = add_months(now.date(), -months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def delete_old_comments(db: Database, now: datetime, months: int = DEFAULT_MONTHS) -> int:
    """Delete free text older than the retention; returns how many texts went.

    A comment stores no time of its own (so it cannot hint at who wrote it), so its age is its round's: a comment
    goes when its round closed before the cutoff. The words people typed as their own picks in "me - us - all of
    us" are tied to them, so they go with their session's closing too. Success shout-outs and plan texts stay:
    they are the team's shared record, posted openly and needed for the yearly evaluation (DOMAIN.md).
    """
    if months < 1:
        raise ValueError("the retention must be at least one month")
    cutoff = retention_cutoff(now, months)
    with db.transaction() as session:
        old_rounds = select(PulseRoundRow.id).where(PulseRoundRow.closes_at < cutoff)
        comments = session.execute(
            delete(PulseCommentRow)
            .where(PulseCommentRow.round_id.in_(old_rounds))
            .execution_options(synchronize_session=False)
        )
        old_sessions = select(ChooseSessionRow.id).where(ChooseSessionRow.closes_at < cutoff)
        picks = session.execute(
            delete(ChoosePickRow)
            .where(ChoosePickRow.session_id.in_(old_sessions))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(comments, "rowcount", 0) or 0) + int(getattr(picks, "rowcount", 0) or 0)
