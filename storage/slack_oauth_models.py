"""The Slack installation tables (slack_sdk's SQLAlchemy stores' own layout) in Base.metadata, for Alembic."""

from __future__ import annotations

import sqlalchemy as sa

from storage.base import Base

# Same columns as slack_sdk 3.47's SQLAlchemyInstallationStore / SQLAlchemyOAuthStateStore and migration 0008;
# written out (not built by the SDK) so storage/ needs no slack_sdk. tests/slack_e2e/test_oauth.py checks they match.
slack_installations = sa.Table(
    "slack_installations",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("enterprise_url", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.String(200)),
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.String(200)),
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("user_id", sa.String(32), nullable=False),
    sa.Column("user_token", sa.String(200)),
    sa.Column("user_scopes", sa.String(1000)),
    sa.Column("user_refresh_token", sa.String(200)),
    sa.Column("user_token_expires_at", sa.DateTime),
    sa.Column("incoming_webhook_url", sa.String(200)),
    sa.Column("incoming_webhook_channel", sa.String(200)),
    sa.Column("incoming_webhook_channel_id", sa.String(200)),
    sa.Column("incoming_webhook_configuration_url", sa.String(200)),
    sa.Column("is_enterprise_install", sa.Boolean, nullable=False, default=False),
    sa.Column("token_type", sa.String(32)),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)
slack_bots = sa.Table(
    "slack_bots",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.String(200)),
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.String(200)),
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("is_enterprise_install", sa.Boolean, nullable=False, default=False),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
slack_oauth_states = sa.Table(
    "slack_oauth_states",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("state", sa.String(200), nullable=False),
    sa.Column("expire_at", sa.DateTime, nullable=False),
)
