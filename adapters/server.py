"""The aiohttp web server: /healthz now; Slack, Teams and the web pages mount here in later work."""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from adapters.console_language import console_language
from adapters.runtime import BotRuntime
from bot.i18n import translate
from storage.db import Database
from storage.org_repository import OrganisationRepository

logger = logging.getLogger(__name__)

DATABASE = web.AppKey("database", Database)
RUNTIME = web.AppKey("runtime", BotRuntime)


async def healthz(request: web.Request) -> web.Response:
    """200 with the organisation's name when the database answers; 503 when it does not."""
    db = request.app[DATABASE]
    try:
        org = OrganisationRepository(db).get()
    except SQLAlchemyError as error:  # an unreachable database shows as unhealthy, never as a 500 trace
        logger.warning("health check failed: %s", type(error).__name__)
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    body: dict[str, object] = {"status": "ok", "database": db.dialect, "organisation": org.name if org else None}
    runtime = request.app.get(RUNTIME)
    if runtime is not None:
        body["scheduling"] = runtime.leading  # True on the one replica that runs the calendar
    return web.json_response(body)


def create_app(db: Database, runtime: BotRuntime | None = None) -> web.Application:
    """The application with every route; with a runtime, its workers and scheduler run while the server does."""
    app = web.Application()
    app[DATABASE] = db
    app.router.add_get("/healthz", healthz)
    if runtime is not None:
        app[RUNTIME] = runtime
        app.on_startup.append(_start_runtime)
        app.on_cleanup.append(_stop_runtime)
    return app


async def _start_runtime(app: web.Application) -> None:
    await app[RUNTIME].start()


async def _stop_runtime(app: web.Application) -> None:
    await app[RUNTIME].stop()


def run_server(db: Database, *, host: str, port: int) -> None:
    """Serve until interrupted: the web routes, the outbox workers and (on the leading replica) the scheduler."""
    url = f"http://{host}:{port}/"
    print(translate(console_language(), "cli.serving", url=url), flush=True)
    web.run_app(create_app(db, BotRuntime(db)), host=host, port=port, print=None)
