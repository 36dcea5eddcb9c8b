"""The dashboard while its database is down: a plain 503 page in the reader's language instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from adapters.web.page_layout import HEADERS, esc, page
from bot.i18n import DEFAULT_LANGUAGE, normalise_language, translate

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

RETRY_AFTER_SECONDS = 30  # a browser or a person reloading sooner would find the database still coming back


def guarded(handler: Handler) -> Handler:
    """The handler, but a database that is down or hanging (past its time limits) gives the 503 page."""

    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SQLAlchemyError as error:
            # Only the type: the error's text names the database's address, and may quote a statement's values.
            logger.warning("dashboard %s: database unavailable (%s)", request.path, type(error).__name__)
            return unavailable_page(request)

    return answer


def unavailable_page(request: web.Request) -> web.Response:
    language = reader_language(request)
    title = translate(language, "web.unavailable.title")
    body = f'<p class="problem">{esc(translate(language, "web.unavailable.body"))}</p>'
    html = page(language, title, body, path=request.path, query={})
    headers = {**HEADERS, "Retry-After": str(RETRY_AFTER_SECONDS)}
    return web.Response(text=html, status=503, content_type="text/html", charset="utf-8", headers=headers)


def reader_language(request: web.Request) -> str:
    """?lang=, else the browser's first language we speak (Accept-Language, by its weights), else Finnish.

    The session's and the organisation's language are in the database, which is what cannot be reached.
    """
    asked = normalise_language(request.query.get("lang"))
    if asked:
        return asked
    return next(iter(_accepted(request.headers.get("Accept-Language", ""))), DEFAULT_LANGUAGE)


def _accepted(header: str) -> list[str]:
    """The supported languages of an Accept-Language header, most wanted first (RFC 9110, section 12.5.4)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        language = normalise_language(tag)
        if language and weight > 0:
            weighted.append((-weight, position, language))
    return [language for _, _, language in sorted(weighted)]
