"""The wellbeing officer's upload of the survey's results: the file checked whole as `tyhy survey import` does it."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from aiohttp import web

from adapters.files.survey_file import read_survey_bytes, template_csv, template_rows, template_xlsx
from adapters.web.dashboard.page_calendar import CSRF_FIELD, Screen, csrf_token
from adapters.web.dashboard.signin import Viewer, signing_secret
from adapters.web.page_layout import esc
from bot.errors import DomainError
from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import Organisation, zone_or_default
from bot.survey_import import check_survey
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.survey_repository import SurveyRepository

logger = logging.getLogger(__name__)

PATH = "/dashboard/survey-import"
TEMPLATE_PATH = PATH + "/template.{suffix}"
MAX_FILE_BYTES = 512 * 1024  # the confirm step sends the file back in base64; aiohttp refuses posts over 1 MiB
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    """A file to hand to the browser."""

    body: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class _Upload:
    year: str
    name: str
    content: bytes | None  # None: no file was chosen
    confirmed: bool  # the officer already said yes to replacing the stored year


async def survey_import_screen(
    request: web.Request, db: Database, viewer: Viewer, language: str, now: datetime
) -> Screen:
    """GET shows the form; POST checks the token and the file, asks before replacing a stored year, then saves."""
    if not viewer.is_officer:
        return _refused(language, "survey.web.officer_only")
    if request.method != "POST":
        return await asyncio.to_thread(_show, db, viewer, language, now, request.query)
    posted = await request.post()
    secret = await asyncio.to_thread(signing_secret, db)  # kept in the database when not set: off the event loop
    token = csrf_token(secret, viewer.session)
    if not hmac.compare_digest(str(posted.get(CSRF_FIELD, "")).encode(), token.encode()):
        return _refused(language, "survey.web.bad_token")
    upload = _upload(posted)
    return await asyncio.to_thread(_submit, db, viewer, language, now, upload)


def survey_template(db: Database, viewer: Viewer, language: str, suffix: str) -> Download | Screen:
    """The file to fill in, with the organisation's units, as CSV or Excel."""
    if not viewer.is_officer:
        return _refused(language, "survey.web.officer_only")
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return _no_organisation(language)
    rows = template_rows(organisation, language)
    filename = f"tyhy-survey-template.{suffix}"  # ASCII: a header's filename= must be plain to every browser
    if suffix == "csv":
        return Download(template_csv(rows), "text/csv; charset=utf-8", filename)
    return Download(template_xlsx(rows, translate(language, "survey.template.sheet")), XLSX_TYPE, filename)


def _upload(posted: Mapping[str, object]) -> _Upload:
    year = str(posted.get("year", "")).strip()
    kept = posted.get("content")
    if isinstance(kept, str) and kept:  # the confirm step: the checked file comes back as it was sent
        try:
            content = base64.b64decode(kept, validate=True)
        except (binascii.Error, ValueError):
            content = b""
        return _Upload(year, str(posted.get("filename", "")), content, confirmed=True)
    field = posted.get("file")
    if isinstance(field, web.FileField) and field.filename:
        return _Upload(year, field.filename, field.file.read(MAX_FILE_BYTES + 1), confirmed=False)
    return _Upload(year, "", None, confirmed=False)


def _submit(db: Database, viewer: Viewer, language: str, now: datetime, upload: _Upload) -> Screen:
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return _no_organisation(language)
    token = csrf_token(signing_secret(db), viewer.session)
    if not upload.year.isdigit() or len(upload.year) > 4:
        return _form_again(db, organisation, language, token, upload.year, translate(language, "survey.web.bad_year"))
    year = int(upload.year)
    if upload.content is None:
        return _form_again(db, organisation, language, token, upload.year, translate(language, "survey.web.no_file"))
    try:
        if len(upload.content) > MAX_FILE_BYTES:
            raise DomainError("survey.bad_file", reason=f"larger than {MAX_FILE_BYTES // 1024} KB")
        results = check_survey(read_survey_bytes(upload.name, upload.content), organisation, year)
        repository = SurveyRepository(db)
        stored = repository.imported_at(organisation.id, year)
        if stored is not None and not upload.confirmed:
            return _confirm(organisation, language, token, year, upload, stored)
        repository.save(organisation.id, results, now, replace=upload.confirmed)
    except DomainError as error:
        return _form_again(db, organisation, language, token, upload.year, error.message(language))
    logger.info("survey results of %d imported from the dashboard by member %s", year, viewer.member.id)
    query = urlencode({"imported": year, "units": len(results.units)})
    return Screen(303, translate(language, "survey.web.title"), redirect=f"{PATH}?{query}")


