"""What the team said in its pulse comments, on the team's page, and the supervisor's one answer to them."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from aiohttp import web

from adapters.web.dashboard.comments_data import AnswerForm, CommentRound, team_comment_rounds
from adapters.web.dashboard.models import TeamView
from adapters.web.dashboard.signin import Viewer, signing_secret
from adapters.web.page_layout import esc
from bot.comments import (
    ANSWER_LIMIT,
    CommentAnswer,
    answer_post,
    checked_answer,
    comment_threshold_from_env,
    team_comments,
    unshown_text,
)
from bot.errors import DomainError
from bot.flows.followup_trend import QUESTION_DIMENSIONS
from bot.formatting import format_date
from bot.i18n import translate
from bot.language import channel_languages
from bot.organisation import Role, Team
from bot.results import frozen_report
from storage.comment_answers import CommentAnswerRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository

logger = logging.getLogger(__name__)

CSRF_FIELD = "csrf"
ROUND_FIELD = "round"
TEXT_FIELD = "answer"
_CSRF_PURPOSE = b"dashboard-comment-answer:"  # keeps this HMAC apart from the other forms' and the sign-in links'


@dataclass(frozen=True)
class AnswerScreen:
    """The answer's outcome: a redirect back to the team's page, or a page saying what was wrong."""

    status: int
    title: str = ""
    body: str = ""
    redirect: str | None = None


def answer_token(secret: bytes, session: str) -> str:
    """The answer form's token: tied to the session, so another site cannot post an answer for someone else."""
    return hmac.new(secret, _CSRF_PURPOSE + session.encode(), hashlib.sha256).hexdigest()


def may_answer(viewer: Viewer, team_id: int) -> bool:
    """Only the team's own supervisor answers the team: the answer speaks for the people who lead it."""
    return viewer.member.role is Role.SUPERVISOR and team_id in viewer.member.team_ids


def answer_form(db: Database, viewer: Viewer, team: Team) -> AnswerForm | None:
    """The answer form for the team's supervisor; None for anyone else."""
    if not may_answer(viewer, team.id):
        return None
    return AnswerForm(f"/dashboard/team/{team.key}/comments", answer_token(signing_secret(db), viewer.session))


def with_comments(view: TeamView, db: Database, viewer: Viewer, org_id: int, team: Team, now: datetime) -> TeamView:
    """The team's page with its comments, and the answer form when the viewer is the team's supervisor."""
    return replace(view, comments=team_comment_rounds(db, org_id, team, now), answer_form=answer_form(db, viewer, team))


def comments_section(rounds: tuple[CommentRound, ...], language: str, form: AnswerForm | None = None) -> str:
    """The newest closed rounds' comments, each round with the answer given or (to the supervisor) a form."""
    parts = [f'<h2 id="comments">{esc(translate(language, "comments.heading"))}</h2>']
    parts.append(f'<p class="note">{esc(translate(language, "comments.privacy_note"))}</p>')
    if not rounds:
        parts.append(f"<p>{esc(translate(language, 'comments.no_rounds'))}</p>")
    for found in rounds:
        parts.append(_round(found, language, form))
    return f'<section class="comments">{"".join(parts)}</section>'


def _round(found: CommentRound, language: str, form: AnswerForm | None) -> str:
    comments = found.comments
    lines = [f"<h3>{esc(translate(language, 'comments.round', date=format_date(comments.closes_on, language)))}</h3>"]
    if not comments.shown:
        return lines[0] + f"<p>{esc(unshown_text(comments, language))}</p>"
    lines.append('<ul class="comment-list">' + "".join(f"<li>{_lines(text)}</li>" for text in comments.shown) + "</ul>")
    if found.answer is not None:
        lines.append(_answer(found.answer, found.answered_on or found.answer.answered_at.date(), language))
    elif form is not None:
        lines.append(_form(form, comments.round_id, language))
    return "".join(lines)


def _answer(answer: CommentAnswer, answered_on: date, language: str) -> str:
    said = translate(language, "comments.answered", date=format_date(answered_on, language))
    return f'<div class="comment-answer"><p><strong>{esc(said)}</strong></p><p>{_lines(answer.text)}</p></div>'


def _lines(text: str) -> str:
    """Escaped text whose line breaks stay line breaks."""
    return "<br>".join(esc(line) for line in text.splitlines())


