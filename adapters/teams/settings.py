"""Teams' settings from the environment: the bot's app registration and the connector's address (or a fake's)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams/"


@dataclass(frozen=True)
class TeamsSettings:
    """MICROSOFT_APP_ID/PASSWORD/TENANT_ID identify the bot; TEAMS_SERVICE_URL is where proactive sends go."""

    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    service_url: str = TEAMS_SERVICE_URL
    service_url_set: bool = False  # TEAMS_SERVICE_URL was given: a local fake connector, no app registration

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> TeamsSettings:
        url = environ.get("TEAMS_SERVICE_URL", "").strip()
        return cls(
            app_id=environ.get("MICROSOFT_APP_ID", "").strip(),
            app_password=environ.get("MICROSOFT_APP_PASSWORD", "").strip(),
            tenant_id=environ.get("MICROSOFT_APP_TENANT_ID", "").strip(),
            service_url=_with_slash(url or TEAMS_SERVICE_URL),
            service_url_set=bool(url),
        )

    @property
    def configured(self) -> bool:
        """An app registration (production), or a service URL to a local fake connector (no credentials)."""
        return bool(self.app_id) or self.service_url_set


def _with_slash(url: str) -> str:
    # The connector's paths are joined onto the service URL; Teams' own URLs end with "/".
    return url if url.endswith("/") else url + "/"
