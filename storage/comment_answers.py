"""The supervisor's one answer to a team's pulse comments in a round ("you said – we do"), kept beside them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.comments import CommentAnswer
from bot.messages import OutboundMessage
from storage.base import Base, UtcDateTime
from storage.db import Database
from storage.outbox_repository import OutboxRepository


class CommentAnswerRow(Base):
    """The answer posted to the team's channel: the supervisor's own words, shared openly (migration 0022)."""

    __tablename__ = "pulse_comment_answers"
    __table_args__ = (UniqueConstraint("round_id", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("members.id", ondelete="SET NULL"))


class CommentAnswerRepository:
    """One answer per team and round: a second one is refused, so the team's channel hears it once."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, answer: CommentAnswer, answered_by: int | None) -> bool:
        """Keep the answer; False when the team's comments of that round were answered already."""
        row = CommentAnswerRow(
            round_id=answer.round_id,
            team_id=answer.team_id,
            text=answer.text,
            answered_at=answer.answered_at,
            answered_by=answered_by,
        )
        try:
            with self.db.transaction() as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def answer(self, answer: CommentAnswer, answered_by: int | None, post: Callable[[str], OutboundMessage]) -> bool:
        """Keep the answer and queue its post to the team's channel; False when answered already.

        The post is queued under a key of its own round and team, after the answer is kept: a second answer is
        refused, and a try that stopped between the two is completed by the next, which queues the kept answer.
        """
        added = self.add(answer, answered_by)
        kept = answer if added else self.for_team(answer.team_id).get(answer.round_id)
        if kept is not None:
            key = f"comment-answer:{answer.round_id}:{answer.team_id}"
            OutboxRepository(self.db).enqueue([(key, post(kept.text))])
        return added

    def for_team(self, team_id: int) -> dict[int, CommentAnswer]:
        """The team's answers by round id."""
        with self.db.transaction() as session:
            rows = session.scalars(select(CommentAnswerRow).where(CommentAnswerRow.team_id == team_id)).all()
            return {r.round_id: CommentAnswer(r.round_id, r.team_id, r.text, r.answered_at) for r in rows}
