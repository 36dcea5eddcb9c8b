"""Installing the app in many workspaces: "Add to Slack" at /slack/install, Slack's answer at /slack/oauth_redirect."""

from __future__ import annotations

import html
import logging
from typing import Any

import yaml
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import STATE_SECONDS, SlackInstallations, SlackOAuthStates
from adapters.slack.manifest import TEMPLATE
from adapters.slack.settings import SlackSettings
from storage.db import Database

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

# What went wrong, in words an admin can act on (bolt's reasons: slack_bolt/oauth/async_oauth_flow.py).
FAILURES = {
    "access_denied": "The installation was cancelled in Slack, so nothing was installed.",
    "invalid_browser": "This install link was started in another browser, or its cookie has expired.",
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send an authorisation code.",
    "invalid_code": "Slack did not accept the authorisation code; it may have been used already.",
    "storage_error": "The installation could not be saved. Please try again in a moment.",
}


def bot_scopes() -> list[str]:
    """The bot scopes of our manifest: an install asks for exactly what the manifest declares."""
    manifest: dict[str, Any] = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    return [str(scope) for scope in manifest["oauth_config"]["scopes"]["bot"]]


class SlackOAuth:
    """Bolt's OAuth flow with the installations and one-time states kept in our database."""

    def __init__(self, settings: SlackSettings, db: Database) -> None:
        self.installations = SlackInstallations(db, settings.client_id)
        self.states = SlackOAuthStates(db, STATE_SECONDS)
        self.flow = AsyncOAuthFlow(
            # oauth.v2.access and auth.test go to SLACK_API_URL, so a fake Slack can stand in for the real one.
            client=AsyncWebClient(base_url=settings.api_url, retry_handlers=[]),
            logger=logger,
            settings=AsyncOAuthSettings(
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                scopes=bot_scopes(),
                user_scopes=[],  # the bot acts alone; no person's token is ever asked for or stored
                redirect_uri=settings.redirect_uri or None,
                install_path=INSTALL_PATH,
                install_page_rendering_enabled=False,  # /slack/install goes straight on to Slack
                redirect_uri_path=REDIRECT_PATH,
                callback_options=AsyncCallbackOptions(success=_installed, failure=_failed),
                authorization_url=settings.oauth_authorize_url,
                installation_store=self.installations,
                installation_store_bot_only=True,
                state_store=self.states,
                state_expiration_seconds=STATE_SECONDS,
                logger=logger,
            ),
        )

    def routes(self, app: web.Application) -> None:
        app.router.add_get(INSTALL_PATH, self.install)
        app.router.add_get(REDIRECT_PATH, self.redirected)

    async def install(self, request: web.Request) -> web.Response:
        """A fresh one-time state, kept in the database and in a cookie, and off to Slack's consent page."""
        return await to_aiohttp_response(await self.flow.handle_installation(await to_bolt_request(request)))

    async def redirected(self, request: web.Request) -> web.Response:
        """Slack sends the admin back with a code: check the state, exchange the code, keep the installation."""
        return await to_aiohttp_response(await self.flow.handle_callback(await to_bolt_request(request)))


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    installation = args.installation
    name = installation.team_name or installation.team_id or "your workspace"
    body = _page(
        "Tyhybot is installed",
        f"Tyhybot is now installed in {html.escape(name)}. Open Slack and type <code>/tyhy help</code> to begin.",
    )
    return _response(args.settings, 200, body)


async def _failed(args: AsyncFailureArgs) -> BoltResponse:
    logger.warning("Slack installation failed: %s", args.reason)
    reason = FAILURES.get(args.reason, "Slack did not complete the installation.")
    again = f'<a href="{html.escape(args.settings.install_path)}">Start the installation again</a>.'
    return _response(args.settings, args.suggested_status_code, _page("Installation failed", f"{reason} {again}"))


def _response(settings: AsyncOAuthSettings, status: int, body: str) -> BoltResponse:
    # The state cookie has done its work either way: it is deleted so a stale one never confuses the next try.
    return BoltResponse(
        status=status,
        body=body,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": [settings.state_utils.build_set_cookie_for_deletion()],
        },
    )


def _page(title: str, text: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{text}</p></body></html>"
    )