def _form(form: AnswerForm, round_id: int, language: str) -> str:
    label = translate(language, "comments.answer_label")
    field_id = f"comment-answer-{round_id}"
    return (
        f'<form method="post" action="{esc(form.action)}" class="comment-answer-form">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(form.token)}">'
        f'<input type="hidden" name="{ROUND_FIELD}" value="{round_id}">'
        f'<label for="{field_id}">{esc(label)}</label>'
        f'<textarea id="{field_id}" name="{TEXT_FIELD}" rows="4" maxlength="{ANSWER_LIMIT}" required></textarea>'
        f'<p class="note">{esc(translate(language, "comments.answer_hint"))}</p>'
        f'<button type="submit">{esc(translate(language, "comments.answer_send"))}</button></form>'
    )


# --- The answer, posted ------------------------------------------------------------------------------------


async def answer_comments(
    request: web.Request, db: Database, viewer: Viewer, language: str, now: datetime
) -> AnswerScreen:
    """POST: the team's supervisor answers a closed round's shown comments with one message to the team's channel."""
    posted = await request.post()
    form = {name: value for name, value in posted.items() if isinstance(value, str)}
    return await asyncio.to_thread(_answer_submitted, db, viewer, language, now, request.match_info["key"], form)


def _answer_submitted(
    db: Database, viewer: Viewer, language: str, now: datetime, key: str, form: Mapping[str, str]
) -> AnswerScreen:
    organisation = OrganisationRepository(db).get()
    team = organisation.team_by_key(key) if organisation else None
    if organisation is None or team is None or not may_answer(viewer, team.id):
        return _problem(403, language, "comments.answer_refused", None)
    back = f"/dashboard/team/{team.key}#comments"
    if not hmac.compare_digest(
        form.get(CSRF_FIELD, "").encode(), answer_token(signing_secret(db), viewer.session).encode()
    ):
        return _problem(403, language, "comments.answer_bad_token", back)
    round_id = form.get(ROUND_FIELD, "")
    if not (round_id.isascii() and round_id.isdigit() and len(round_id) < 12) or not _shown(
        db, int(round_id), organisation.id, team, now
    ):
        return _problem(409, language, "comments.answer_nothing", back)
    try:
        text = checked_answer(form.get(TEXT_FIELD, "").replace("\r\n", "\n"))
    except DomainError as error:
        return AnswerScreen(
            422, translate(language, "comments.heading"), _problem_body(error.message(language), back, language)
        )
    languages = channel_languages(team, OrganisationRepository(db).members(team.id), organisation)
    answer = CommentAnswer(int(round_id), team.id, text, now)
    if not CommentAnswerRepository(db).answer(
        answer, viewer.member.id, lambda kept: answer_post(team, kept, languages)
    ):
        return _problem(409, language, "comments.answer_already", back)
    # Never the text: logs are kept apart from the dashboard's readers, and the answer is about the comments.
    logger.info("comments of round %s answered for team %s by member %s", round_id, team.id, viewer.member.id)
    return AnswerScreen(303, redirect=back)


def _shown(db: Database, round_id: int, org_id: int, team: Team, now: datetime) -> bool:
    """True when the round is closed and its comments are shown to the team's page: only those can be answered."""
    pulses = PulseRepository(db)
    try:
        tallies = pulses.tallies(round_id)
    except LookupError:
        return False
    found = next((r for r in pulses.rounds(org_id) if r.id == round_id), None)
    if found is None or found.closes_at > now:
        return False
    seen = team_comments(
        frozen_report(tallies, QUESTION_DIMENSIONS),
        tallies,
        team.id,
        pulses.comments(round_id),
        comment_threshold_from_env(os.environ),
    )
    return seen is not None and bool(seen.shown)


def _problem(status: int, language: str, key: str, back: str | None) -> AnswerScreen:
    return AnswerScreen(
        status, translate(language, "comments.heading"), _problem_body(translate(language, key), back, language)
    )


def _problem_body(message: str, back: str | None, language: str) -> str:
    link = f'<a href="{esc(back)}">{esc(translate(language, "comments.back"))}</a>' if back else ""
    link = link or f'<a href="/dashboard">{esc(translate(language, "web.team.back"))}</a>'
    return f'<p class="problem" role="alert">{esc(message)}</p><p>{link}</p>'
