"""Success shout-outs ("Lupa onnistua"): a team's wins, optionally tied to a target or a strength of its plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.errors import DomainError

MAX_SUCCESS_LENGTH = 2000  # fits one card text block on every platform with room for the heading


@dataclass(frozen=True)
class Success:
    """A success someone shared with the team; public by nature, so it may name its author."""

    team_id: int
    text: str
    posted_at: datetime
    author_id: int | None = None
    mentioned_ids: tuple[int, ...] = ()
    target_id: int | None = None
    strength_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise DomainError("success.empty")
        if len(self.text) > MAX_SUCCESS_LENGTH:
            raise DomainError("success.too_long", max=MAX_SUCCESS_LENGTH)
