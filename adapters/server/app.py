"""The aiohttp web server: /healthz, /metrics, and the routes of Slack, Teams and the web pages."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from sqlalchemy.exc import SQLAlchemyError

from adapters.common.local_requests import is_loopback
from adapters.files.console_language import console_language
from adapters.server.health import HealthProbe
from adapters.server.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from adapters.server.platforms import connect_platforms
from adapters.server.runtime import BotRuntime
from adapters.web.chat.demo_clock import DemoClock
from adapters.web.chat.local_only import entry_url, new_key
from adapters.web.chat.routes import add_chat_routes
from adapters.web.dashboard.routes import add_dashboard_routes
from adapters.web.page_layout import FAVICON_SVG
from bot.i18n import translate
from storage.db import Database
from storage.demo_clock_store import DemoClockStore

logger = logging.getLogger(__name__)

DATABASE = web.AppKey("database", Database)
RUNTIME = web.AppKey("runtime", BotRuntime)
HEALTH = web.AppKey("health", HealthProbe)


async def healthz(request: web.Request) -> web.Response:
    """200 with the organisation's name when the database answers within a second; 503 when it does not."""
    health = await request.app[HEALTH].check()
    if not health.reachable:
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    body: dict[str, object] = {
        "status": "ok",
        "database": request.app[DATABASE].dialect,
        "organisation": health.organisation,
    }
    runtime = request.app.get(RUNTIME)
    if runtime is not None:
        body["scheduling"] = runtime.leading  # True on the one replica that runs the calendar
    return web.json_response(body)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus's text format; no figure in it ever names a person."""
    runtime = request.app[RUNTIME]
    try:
        body = await asyncio.to_thread(runtime.metrics.render)
    except SQLAlchemyError as error:  # the queue's figures come from the database
        logger.warning("metrics unavailable: %s", type(error).__name__)
        return web.Response(status=503, text="database unreachable\n")
    return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})


# Requests from the platforms, timed for tyhy_interaction_seconds: the path says which platform sent it.
_PLATFORM_PATHS = {"/slack/events": "slack", "/api/messages": "teams"}


@web.middleware
async def time_interactions(request: web.Request, handler: Handler) -> web.StreamResponse:
    platform = _PLATFORM_PATHS.get(request.path)
    runtime = request.app.get(RUNTIME)
    if platform is None or runtime is None:
        return await handler(request)
    started = time.perf_counter()
    try:
        return await handler(request)
    finally:
        runtime.metrics.interaction_seconds.labels(platform).observe(time.perf_counter() - started)


async def favicon(_: web.Request) -> web.Response:
    """The mark the pages carry inline, for browsers that ask for /favicon.ico anyway (a 404 in every log else)."""
    return web.Response(text=FAVICON_SVG, content_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


def server_runtime(db: Database, *, demo: bool) -> BotRuntime:
    """The server's runtime; with `demo`, on a clock a person moves from the web chat.

    The demo goes on where it stood (its clock is kept in the database, never run backwards by a restart). Its
    outbox keeps the wall clock: leases, retries and rate limits are real seconds, and a jump of a week would make
    every send in flight look abandoned, so another claim would send it twice.
    """
    if not demo:
        return BotRuntime(db, clock=_wall_clock)
    return BotRuntime(db, clock=DemoClock(offset=DemoClockStore(db).offset()), outbox_clock=_wall_clock)


def create_app(db: Database, runtime: BotRuntime | None = None) -> web.Application:
    """The application with every route; with a runtime, its workers and scheduler run while the server does."""
    app = web.Application(middlewares=[time_interactions])
    app[DATABASE] = db
    app[HEALTH] = HealthProbe(db)
    app.on_cleanup.append(_close_health)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/favicon.ico", favicon)
    # Links and sessions always run on the wall clock; what the pages show follows the bot's clock.
    add_dashboard_routes(app, db, runtime.clock if runtime else _wall_clock, auth_clock=_wall_clock)
    if runtime is not None:
        app[RUNTIME] = runtime
        app.router.add_get("/metrics", metrics)
        app.on_startup.append(_start_runtime)
        app.on_cleanup.append(_stop_runtime)
    return app


class PathOnlyAccessLogger(AbstractAccessLogger):
    """One line per request: method, path, status and seconds; the query string is left out."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.3f", request.method, request.path, response.status, time)


def _wall_clock() -> datetime:
    return datetime.now(UTC)


async def _close_health(app: web.Application) -> None:
    app[HEALTH].close()


async def _start_runtime(app: web.Application) -> None:
    await app[RUNTIME].start()


async def _stop_runtime(app: web.Application) -> None:
    await app[RUNTIME].stop()


def run_server(db: Database, *, host: str, port: int, demo: bool = False, local_chat: bool = False) -> None:
    """Serve until interrupted: the web routes, the outbox workers and (on the leading replica) the scheduler.

    With `demo`, the bot's clock is one a person can move forward from the web chat, to watch the year's prompts.
    The web chat is served with `demo` or `local_chat` alone, and only on a loopback address: it has no sign-in.
    """
    url = f"http://{host}:{port}/"
    language = console_language()
    print(translate(language, "cli.serving", url=url), flush=True)
    runtime = server_runtime(db, demo=demo)
    app = create_app(db, runtime)
    # The web chat and Teams without an app id take requests without sign-in: only from this computer, on request.
    for_this_computer = (demo or local_chat) and is_loopback(host)
    connect_platforms(app, db, runtime, for_this_computer=for_this_computer)
    if for_this_computer:
        key = new_key()
        add_chat_routes(app, runtime, db, demo=demo, key=key)
        print(translate(language, "cli.web_chat_link", url=entry_url(url, key)), flush=True)
    elif demo or local_chat:
        logger.info("web chat not served: %s is not a loopback address", host)
    # What was built at start lives as long as the process: frozen, the collector's full passes skip it, and
    # they no longer stall the loop that keeps the outbox's send slots (bench.fanout: passes of 150 ms).
    gc.freeze()
    # A chat tab's long poll must not hold a stop for long; the access log names paths, never query strings
    # (a sign-in link's token travels in one).
    web.run_app(app, host=host, port=port, print=None, shutdown_timeout=2.0, access_log_class=PathOnlyAccessLogger)
