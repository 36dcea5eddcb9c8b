"""Slack workspaces that installed the app, kept in our database through slack_sdk's SQLAlchemy stores."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from logging import Logger

import sqlalchemy as sa
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from storage.db import Database

logger = logging.getLogger(__name__)

STATE_SECONDS = 600  # an "Add to Slack" click is good for ten minutes, bolt's default


class SlackInstallations(AsyncInstallationStore):
    """Bolt's async installation store over the SDK's sync SQLAlchemy one on our engine, each call in a thread.

    Our engine is synchronous (SQLite and psycopg), so the SDK's async store, which wants an AsyncEngine, does not
    fit; the tables are created by our migration 0008, never by the SDK's create_tables().
    """

    def __init__(self, db: Database, client_id: str) -> None:
        self.store = SQLAlchemyInstallationStore(client_id=client_id, engine=db.engine, logger=logger)

    @property
    def logger(self) -> Logger:
        return logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)
        logger.info("the app was installed in Slack workspace %s", installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        return await asyncio.to_thread(
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
        )

    async def bot_token(self, workspace: str) -> str | None:
        """The newest bot token for a Slack team id, or None where the app is not (or no longer) installed."""
        return await asyncio.to_thread(self._bot_token, workspace)

    def _bot_token(self, workspace: str) -> str | None:
        # By team id alone: a workspace inside an Enterprise Grid has an enterprise id too, which an Address lacks.
        bots = self.store.bots
        mine = bots.c.client_id == self.store.client_id
        with self.store.engine.connect() as connection:
            if not workspace:
                # People imported with a Slack id but no workspace: unambiguous only while one workspace is installed.
                teams = connection.execute(sa.select(bots.c.team_id).where(mine).distinct().limit(2)).scalars().all()
                if len(teams) != 1 or not teams[0]:
                    return None
                workspace = teams[0]
            query = (
                sa.select(bots.c.bot_token)
                .where(mine, bots.c.team_id == workspace)
                .order_by(bots.c.installed_at.desc(), bots.c.id.desc())
                .limit(1)
            )
            token = connection.execute(query).scalar()
        return str(token) if token else None

    async def remove(self, workspace: str) -> None:
        """Forget every installation and bot token of a workspace (the app was uninstalled or its token revoked)."""
        await asyncio.to_thread(self._remove, workspace)
        logger.warning("the app was removed from Slack workspace %s; its installation is deleted", workspace)

    def _remove(self, workspace: str) -> None:
        with self.store.engine.begin() as connection:
            for table in (self.store.bots, self.store.installations):
                connection.execute(
                    table.delete().where(table.c.client_id == self.store.client_id, table.c.team_id == workspace)
                )


class SlackOAuthStates(AsyncOAuthStateStore):
    """The one-time state values of "Add to Slack" links, in our database so any replica can finish the dance."""

    def __init__(self, db: Database, expiration_seconds: int = STATE_SECONDS) -> None:
        self.store = SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=db.engine, logger=logger)

    @property
    def logger(self) -> Logger:
        return logger

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        return await asyncio.to_thread(self._issue)

    def _issue(self) -> str:
        # The SDK deletes a state only when it is used; links never followed are swept here, so the table stays small.
        states = self.store.oauth_states
        now = datetime.now(UTC).replace(tzinfo=None)  # the SDK keeps naive UTC in a column without a zone
        with self.store.engine.begin() as connection:
            connection.execute(states.delete().where(states.c.expire_at < now))
        return self.store.issue()

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)
