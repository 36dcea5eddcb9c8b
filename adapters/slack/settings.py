"""Slack's settings from the environment: one workspace (bot token) for now; the Web API's address for fakes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SLACK_API = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    """SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET connect one workspace; SLACK_API_URL points at Slack or a fake."""

    bot_token: str = ""
    signing_secret: str = ""
    api_url: str = SLACK_API

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SlackSettings:
        url = environ.get("SLACK_API_URL", "").strip() or SLACK_API
        return cls(
            bot_token=environ.get("SLACK_BOT_TOKEN", "").strip(),
            signing_secret=environ.get("SLACK_SIGNING_SECRET", "").strip(),
            api_url=url if url.endswith("/") else url + "/",
        )

    @property
    def configured(self) -> bool:
        """Both halves are needed: the token to send, the secret to trust what Slack sends us."""
        return bool(self.bot_token and self.signing_secret)
