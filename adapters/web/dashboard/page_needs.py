"""The wellbeing officer's list of needs teams carried to the organisation, and the form recording what was done."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.web.dashboard.signin import Viewer, signing_secret
from adapters.web.page_layout import esc
from bot.errors import DomainError
from bot.flows.discuss import channel_language
from bot.flows.needs_cards import answered_card
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import OutboundMessage
from bot.org_needs import MAX_RESPONSE_TEXT, OrgNeed, response_text
from bot.organisation import Organisation, Team, team_time
from bot.person import team_channel
from storage.db import Database
from storage.need_repository import NeedRepository
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository

logger = logging.getLogger(__name__)

PATH = "/dashboard/needs"
CSRF_FIELD = "csrf"
NEED_FIELD = "need"
RESPONSE_FIELD = "response"
_CSRF_PURPOSE = b"dashboard-needs-form:"  # keeps this HMAC apart from the sign-in links and the calendar's form


@dataclass(frozen=True)
class Screen:
    """What the dashboard answers: a page (status, title, escaped body) or a redirect after a save."""

    status: int
    title: str
    body: str = ""
    redirect: str | None = None


@dataclass(frozen=True)
class _Kept:
    """A refused answer: which need, the text as typed, and the problem shown above its form."""

    need_id: int
    text: str
    problem: str


def csrf_token(secret: bytes, session: str) -> str:
    """The form's token: tied to the session, so another site cannot post a form made for someone else."""
    return hmac.new(secret, _CSRF_PURPOSE + session.encode(), hashlib.sha256).hexdigest()


def answer_key(need_id: int) -> str:
    """The outbox key of a need's answer to its team: one answer per need, however often the form is posted."""
    return f"need:{need_id}:answered"


async def needs_screen(request: web.Request, db: Database, viewer: Viewer, language: str, now: datetime) -> Screen:
    """GET lists the needs; POST checks the token and the answer, stores it and tells the team, or says why not."""
    if not viewer.is_officer:
        return _page(403, language, f'<p class="problem">{esc(translate(language, "needs.web.officer_only"))}</p>')
    if request.method == "POST":
        posted = await request.post()
        form = {name: value for name, value in posted.items() if isinstance(value, str)}
        return await asyncio.to_thread(_submit, db, viewer, language, now, form)
    return await asyncio.to_thread(_show, db, viewer, language, "saved" in request.query)


def _show(
    db: Database, viewer: Viewer, language: str, saved: bool, status: int = 200, kept: _Kept | None = None
) -> Screen:
    org = OrganisationRepository(db).get()
    if org is None:
        return _page(404, language, f"<p>{esc(translate(language, 'cli.no_organisation'))}</p>")
    needs = NeedRepository(db).for_organisation(org.id)
    notice = f'<p class="notice" role="status">{esc(translate(language, "needs.web.saved"))}</p>' if saved else ""
    token = csrf_token(signing_secret(db), viewer.session)
    body = f"<p>{esc(translate(language, 'needs.web.intro'))}</p>" + notice + _table(org, needs, language, token, kept)
    return _page(status, language, body)


def _submit(db: Database, viewer: Viewer, language: str, now: datetime, form: Mapping[str, str]) -> Screen:
    token = csrf_token(signing_secret(db), viewer.session)
    if not hmac.compare_digest(form.get(CSRF_FIELD, "").encode(), token.encode()):
        return _page(403, language, f'<p class="problem">{esc(translate(language, "needs.web.bad_token"))}</p>')
    org = OrganisationRepository(db).get()
    needs = NeedRepository(db)
    raw_id = form.get(NEED_FIELD, "")
    need = needs.get(int(raw_id)) if raw_id.isdigit() else None
    team = _team(org, need) if org is not None and need is not None else None
    if org is None or need is None or need.id is None or team is None:  # another organisation's is as unknown
        return _page(404, language, f'<p class="problem">{esc(translate(language, "needs.web.unknown"))}</p>')
    typed = form.get(RESPONSE_FIELD, "")
    try:
        response = response_text(typed)
    except DomainError as error:
        return _show(db, viewer, language, False, 422, _Kept(need.id, typed, error.message(language)))
    answered = needs.respond(need.id, response, now, OutboxRepository(db), lambda done: [_answer(org, team, done)])
    if answered is None:
        return _page(409, language, f'<p class="problem">{esc(translate(language, "needs.web.already"))}</p>')
    logger.info("need %s answered from the dashboard by member %s", need.id, viewer.member.id)
    return Screen(303, translate(language, "needs.web.title"), redirect=f"{PATH}?saved=1")


