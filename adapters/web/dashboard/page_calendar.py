"""The wellbeing officer's calendar editor: the year's steps as a table and as the YAML of `tyhy calendar export`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.files.calendar_file import calendar_to_yaml, parse_calendar
from adapters.web.dashboard.signin import Viewer, signing_secret
from adapters.web.page_layout import esc
from bot.calendar import AnnualCalendar, StepKind
from bot.calendar_text import step_rule
from bot.errors import DomainError
from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import Organisation, zone_or_default
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository

logger = logging.getLogger(__name__)

PATH = "/dashboard/calendar"
CSRF_FIELD = "csrf"
BASE_FIELD = "base"  # which calendar the form was opened on, so a save never silently overwrites a newer one
TEXT_FIELD = "calendar"
_CSRF_PURPOSE = b"dashboard-calendar-form:"  # keeps this HMAC apart from the sign-in links made with the same secret


@dataclass(frozen=True)
class Screen:
    """What the dashboard answers: a page (status, title, escaped body) or a redirect after a save."""

    status: int
    title: str
    body: str = ""
    redirect: str | None = None


def csrf_token(secret: bytes, session: str) -> str:
    """The form's token: tied to the session, so another site cannot post a form made for someone else."""
    return hmac.new(secret, _CSRF_PURPOSE + session.encode(), hashlib.sha256).hexdigest()


def calendar_version(calendar: AnnualCalendar) -> str:
    """A fingerprint of the calendar's content (the dataclass repr is deterministic)."""
    return hashlib.sha256(repr(calendar).encode()).hexdigest()[:32]


async def calendar_screen(request: web.Request, db: Database, viewer: Viewer, language: str, now: datetime) -> Screen:
    """GET shows the editor; POST checks the token and the text as `tyhy calendar import` does, then saves."""
    if not viewer.is_officer:
        return _refused(language, "web.calendar.officer_only")
    if request.method == "POST":
        posted = await request.post()
        form = {name: value for name, value in posted.items() if isinstance(value, str)}
        return await asyncio.to_thread(_submit, db, viewer, language, now, form)
    return await asyncio.to_thread(_show, db, language, now, viewer.session, "saved" in request.query)


def _show(db: Database, language: str, now: datetime, session: str, saved: bool) -> Screen:
    org = OrganisationRepository(db).get()
    if org is None:
        return _no_organisation(language)
    calendar = CalendarRepository(db).get(org.id)
    notice = f'<p class="notice" role="status">{esc(translate(language, "web.calendar.saved"))}</p>' if saved else ""
    token = csrf_token(signing_secret(db), session)
    form = _Form(calendar_to_yaml(calendar, language), calendar_version(calendar), token)
    return Screen(200, translate(language, "web.calendar.title"), notice + _body(org, calendar, language, now, form))


def _submit(db: Database, viewer: Viewer, language: str, now: datetime, form: Mapping[str, str]) -> Screen:
    token = csrf_token(signing_secret(db), viewer.session)
    if not hmac.compare_digest(form.get(CSRF_FIELD, "").encode(), token.encode()):
        return _refused(language, "web.calendar.bad_token")
    org = OrganisationRepository(db).get()
    if org is None:
        return _no_organisation(language)
    repository = CalendarRepository(db)
    current = repository.get(org.id)
    # Browsers send a textarea's line breaks as CRLF: plain newlines keep the quoted line and the kept text clean.
    text = form.get(TEXT_FIELD, "").replace("\r\n", "\n")
    title = translate(language, "web.calendar.title")
    try:
        calendar = parse_calendar(text, [t.key for t in org.teams])  # the very check `tyhy calendar import` runs
    except DomainError as error:
        problem = _problem(error.message(language), _quoted_line(text, error.params.get("line"), language))
        kept = _Form(text, form.get(BASE_FIELD, ""), token, problem)
        return Screen(422, title, _body(org, current, language, now, kept))
    if form.get(BASE_FIELD) != calendar_version(current):
        # Someone saved in between (another tab, tyhy calendar import): saving again on purpose replaces theirs.
        problem = _problem(translate(language, "web.calendar.changed_meanwhile"), "")
        kept = _Form(text, calendar_version(current), token, problem)
        return Screen(409, title, _body(org, current, language, now, kept))
    repository.save(org.id, calendar)
    logger.info("calendar saved from the dashboard by member %s: %d steps", viewer.member.id, len(calendar.steps))
    return Screen(303, title, redirect=f"{PATH}?saved=1")


# --- HTML ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    text: str
    base: str
    token: str
    problem: str = ""  # escaped HTML of the error box, empty when there is none


def _body(org: Organisation, calendar: AnnualCalendar, language: str, now: datetime, form: _Form) -> str:
    year = now.astimezone(zone_or_default(org.timezone)).year
    return (
        f'<h2 id="steps">{esc(translate(language, "web.calendar.steps_heading", year=year))}</h2>'
        + _table(org, calendar, language, year)
        + _cadence(calendar, language)
        + f'<h2 id="edit">{esc(translate(language, "web.calendar.edit_heading"))}</h2>'
        + form.problem
        + _editor(form, language)
    )


