"""Slack's settings from the environment: one workspace or many (OAuth), HTTP or Socket Mode, the Web API's address."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SLACK_API = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    """How the server reaches Slack.

    SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET connect one workspace. SLACK_CLIENT_ID + SLACK_CLIENT_SECRET +
    SLACK_SIGNING_SECRET make the app installable in many workspaces (/slack/install); the installs' tokens live in
    the database. SLACK_APP_TOKEN (xapp-…) with SLACK_SOCKET_MODE=1 receives over a WebSocket instead of
    /slack/events, for local development without a public address. SLACK_API_URL points at Slack or a fake.
    """

    bot_token: str = ""
    signing_secret: str = ""
    api_url: str = SLACK_API
    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""  # only needed when the Slack app has more than one Redirect URL
    app_token: str = ""
    socket_mode: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SlackSettings:
        url = environ.get("SLACK_API_URL", "").strip() or SLACK_API
        return cls(
            bot_token=environ.get("SLACK_BOT_TOKEN", "").strip(),
            signing_secret=environ.get("SLACK_SIGNING_SECRET", "").strip(),
            api_url=url if url.endswith("/") else url + "/",
            client_id=environ.get("SLACK_CLIENT_ID", "").strip(),
            client_secret=environ.get("SLACK_CLIENT_SECRET", "").strip(),
            redirect_uri=environ.get("SLACK_REDIRECT_URI", "").strip(),
            app_token=environ.get("SLACK_APP_TOKEN", "").strip(),
            socket_mode=environ.get("SLACK_SOCKET_MODE", "").strip().lower() in ("1", "true", "yes"),
        )

    @property
    def multi_workspace(self) -> bool:
        """Installable by OAuth: the client id and secret exchange codes, the signing secret trusts requests."""
        return bool(self.client_id and self.client_secret and self.signing_secret)

    @property
    def uses_socket_mode(self) -> bool:
        """Socket Mode is asked for and has its app-level token; Slack then signs nothing, the socket is trusted."""
        return self.socket_mode and self.app_token.startswith("xapp-")

    @property
    def configured(self) -> bool:
        """Something to send with (a bot token or installs) and a way to trust what arrives (secret or socket)."""
        if self.multi_workspace:
            return True
        return bool(self.bot_token and (self.signing_secret or self.uses_socket_mode))

    @property
    def oauth_authorize_url(self) -> str:
        """Where a browser asks Slack for the install: beside the Web API (https://slack.com/oauth/v2/authorize)."""
        return self.api_url.removesuffix("/").removesuffix("/api") + "/oauth/v2/authorize"