def _answer(org: Organisation, team: Team, need: OrgNeed) -> tuple[str, OutboundMessage]:
    assert need.id is not None  # read back from storage
    raised_on = team_time(need.raised_at, team).date()
    card = answered_card(need, raised_on, channel_language(team, org))
    return answer_key(need.id), OutboundMessage(to=team_channel(team), card=card, public=True)


def _team(org: Organisation, need: OrgNeed) -> Team | None:
    return next((t for t in org.teams if t.id == need.team_id), None)


# --- HTML ---------------------------------------------------------------------------------------------------


def _table(org: Organisation, needs: list[OrgNeed], language: str, token: str, kept: _Kept | None) -> str:
    if not needs:
        return f"<p>{esc(translate(language, 'needs.web.none'))}</p>"
    columns = ("team", "date", "about", "kind", "need", "done")
    head = "".join(f'<th scope="col">{esc(translate(language, f"needs.web.column.{c}"))}</th>' for c in columns)
    rows = "".join(_row(org, need, language, token, kept) for need in needs)
    return (
        '<div class="table-wrap" role="region" aria-labelledby="needs-title" tabindex="0"><table>'
        f'<caption id="needs-title">{esc(translate(language, "needs.web.title"))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _row(org: Organisation, need: OrgNeed, language: str, token: str, kept: _Kept | None) -> str:
    team = _team(org, need)
    name = team.name if team is not None else ""
    raised_on = team_time(need.raised_at, team).date() if team is not None else need.raised_at.date()
    source = translate(language, f"needs.web.source.{need.source.value}")
    about = f"{source}: {need.subject}" if need.subject else source
    kind = translate(language, f"needs.kind.{need.kind.value}")
    if need.responded_at is not None:
        responded_on = team_time(need.responded_at, team).date() if team is not None else need.responded_at.date()
        answered_on = translate(language, "needs.web.answered_on", date=format_date(responded_on, language))
        done = f'{esc(answered_on)} <span style="white-space:pre-wrap">{esc(need.response)}</span>'
    else:
        done = _form(need, language, token, kept if kept is not None and kept.need_id == need.id else None)
    return (
        f'<tr><th scope="row">{esc(name)}</th><td>{esc(format_date(raised_on, language))}</td>'
        f"<td>{esc(about)}</td><td>{esc(kind)}</td><td>{esc(need.text)}</td><td>{done}</td></tr>"
    )


def _form(need: OrgNeed, language: str, token: str, kept: _Kept | None) -> str:
    field = f"response-{need.id}"
    problem = f'<p id="{field}-problem" class="problem" role="alert">{esc(kept.problem)}</p>' if kept else ""
    invalid = f' aria-invalid="true" aria-describedby="{field}-problem"' if kept else ""
    text = kept.text if kept else ""
    return (
        f'<form method="post" action="{PATH}">{problem}'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(token)}">'
        f'<input type="hidden" name="{NEED_FIELD}" value="{need.id}">'
        f'<label for="{field}">{esc(translate(language, "needs.web.response_label"))}</label>'
        f'<textarea id="{field}" name="{RESPONSE_FIELD}" rows="3" cols="40" maxlength="{MAX_RESPONSE_TEXT}"'
        f'{invalid} style="display:block;width:100%">\n{esc(text)}</textarea>'
        f'<button type="submit">{esc(translate(language, "needs.web.save"))}</button></form>'
    )


def _page(status: int, language: str, body: str) -> Screen:
    return Screen(status, translate(language, "needs.web.title"), body)
