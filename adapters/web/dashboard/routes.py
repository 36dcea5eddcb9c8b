"""The dashboard's routes: sign-in by link, the organisation and team pages, exports, sign-out; all behind a session."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime

from aiohttp import web

from adapters.web.dashboard.data import (
    calendar_view_of,
    organisation_view,
    organisation_view_of,
    team_view,
    team_view_of,
    undeliverable_view,
)
from adapters.web.dashboard.evaluation_snapshot import organisation_evaluations_of
from adapters.web.dashboard.export import export_csv, export_xlsx
from adapters.web.dashboard.https import add_hsts, came_over_https
from adapters.web.dashboard.page_calendar import calendar_screen
from adapters.web.dashboard.page_comments import answer_comments, with_comments
from adapters.web.dashboard.page_needs import PATH as NEEDS_PATH
from adapters.web.dashboard.page_needs import needs_screen
from adapters.web.dashboard.page_organisation import DEFAULT_SORT, SORTS, organisation_body
from adapters.web.dashboard.page_survey import PATH as SURVEY_PATH
from adapters.web.dashboard.page_survey import survey_screen
from adapters.web.dashboard.page_survey_import import PATH as SURVEY_IMPORT_PATH
from adapters.web.dashboard.page_survey_import import Download, survey_import_screen, survey_template
from adapters.web.dashboard.page_team import printable_plans, team_body
from adapters.web.dashboard.signin import (
    COOKIE_NAME,
    SESSION_LIFETIME,
    SigninRefused,
    Viewer,
    check_link,
    end_session,
    find_viewer,
    redeem_link,
    remember_language,
    signing_secret,
    start_session,
)
from adapters.web.dashboard.snapshot import load
from adapters.web.dashboard.unavailable import Handler, guarded
from adapters.web.dashboard.workbook import workbook_views
from adapters.web.page_layout import HEADERS, esc, page
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from storage.db import Database
from storage.org_repository import OrganisationRepository

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_dashboard_routes(
    app: web.Application,
    db: Database,
    clock: Callable[[], datetime],
    auth_clock: Callable[[], datetime] | None = None,
) -> None:
    """Register /signin, /signout and /dashboard/… on the app.

    `clock` dates what the pages show (a demo may move it through the year); `auth_clock` (default: `clock`) times
    links and sessions, so a demo moving its clock can pass the wall clock and stay signed in.
    """
    pages = _DashboardPages(db, clock, auth_clock or clock)
    app.on_response_prepare.append(add_hsts)
    # Every page reads the database: while it is down, each answers the 503 page rather than a 500.
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/signin", pages.signin),
        ("POST", "/signin", pages.redeem),
        ("POST", "/signout", pages.signout),
        ("GET", "/dashboard", pages.organisation),
        ("GET", "/dashboard/team/{key}", pages.team),
        ("POST", "/dashboard/team/{key}/comments", pages.answer_comments),
        ("GET", "/dashboard/plans", pages.plans),
        ("GET", "/dashboard/calendar", pages.calendar),
        ("POST", "/dashboard/calendar", pages.calendar),
        ("GET", SURVEY_PATH, pages.survey),
        ("GET", SURVEY_IMPORT_PATH, pages.survey_import),
        ("POST", SURVEY_IMPORT_PATH, pages.survey_import),
        ("GET", SURVEY_IMPORT_PATH + "/template.{suffix:csv|xlsx}", pages.survey_template),
        ("GET", NEEDS_PATH, pages.needs),
        ("POST", NEEDS_PATH, pages.needs),
        ("GET", "/dashboard/export.xlsx", pages.export_xlsx),
        ("GET", "/dashboard/export.csv", pages.export_csv),
    ]
    for method, path, handler in routes:
        add = app.router.add_get if method == "GET" else app.router.add_post  # a GET route answers HEAD too
        add(path, guarded(handler))


class _DashboardPages:
    """The handlers, sharing the database and the clock; database work runs off the event loop."""

    def __init__(self, db: Database, clock: Callable[[], datetime], auth_clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.auth_clock = auth_clock

    # --- signing in and out ---------------------------------------------------------------------------------

    async def signin(self, request: web.Request) -> web.StreamResponse:
        """The link's page: a button that signs in. Opening the link uses nothing up, so a link scanner's or a chat
        app's preview (HEAD or GET) leaves it good for the person; only the button's POST signs in."""
        token = request.query.get("token")
        language = await self._language(request, None)
        if not token:
            signed_out = "signed_out" in request.query
            return self._signin_page(request, language, 200 if signed_out else 401, signed_out=signed_out)
        try:
            await asyncio.to_thread(lambda: check_link(self.db, token, self.auth_clock(), signing_secret(self.db)))
        except SigninRefused as refused:
            return _refused(language, refused)
        chosen = normalise_language(request.query.get("lang"))
        title = translate(language, "web.signin.title")
        body = (
            f'<p class="notice">{esc(translate(language, "web.signin.confirm"))}</p>'
            '<form method="post" action="/signin">'
            f'<input type="hidden" name="token" value="{esc(token)}">'
            f'<input type="hidden" name="lang" value="{esc(chosen or "")}">'
            f'<button type="submit">{esc(translate(language, "web.signin.button"))}</button></form>'
        )
        return _html(page(language, title, body, path="/signin", query={}))

    async def redeem(self, request: web.Request) -> web.StreamResponse:
        """The sign-in button: the link is used up and a session starts."""
        form = await request.post()
        chosen = normalise_language(str(form.get("lang", "")))
        language = chosen or await self._language(request, None)
        # Only the link's own page may post it: another site's form could otherwise sign a person in as someone
        # else (login CSRF). Browsers say where a form came from in Sec-Fetch-Site.
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return _refused(language, SigninRefused("bad"))
        token = str(form.get("token", ""))
        now = self.auth_clock()
        try:
            member = await asyncio.to_thread(lambda: redeem_link(self.db, token, now, signing_secret(self.db)))
        except SigninRefused as refused:
            return _refused(language, refused)
        await asyncio.to_thread(end_session, self.db, request.cookies.get(COOKIE_NAME), now)
        cookie = await asyncio.to_thread(start_session, self.db, member.id, chosen, now)
        response = _redirect("/dashboard")
        response.set_cookie(
            COOKIE_NAME,
            cookie,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path="/",
            httponly=True,
            samesite="Lax",
            secure=came_over_https(request),
        )
        return response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        # SameSite=Lax keeps other sites' forms from posting here with the cookie.
        await asyncio.to_thread(end_session, self.db, request.cookies.get(COOKIE_NAME), self.auth_clock())
        response = _redirect("/signin?signed_out=1")
        response.del_cookie(COOKIE_NAME, path="/")
        return response

    def _signin_page(self, request: web.Request, language: str, status: int, *, signed_out: bool) -> web.Response:
        lead = translate(language, "web.signed_out") if signed_out else translate(language, "web.signin.needed")
        body = f'<p class="notice">{esc(lead)}</p>{_how_to_sign_in(language)}'
        query = {"signed_out": "1"} if signed_out else {}
        return _html(page(language, translate(language, "web.signin.title"), body, path="/signin", query=query), status)

    # --- pages ----------------------------------------------------------------------------------------------

    async def organisation(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        sort = request.query.get("sort", DEFAULT_SORT)
        sort = sort if sort in SORTS else DEFAULT_SORT
        direction = request.query.get("dir")
        descending = SORTS[sort].descending if direction not in ("asc", "desc") else direction == "desc"
        body = await asyncio.to_thread(self._organisation_body, viewer, language, sort, descending)
        title = translate(language, "web.org.title")
        return self._page(request, viewer, language, title, body)

    def _organisation_body(self, viewer: Viewer, language: str, sort: str, descending: bool) -> str:
        now = self.clock()
        snapshot = load(self.db, now)  # read once for the table, the wheel and the evaluations
        view = organisation_view_of(snapshot, now, language, viewer.team_ids)
        calendar = calendar_view_of(self.db, snapshot, now, language, viewer.team_ids)
        undeliverable = undeliverable_view(self.db, now, language, snapshot=snapshot) if viewer.is_officer else None
        evaluations = organisation_evaluations_of(snapshot, now, language, viewer.team_ids)
        return organisation_body(view, calendar, undeliverable, self._team_keys(), sort, descending, evaluations)

    async def team(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        organisation = await asyncio.to_thread(OrganisationRepository(self.db).get)
        found = organisation.team_by_key(request.match_info["key"]) if organisation else None
        try:
            if found is None or organisation is None:
                raise LookupError("no such team")
            now = self.clock()
            view = await asyncio.to_thread(team_view, found.id, self.db, now, language, viewer.team_ids)
            # Read for the page alone: the exports build their team views without the comments.
            view = await asyncio.to_thread(with_comments, view, self.db, viewer, organisation.id, found, now)
        except LookupError:
            # Someone else's team answers like a missing one, so the page does not tell which teams exist.
            title = translate(language, "web.not_found.title")
            body = f"<p>{esc(translate(language, 'web.not_found.team'))}</p>"
            body += f'<p><a href="/dashboard">{esc(translate(language, "web.team.back"))}</a></p>'
            return self._page(request, viewer, language, title, body, status=404)
        return self._page(request, viewer, language, view.name, team_body(view))

    async def answer_comments(self, request: web.Request) -> web.StreamResponse:
        """The team's supervisor answers the team's pulse comments: one message to the team's channel."""
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        screen = await answer_comments(request, self.db, viewer, language, self.clock())
        if screen.redirect is not None:
            return _redirect(screen.redirect)
        return self._page(request, viewer, language, screen.title, screen.body, status=screen.status)

    async def plans(self, request: web.Request) -> web.StreamResponse:
        """Every visible team's plan, one printed A4 sheet each."""
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        body = await asyncio.to_thread(self._plans_body, viewer, language)
        return self._page(request, viewer, language, translate(language, "print.title"), body)

    def _plans_body(self, viewer: Viewer, language: str) -> str:
        now = self.clock()
        snapshot = load(self.db, now)  # read once for every team's sheet
        teams = snapshot.organisation.teams if snapshot else ()
        visible = [t for t in teams if viewer.team_ids is None or t.id in viewer.team_ids]
        views = [team_view_of(snapshot, team.id, now, language, viewer.team_ids) for team in visible if snapshot]
        return printable_plans(views, language)

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        screen = await calendar_screen(request, self.db, viewer, language, self.clock())
        if screen.redirect is not None:
            return _redirect(screen.redirect)
        return self._page(request, viewer, language, screen.title, screen.body, status=screen.status)

    async def survey(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        screen = await asyncio.to_thread(survey_screen, self.db, viewer, language, request.query.get("year"))
        return self._page(request, viewer, language, screen.title, screen.body, status=screen.status)

    async def survey_import(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        screen = await survey_import_screen(request, self.db, viewer, language, self.clock())
        if screen.redirect is not None:
            return _redirect(screen.redirect)
        return self._page(request, viewer, language, screen.title, screen.body, status=screen.status)

    async def needs(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        screen = await needs_screen(request, self.db, viewer, language, self.clock())
        if screen.redirect is not None:
            return _redirect(screen.redirect)
        return self._page(request, viewer, language, screen.title, screen.body, status=screen.status)

    async def survey_template(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        suffix = request.match_info["suffix"]
        made = await asyncio.to_thread(survey_template, self.db, viewer, language, suffix)
        if isinstance(made, Download):
            return _attachment(made.body, made.content_type, made.filename)
        return self._page(request, viewer, language, made.title, made.body, status=made.status)

    # --- exports --------------------------------------------------------------------------------------------

    async def export_xlsx(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        body = await asyncio.to_thread(self._workbook, viewer, language)
        return _attachment(body, XLSX_TYPE, f"tyhy-{self.clock().date().isoformat()}.xlsx")

    def _workbook(self, viewer: Viewer, language: str) -> bytes:
        views = workbook_views(self.db, self.clock(), language, viewer.team_ids, officer=viewer.is_officer)
        return export_xlsx(*views)

    async def export_csv(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _to_signin(request)
        language = await self._language(request, viewer)
        view = await asyncio.to_thread(organisation_view, self.db, self.clock(), language, viewer.team_ids)
        # The byte order mark makes Excel read the file as UTF-8, so ä and ö survive a double click.
        body = ("\ufeff" + export_csv(view)).encode()
        return _attachment(body, "text/csv; charset=utf-8", f"tyhy-{self.clock().date().isoformat()}.csv")

    # --- helpers --------------------------------------------------------------------------------------------

    async def _viewer(self, request: web.Request) -> Viewer | None:
        return await asyncio.to_thread(find_viewer, self.db, request.cookies.get(COOKIE_NAME), self.auth_clock())

    async def _language(self, request: web.Request, viewer: Viewer | None) -> str:
        """?lang= (remembered in the session), then the session's choice, then the organisation's language."""
        asked = normalise_language(request.query.get("lang"))
        if asked and viewer is not None and asked != viewer.language:
            await asyncio.to_thread(remember_language, self.db, viewer.session, asked)
        if asked:
            return asked
        if viewer is not None and viewer.language:
            return viewer.language
        organisation = await asyncio.to_thread(OrganisationRepository(self.db).get)
        return organisation.language if organisation else DEFAULT_LANGUAGE

    def _team_keys(self) -> Mapping[int, str]:
        organisation = OrganisationRepository(self.db).get()
        return {t.id: t.key for t in organisation.teams} if organisation else {}

    def _page(
        self, request: web.Request, viewer: Viewer, language: str, title: str, body: str, status: int = 200
    ) -> web.Response:
        query = {k: v for k, v in request.query.items() if k in ("sort", "dir", "year")}
        html = page(
            language,
            title,
            body,
            path=request.path,
            query=query,
            signed_in_as=viewer.member.name,
            officer=viewer.is_officer,
        )
        return _html(html, status)


def _how_to_sign_in(language: str) -> str:
    return (
        f"<p>{esc(translate(language, 'web.signin.how'))}</p>"
        "<p><code>tyhy admin link</code></p>"
        f"<p>{esc(translate(language, 'web.signin.how_member'))}</p>"
        "<p><code>tyhy admin link --member ID</code></p>"
    )


def _refused(language: str, refused: SigninRefused) -> web.Response:
    title = translate(language, "web.signin.refused_title")
    body = (
        f'<p class="problem">{esc(translate(language, f"web.signin.refused.{refused.reason}"))}</p>'
        + _how_to_sign_in(language)
    )
    return _html(page(language, title, body, path="/signin", query={}), status=403)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def _to_signin(request: web.Request) -> web.Response:
    """To the sign-in page, in the language the address asked for (a link shared with ?lang=sv stays Swedish)."""
    chosen = normalise_language(request.query.get("lang"))
    return _redirect(f"/signin?lang={chosen}" if chosen else "/signin")


def _redirect(location: str) -> web.Response:
    # 303: after a sign-in or sign-out, and for a page that needs one, the browser follows with a plain GET.
    return web.Response(status=303, headers={**HEADERS, "Location": location})


def _attachment(body: bytes, content_type: str, filename: str) -> web.Response:
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return web.Response(body=body, status=200, headers={**headers, "Content-Type": content_type})
