"""The wellbeing officer's calendar editor: the year's steps as a table and as the YAML of `tyhy calendar export`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from aiohttp import web

from adapters.files.calendar_file import calendar_to_yaml, parse_calendar
from adapters.web.dashboard.calendar_form import EDITOR_FIELD, EDITOR_FORM, FormState, form_html, read_form, values_of
from adapters.web.dashboard.data import calendar_view
from adapters.web.dashboard.signin import Viewer, signing_secret
from adapters.web.dashboard.wheel_legend import wheel_with_legend
from adapters.web.page_layout import esc
from bot.calendar import AnnualCalendar, StepKind
from bot.calendar_text import sending_day, step_names, step_rule, weekday_date
from bot.errors import DomainError
from bot.i18n import translate
from bot.organisation import Organisation, zone_or_default
from bot.workdays import WorkingDays
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


YEARS_BACK = 5  # the years the page offers around this one: past years to look back, coming ones to plan
YEARS_AHEAD = 3


async def calendar_screen(request: web.Request, db: Database, viewer: Viewer, language: str, now: datetime) -> Screen:
    """GET shows the year (?year=) and the editors; POST checks the token, then the form or the YAML as the import
    checks a file, and saves."""
    if not viewer.is_officer:
        return _refused(language, "web.calendar.officer_only")
    if request.method == "POST":
        posted = await request.post()
        values = {name: [v for v in posted.getall(name) if isinstance(v, str)] for name in set(posted.keys())}
        return await asyncio.to_thread(_submit, db, viewer, language, now, values)
    shown = request.query.get("year")
    return await asyncio.to_thread(_show, db, language, now, viewer.session, "saved" in request.query, shown)


def _show(db: Database, language: str, now: datetime, session: str, saved: bool, shown: str | None) -> Screen:
    org = OrganisationRepository(db).get()
    if org is None:
        return _no_organisation(language)
    this_year = _this_year(org, now)
    year = _year(shown, this_year)
    if year is None:
        first, last = this_year - YEARS_BACK, this_year + YEARS_AHEAD
        body = f'<p class="problem">{esc(translate(language, "web.calendar.bad_year", first=first, last=last))}</p>'
        body += f'<p><a href="{PATH}">{esc(translate(language, "web.calendar.this_year", year=this_year))}</a></p>'
        return Screen(400, translate(language, "web.calendar.title"), body)
    calendar = CalendarRepository(db).get(org.id)
    notice = f'<p class="notice" role="status">{esc(translate(language, "web.calendar.saved"))}</p>' if saved else ""
    token = csrf_token(signing_secret(db), session)
    page = _Page(
        _Form(calendar_to_yaml(calendar, language), calendar_version(calendar), token),
        FormState(values_of(calendar)),
    )
    return Screen(
        200, translate(language, "web.calendar.title"), notice + _body(db, org, calendar, language, now, year, page)
    )


def _submit(db: Database, viewer: Viewer, language: str, now: datetime, values: Mapping[str, list[str]]) -> Screen:
    def one(name: str) -> str:
        return (values.get(name) or [""])[0]

    token = csrf_token(signing_secret(db), viewer.session)
    if not hmac.compare_digest(one(CSRF_FIELD).encode(), token.encode()):
        return _refused(language, "web.calendar.bad_token")
    org = OrganisationRepository(db).get()
    if org is None:
        return _no_organisation(language)
    if one(EDITOR_FIELD) == EDITOR_FORM:
        return _submit_form(db, viewer, org, language, now, values, token)
    repository = CalendarRepository(db)
    current = repository.get(org.id)
    year = _this_year(org, now)
    # Browsers send a textarea's line breaks as CRLF: plain newlines keep the quoted line and the kept text clean.
    text = one(TEXT_FIELD).replace("\r\n", "\n")
    title = translate(language, "web.calendar.title")
    saved_form = FormState(values_of(current))
    try:
        calendar = parse_calendar(text, [t.key for t in org.teams])  # the very check `tyhy calendar import` runs
    except DomainError as error:
        problem = _problem(error.message(language), _quoted_line(text, error.params.get("line"), language))
        kept = _Page(_Form(text, one(BASE_FIELD), token, problem), saved_form, yaml_open=True)
        return Screen(422, title, _body(db, org, current, language, now, year, kept))
    if one(BASE_FIELD) != calendar_version(current):
        # Someone saved in between (another tab, tyhy calendar import): saving again on purpose replaces theirs.
        problem = _problem(translate(language, "web.calendar.changed_meanwhile"), "")
        kept = _Page(_Form(text, calendar_version(current), token, problem), saved_form, yaml_open=True)
        return Screen(409, title, _body(db, org, current, language, now, year, kept))
    repository.save(org.id, calendar)
    logger.info("calendar saved from the dashboard by member %s: %d steps", viewer.member.id, len(calendar.steps))
    return Screen(303, title, redirect=f"{PATH}?saved=1")


def _submit_form(
    db: Database,
    viewer: Viewer,
    org: Organisation,
    language: str,
    now: datetime,
    values: Mapping[str, list[str]],
    token: str,
) -> Screen:
    repository = CalendarRepository(db)
    current = repository.get(org.id)
    year = _this_year(org, now)
    title = translate(language, "web.calendar.title")
    yaml_form = _Form(calendar_to_yaml(current, language), calendar_version(current), token)
    base = (values.get(BASE_FIELD) or [""])[0]
    if base != calendar_version(current):
        # The steps may have changed under the form: show the saved calendar with what was typed kept where it fits.
        kept = FormState({**values_of(current), **values}, {})
        notice = _problem(translate(language, "web.calendar.changed_meanwhile"), "")
        page = _Page(yaml_form, kept, form_notice=notice)
        return Screen(409, title, _body(db, org, current, language, now, year, page))
    calendar, problems = read_form(values, current, org, language)
    if calendar is None:
        page = _Page(yaml_form, FormState(values, problems))
        return Screen(422, title, _body(db, org, current, language, now, year, page))
    repository.save(org.id, calendar)
    logger.info("calendar saved from the dashboard's form by member %s", viewer.member.id)
    return Screen(303, title, redirect=f"{PATH}?saved=1")


def _this_year(org: Organisation, now: datetime) -> int:
    return now.astimezone(zone_or_default(org.timezone)).year


def _year(shown: str | None, this_year: int) -> int | None:
    """The year asked for, or this one; None when it is not a year the page offers."""
    if shown is None or shown == "":
        return this_year
    if not shown.isdigit() or not this_year - YEARS_BACK <= int(shown) <= this_year + YEARS_AHEAD:
        return None
    return int(shown)


# --- HTML ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    text: str
    base: str
    token: str
    problem: str = ""  # escaped HTML of the error box, empty when there is none


@dataclass(frozen=True)
class _Page:
    yaml: _Form
    form: FormState
    yaml_open: bool = False  # the advanced view opens when its text was refused
    form_notice: str = ""  # escaped HTML above the form (a save stopped by a newer calendar)


def _body(
    db: Database, org: Organisation, calendar: AnnualCalendar, language: str, now: datetime, year: int, page: _Page
) -> str:
    def t(key: str, **params: object) -> str:
        return esc(translate(language, key, **params))

    wheel_label = translate(language, "web.wheel.heading", year=year)
    hidden = {CSRF_FIELD: page.yaml.token, BASE_FIELD: page.yaml.base}
    return (
        f'<h2 id="steps">{t("web.calendar.steps_heading", year=year)}</h2>'
        + _years(year, _this_year(org, now), language)
        + _table(org, calendar, language, year)
        + _cadence(calendar, language)
        + f'<h2 id="wheel">{esc(wheel_label)}</h2>'
        + wheel_with_legend(calendar_view(db, now, language, year=year), language, wheel_label)
        + f'<h2 id="edit">{t("web.calendar.edit_heading")}</h2>'
        + f'<p class="note">{t("web.calendar.form.intro")}</p>'
        + page.form_notice
        + form_html(page.form, calendar, org, language, hidden, PATH)
        + f'<details id="advanced"{" open" if page.yaml_open else ""}>'
        f"<summary>{t('web.calendar.advanced')}</summary>"
        + page.yaml.problem
        + _editor(page.yaml, language)
        + "</details>"
    )


def _years(year: int, this_year: int, language: str) -> str:
    """A GET form choosing the year shown: past years to look back at, coming ones to plan."""
    options = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>'
        for y in range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1)
    )
    return (
        f'<form method="get" action="{PATH}" class="year-choice">'
        f'<label for="year">{esc(translate(language, "web.calendar.year_label"))}</label> '
        f'<select id="year" name="year">{options}</select> '
        f'<button type="submit">{esc(translate(language, "web.calendar.year_show"))}</button></form>'
    )


def _table(org: Organisation, calendar: AnnualCalendar, language: str, year: int) -> str:
    if not calendar.steps:
        return f"<p>{esc(translate(language, 'calendar_show.no_steps'))}</p>"
    teams = {t.key: t.name for t in org.teams}
    names = step_names(calendar, language)
    workdays = WorkingDays()
    columns = ("date", "step", "rule", "units", "on")
    head = "".join(f'<th scope="col">{esc(translate(language, f"calendar_show.column.{c}"))}</th>' for c in columns)
    dated = sorted(((calendar.date_of(s.key, year), s) for s in calendar.steps), key=lambda p: (p[0], p[1].key))
    rows = "".join(
        f"<tr><td>{_sending(day, workdays, language)}</td>"
        f'<th scope="row">{esc(names[step.key])}</th>'
        f"<td>{esc(step_rule(step, language, names))}</td>"
        f"<td>{esc(', '.join(teams.get(u, u) for u in step.units) or translate(language, 'calendar_show.all_units'))}"
        f"</td><td>{esc(translate(language, 'calendar_show.yes' if step.enabled else 'calendar_show.no'))}</td></tr>"
        for day, step in dated
    )
    return (
        '<div class="table-wrap" role="region" aria-labelledby="steps" tabindex="0"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _sending(day: date, workdays: WorkingDays, language: str) -> str:
    """The day the step goes out; a weekend's or holiday's step also says the day its rule gave."""
    sent = sending_day(day, workdays)
    shown = esc(weekday_date(sent, language))
    if sent == day:
        return shown
    moved = translate(language, "calendar_show.moved", date=weekday_date(day, language))
    return f'{shown}<br><span class="note">{esc(moved)}</span>'


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
