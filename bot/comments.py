"""Which of a closed round's pulse comments a team's supervisor may read: the anonymity rule for free text."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.card_limits import MAX_HEADING, shorten
from bot.errors import DomainError
from bot.i18n import translate
from bot.messages import Card, Heading, OutboundMessage, Text
from bot.organisation import Team
from bot.person import team_channel
from bot.results import RoundReport, RoundTallies

MINIMUM_COMMENTERS = 3  # the product's promise: a comment is never read unless at least this many people commented
COMMENT_THRESHOLD_VARIABLE = "TYHY_COMMENT_THRESHOLD"
ANSWER_LIMIT = 1000  # one message to the team: room for a few points, short enough to be read in the channel

logger = logging.getLogger(__name__)
_warned: set[int] = set()  # a low setting is told once per process, not on every page it is read for
_RANDOM = secrets.SystemRandom()  # the order comments are shown in is drawn afresh each time, from the OS


def comment_threshold_from_env(environ: Mapping[str, str]) -> int:
    """TYHY_COMMENT_THRESHOLD, else 3: how many people must have commented before any comment is shown.

    A value below 3 is raised to 3 with a warning: the promise holds whatever the setting says.
    """
    raw = environ.get(COMMENT_THRESHOLD_VARIABLE, "").strip()
    if not raw:
        return MINIMUM_COMMENTERS
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{COMMENT_THRESHOLD_VARIABLE} must be a whole number of people, not {raw!r}") from None
    if value < MINIMUM_COMMENTERS:
        if value in _warned:
            return MINIMUM_COMMENTERS
        _warned.add(value)
        logger.warning(
            "%s=%s is below the minimum; comments are shown only when at least %s people commented",
            COMMENT_THRESHOLD_VARIABLE,
            value,
            MINIMUM_COMMENTERS,
        )
        return MINIMUM_COMMENTERS
    return value


@dataclass(frozen=True)
class TeamComments:
    """A team's comments in one closed round, as much as may be shown.

    `results_hidden`: the team's own figures are hidden in this round (too few answered, or complementary
    suppression), so nothing about its comments is said, not even how many there are. Otherwise either `shown`
    holds the comments in a fresh random order, or `waiting` says how many wait for enough people to comment.
    """

    round_id: int
    closes_on: date
    shown: tuple[str, ...] = ()
    waiting: int = 0
    results_hidden: bool = False
    needed: int = MINIMUM_COMMENTERS  # how many must have commented before any comment is shown


@dataclass(frozen=True)
class CommentAnswer:
    """What the supervisor told the team about its comments of a round ("you said – we do"), and when."""

    round_id: int
    team_id: int
    text: str
    answered_at: datetime


class CommentAnswerStore(Protocol):
    """The supervisors' answers (storage's CommentAnswerRepository fits)."""

    def for_team(self, team_id: int) -> Mapping[int, CommentAnswer]: ...

    def answer(
        self, answer: CommentAnswer, answered_by: int | None, post: Callable[[str], OutboundMessage]
    ) -> bool: ...


def team_comments(
    report: RoundReport,
    tallies: RoundTallies,
    team_id: int,
    comments: Sequence[tuple[int, str]],
    comment_threshold: int = MINIMUM_COMMENTERS,
    shuffle: Callable[[list[str]], None] = _RANDOM.shuffle,
) -> TeamComments | None:
    """The team's own comments in the round under its frozen tree and threshold; None: the team was not in it.

    Only the team's own comments count, never those of the units under it: each comment is shown with one team
    only, so no two views can be subtracted to leave a smaller group's words. They are shown when the team's
    group is shown in the round's report (the threshold and complementary suppression), the team's own respondents
    reach the threshold, and at least `comment_threshold` (never below 3) of them commented. Each person leaves
    one comment at most, so the comments are the commenters.
    """
    group = report.group(team_id)
    own = next((tally for tally in tallies.tallies if tally.team_id == team_id), None)
    if group is None or own is None:
        return None
    if not group.visible or own.respondents < report.threshold:
        return TeamComments(report.round_id, report.closes_on, results_hidden=True)
    texts = [text for commented_team, text in comments if commented_team == team_id]
    needed = max(comment_threshold, MINIMUM_COMMENTERS)
    if len(texts) < needed:
        return TeamComments(report.round_id, report.closes_on, waiting=len(texts), needed=needed)
    shuffle(texts)
    return TeamComments(report.round_id, report.closes_on, shown=tuple(texts), needed=needed)


def unshown_text(comments: TeamComments, language: str) -> str:
    """Why no comment is shown: the results are hidden, nobody commented, or how many wait for enough company."""
    if comments.results_hidden:
        return translate(language, "comments.results_hidden")
    if comments.waiting == 0:
        return translate(language, "comments.none")
    # The catalogs have no plural forms, so one message for one comment and another for more.
    key = "comments.waiting_one" if comments.waiting == 1 else "comments.waiting_other"
    return translate(language, key, count=comments.waiting, minimum=comments.needed)


def checked_answer(text: str) -> str:
    """The supervisor's answer to the team's comments, trimmed; refused when empty or longer than one message."""
    answer = text.strip()
    if not answer:
        raise DomainError("comments.answer_empty")
    if len(answer) > ANSWER_LIMIT:
        raise DomainError("comments.answer_too_long", limit=ANSWER_LIMIT, given=len(answer))
    return answer


def answer_post(team: Team, text: str, languages: Sequence[str]) -> OutboundMessage:
    """The answer as the team reads it in its channel, headed "you said – we do" in each of the channel's languages."""
    heading = " / ".join(translate(language, "comments.answer_heading", team=team.name) for language in languages)
    card = Card(
        kind="comment_answer",
        fallback_text=shorten(heading, 300),
        blocks=(Heading(shorten(heading, MAX_HEADING)), Text(text)),
    )
    return OutboundMessage(to=team_channel(team), card=card, public=True)