def _table(org: Organisation, calendar: AnnualCalendar, language: str, year: int) -> str:
    if not calendar.steps:
        return f"<p>{esc(translate(language, 'calendar_show.no_steps'))}</p>"
    names = {t.key: t.name for t in org.teams}
    columns = ("date", "step", "key", "rule", "units", "on")
    head = "".join(f'<th scope="col">{esc(translate(language, f"calendar_show.column.{c}"))}</th>' for c in columns)
    dated = sorted(((calendar.date_of(s.key, year), s) for s in calendar.steps), key=lambda p: (p[0], p[1].key))
    weekdays = translate(language, "calendar_show.weekdays").split()
    rows = "".join(
        f"<tr><td>{esc(weekdays[day.weekday()])} {esc(format_date(day, language))}</td>"
        f'<th scope="row">{esc(translate(language, f"calendar_kind.{step.kind.value}"))}</th>'
        f"<td><code>{esc(step.key)}</code></td><td>{esc(step_rule(step, language))}</td>"
        f"<td>{esc(', '.join(names.get(u, u) for u in step.units) or translate(language, 'calendar_show.all_units'))}"
        f"</td><td>{esc(translate(language, 'calendar_show.yes' if step.enabled else 'calendar_show.no'))}</td></tr>"
        for day, step in dated
    )
    return (
        '<div class="table-wrap" role="region" aria-labelledby="steps" tabindex="0"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _cadence(calendar: AnnualCalendar, language: str) -> str:
    pulse = (
        translate(language, "calendar_show.pulse_every", weeks=calendar.pulse_every_weeks)
        if calendar.pulse_every_weeks
        else translate(language, "calendar_show.pulse_off")
    )
    return f"<p>{esc(pulse)} {esc(translate(language, 'calendar_show.hour', hour=calendar.send_hour))}</p>"


def _editor(form: _Form, language: str) -> str:
    described = "calendar-help calendar-problem" if form.problem else "calendar-help"
    invalid = ' aria-invalid="true"' if form.problem else ""
    rows = min(max(form.text.count("\n") + 2, 12), 60)
    # Browsers drop one newline right after <textarea>: writing one keeps a text that starts with an empty line
    # intact, so the line numbers in an error still match what the officer sees.
    return (
        f'<form method="post" action="{PATH}">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(form.token)}">'
        f'<input type="hidden" name="{BASE_FIELD}" value="{esc(form.base)}">'
        f'<p><label for="calendar-text">{esc(translate(language, "web.calendar.label"))}</label></p>'
        f'<p id="calendar-help" class="note">{esc(translate(language, "web.calendar.help"))} '
        f'<a href="#format">{esc(translate(language, "web.calendar.format_link"))}</a></p>'
        f'<textarea id="calendar-text" name="{TEXT_FIELD}" rows="{rows}" cols="80" spellcheck="false" '
        f'autocapitalize="off" autocomplete="off" aria-describedby="{described}"{invalid} '
        'style="display:block;width:100%;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.95rem;'
        f'padding:.5rem;border:1px solid #595959;border-radius:4px">\n{esc(form.text)}</textarea>'
        f'<p><button type="submit">{esc(translate(language, "web.calendar.save"))}</button></p></form>'
        f'<h2 id="format">{esc(translate(language, "web.calendar.format_heading"))}</h2>'
        f"<p>{esc(translate(language, 'web.calendar.format_intro'))}</p>"
        f'<pre style="white-space:pre-wrap">{esc(translate(language, "calendar_file.header", kinds=_kinds()))}</pre>'
    )


def _kinds() -> str:
    return ", ".join(kind.value for kind in StepKind)


def _problem(message: str, quoted: str) -> str:
    # role="alert" reads the error out as soon as the page opens; the textarea points here with aria-describedby.
    return (
        f'<div id="calendar-problem" class="problem" role="alert"><p><strong>{esc(message)}</strong></p>{quoted}</div>'
    )


def _quoted_line(text: str, line: object, language: str) -> str:
    """The submitted line the error is about, so the officer finds it without counting."""
    lines = text.split("\n")
    if not isinstance(line, int) or not 1 <= line <= len(lines) or not lines[line - 1].strip():
        return ""
    shown = esc(translate(language, "web.calendar.line_reads", line=line))
    return f"<p>{shown} <code>{esc(lines[line - 1].strip())}</code></p>"


def _refused(language: str, key: str) -> Screen:
    body = f'<p class="problem">{esc(translate(language, key))}</p>'
    body += f'<p><a href="/dashboard">{esc(translate(language, "web.team.back"))}</a></p>'
    return Screen(403, translate(language, "web.calendar.refused_title"), body)


def _no_organisation(language: str) -> Screen:
    body = f"<p>{esc(translate(language, 'cli.no_organisation'))}</p>"
    return Screen(404, translate(language, "web.calendar.title"), body)
