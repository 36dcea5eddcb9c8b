"""What `tyhy serve` checks before it starts: settings that contradict each other, and in production the credentials."""

from __future__ import annotations

import os
from collections.abc import Mapping

from adapters.slack.settings import SlackSettings
from adapters.teams.settings import TeamsSettings
from adapters.web.dashboard.signin import SECRET_ENV


def startup_problems(environ: Mapping[str, str] = os.environ) -> list[str]:
    """Message keys of settings no server can start with, in production or not; each is told on one line."""
    teams = TeamsSettings.from_env(environ)
    if teams.tenant_id and not teams.app_id:
        # A tenant names a single-tenant app registration; without the registration's id the SDK cannot be set up.
        return ["production.teams_tenant_without_app_id"]
    return []


def production_problems(environ: Mapping[str, str] = os.environ) -> list[str]:
    """Message keys of what is missing; empty when the server may start in production."""
    problems: list[str] = []
    slack = SlackSettings.from_env(environ)
    teams = TeamsSettings.from_env(environ)
    if not slack.configured and not teams.app_id:
        problems.append("production.no_platform")
    if teams.configured and not (teams.app_id and teams.app_password):
        # Without an app id the Teams endpoint takes unsigned requests from this machine: for a local fake only.
        problems.append("production.teams_credentials")
    if not environ.get(SECRET_ENV):
        # Kept in the database, the secret would let whoever holds a copy of it (a backup, a dump) mint the
        # wellbeing officer's sign-in links.
        problems.append("production.secret_key")
    return problems