# --- HTML ---------------------------------------------------------------------------------------------------


def _show(db: Database, viewer: Viewer, language: str, now: datetime, query: Mapping[str, str]) -> Screen:
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        return _no_organisation(language)
    notice = ""
    if query.get("imported", "").isdigit() and query.get("units", "").isdigit():
        text = translate(language, "survey.web.imported", year=query["imported"], units=query["units"])
        notice = f'<p class="notice" role="status">{esc(text)}</p>'
    year = str(now.astimezone(zone_or_default(organisation.timezone)).year)
    token = csrf_token(signing_secret(db), viewer.session)
    return Screen(200, translate(language, "survey.web.title"), notice + _body(db, organisation, language, token, year))


def _form_again(db: Database, organisation: Organisation, language: str, token: str, year: str, problem: str) -> Screen:
    box = f'<div id="survey-problem" class="problem" role="alert"><p><strong>{esc(problem)}</strong></p></div>'
    body = _body(db, organisation, language, token, year, box)
    return Screen(422, translate(language, "survey.web.title"), body)


def _body(db: Database, organisation: Organisation, language: str, token: str, year: str, problem: str = "") -> str:
    years = SurveyRepository(db).years(organisation.id)
    stored = (
        f"<p>{esc(translate(language, 'survey.web.stored_years', years=', '.join(map(str, years))))}</p>"
        if years
        else ""
    )
    described = ' aria-describedby="survey-problem"' if problem else ""
    templates = " · ".join(
        f'<a href="{TEMPLATE_PATH.format(suffix=s)}">{esc(translate(language, f"survey.web.template_{s}"))}</a>'
        for s in ("xlsx", "csv")
    )
    return (
        f"<p>{esc(translate(language, 'survey.web.intro'))}</p>{stored}{problem}"
        f'<form method="post" action="{PATH}" enctype="multipart/form-data">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(token)}">'
        f'<p><label for="survey-year">{esc(translate(language, "survey.web.year_label"))}</label><br>'
        f'<input id="survey-year" name="year" type="number" min="2000" max="2100" required value="{esc(year)}"></p>'
        f'<p><label for="survey-file">{esc(translate(language, "survey.web.file_label"))}</label><br>'
        f'<input id="survey-file" name="file" type="file" required accept=".xlsx,.csv"{described}></p>'
        f'<p><button type="submit">{esc(translate(language, "survey.web.submit"))}</button></p></form>'
        f"<p>{templates}</p>"
        f'<h2 id="format">{esc(translate(language, "survey.web.format_heading"))}</h2>'
        f"<p>{esc(translate(language, 'survey.web.format_text'))}</p>"
    )


def _confirm(
    organisation: Organisation, language: str, token: str, year: int, upload: _Upload, stored: datetime
) -> Screen:
    assert upload.content is not None
    day = format_date(stored.astimezone(zone_or_default(organisation.timezone)).date(), language)
    text = translate(language, "survey.web.confirm_text", year=year, date=day, name=upload.name)
    body = (
        f'<p class="notice" role="alert">{esc(text)}</p>'
        f'<form method="post" action="{PATH}">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(token)}">'
        f'<input type="hidden" name="year" value="{year}">'
        f'<input type="hidden" name="filename" value="{esc(upload.name)}">'
        f'<input type="hidden" name="content" value="{base64.b64encode(upload.content).decode()}">'
        f'<p><button type="submit">{esc(translate(language, "survey.web.replace_button"))}</button> '
        f'<a href="{PATH}">{esc(translate(language, "survey.web.cancel"))}</a></p></form>'
    )
    return Screen(200, translate(language, "survey.web.confirm_heading", year=year), body)


def _refused(language: str, key: str) -> Screen:
    body = f'<p class="problem">{esc(translate(language, key))}</p>'
    body += f'<p><a href="/dashboard">{esc(translate(language, "web.team.back"))}</a></p>'
    return Screen(403, translate(language, "survey.web.refused_title"), body)


def _no_organisation(language: str) -> Screen:
    body = f"<p>{esc(translate(language, 'cli.no_organisation'))}</p>"
    return Screen(404, translate(language, "survey.web.title"), body)
