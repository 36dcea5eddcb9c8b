"""Why a message could not be delivered, in the viewer's language: the outbox's English reasons told as catalog keys."""

from __future__ import annotations

import re

from bot.i18n import translate

# The reasons the platform ports and the outbox worker write into last_error (adapters/slack/port.py,
# adapters/teams/port.py, adapters/local_inbox.py, scheduler/outbox.py). Matched exactly: a reason not listed is
# told as "unknown", never shown raw, because an adapter's text may quote more than it should.
_KINDS = {
    "the app is not installed in this Slack workspace": "not_installed",
    "the app is not installed (invalid token)": "not_installed",
    "the app is not installed (no token)": "not_installed",
    "the app is not installed for the person or the team": "not_installed",
    "the app was removed from the workspace": "not_installed",
    "person not found in Slack": "user_not_found",
    "conversation not found (404)": "user_not_found",
    "the person's Slack account is deactivated": "account_inactive",
    "the person blocked the bot": "blocked",
    "the person blocked the bot or the app was removed": "blocked",
    "the bot is disabled by the tenant admin": "bot_disabled",
    "channel not found": "channel_unavailable",
    "the app is not in the channel": "not_in_channel",
    "the channel is archived": "channel_unavailable",
    "cannot message a bot": "bot_recipient",
    "the message to update is gone": "message_gone",
    "the message cannot be updated": "message_gone",
    "the message to update is no longer kept": "message_gone",
    "unreadable message": "unreadable",
}
# "gave up after 8 attempts" (a stuck row) or "gave up after 8 attempts: network: TimeoutError" (the worker).
_GAVE_UP = re.compile(r"^gave up after (\d+) attempts\b")
REASON_KINDS = frozenset(_KINDS.values()) | {"gave_up", "unknown"}


def reason_text(reason: str, language: str) -> str:
    """The outbox's reason as the viewer reads it; a reason we do not know is a plain "unknown reason"."""
    gave_up = _GAVE_UP.match(reason)
    if gave_up:
        return translate(language, "dashboard.undeliverable.reason.gave_up", attempts=int(gave_up.group(1)))
    kind = _KINDS.get(reason.strip(), "unknown")
    return translate(language, f"dashboard.undeliverable.reason.{kind}")
