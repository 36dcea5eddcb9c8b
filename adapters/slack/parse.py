"""Slack payloads as neutral events (pure: a decoded payload in, an event or None out).

Three doors: `parse_interaction` for the JSON in the `payload` form field of interactivity requests,
`parse_command` for slash-command form posts, `parse_event` for Events API envelopes. What the bot ignores
(a modal closed, a bot's message, an edit, an event type it does not subscribe to) is None; a payload it should
act on but cannot read raises SlackPayloadError, never KeyError or TypeError.

Text people wrote arrives the way Slack writes it (docs.slack.dev/messaging/formatting-message-text): user
mentions stay in the text as `<@U123>` / `<@U123|name>` markup, which the core turns into "@Full Name" for the
people it knows (bot/flows/success.py `readable_text`), and their ids are listed in `mentioned_user_ids`; the
bot's own mention is removed. Channel links, @here and links become plain text ("#general", "@here",
"label (https://…)") and Slack's entities (&amp; &lt; &gt;) are decoded, so the core sees what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.mrkdwn import mentioned_users, readable
from adapters.slack.render import SEPARATOR
from bot.events import ActionSubmitted, CommandText, InboundEvent, Installed, MembersChanged, Sender
from bot.messages import SentRef
from bot.organisation import Platform

SHARE_SUCCESS_CALLBACK = "share_success"  # the message shortcut's callback_id in the app manifest
SUCCESS_FROM_MESSAGE = "success.from_message"
SHORTCUT_PREFIX = "shortcut."
SLACK = Platform.SLACK


class SlackPayloadError(ValueError):
    """A payload the bot should act on, but with a part missing or of the wrong type."""


@dataclass(frozen=True)
class HomeOpened:
    """Someone opened the app's Home tab: time to publish their view (Slack only)."""

    user_id: str
    workspace: str


@dataclass(frozen=True)
class Uninstalled:
    """The app was removed from a workspace, or its bot token revoked: stop sending there (Slack only)."""

    workspace: str


SlackOnlyEvent = HomeOpened | Uninstalled
Parsed = InboundEvent | SlackOnlyEvent | None


# --- Interactivity: buttons, modals, shortcuts ----------------------------------------------------------------


def parse_interaction(payload: object) -> Parsed:
    """The neutral event of an interaction payload (block_actions, view_submission, message_action, shortcut)."""
    body = _require_mapping(payload, "an interaction payload")
    kind = body.get("type")
    if kind == "block_actions":
        return _block_actions(body)
    if kind == "view_submission":
        view = _mapping(body, "view")
        callback_id = _string(view, "callback_id", required=True)
        form = _form(_mapping(_mapping(view, "state"), "values"))
        return ActionSubmitted(_sender(body), callback_id, _string(view, "private_metadata"), None, form)
    if kind == "message_action":
        return _message_action(body)
    if kind == "shortcut":
        return ActionSubmitted(_sender(body), SHORTCUT_PREFIX + _string(body, "callback_id", required=True), "")
    return None  # view_closed, block_suggestion, and whatever Slack adds later


def _block_actions(body: Mapping[str, Any]) -> ActionSubmitted:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], Mapping):
        raise SlackPayloadError("block_actions without an action")
    first = actions[0]
    # render.py makes action_ids unique with a suffix after the first ":"; the core knows the name before it.
    action = _string(first, "action_id", required=True).partition(SEPARATOR)[0]
    if not action:
        raise SlackPayloadError("block_actions with an empty action name")
    sender = _sender(body)
    state = _mapping(body, "state") or _mapping(_mapping(body, "view"), "state")
    form = _form(_mapping(state, "values"))
    return ActionSubmitted(sender, action, _element_value(first), _source(body, sender.workspace), form)


def _source(body: Mapping[str, Any], workspace: str) -> SentRef | None:
    """The message the button was on, so the core can redraw it; None for a modal or the Home tab."""
    container = _mapping(body, "container")
    if container.get("type", "message" if "message" in body else None) != "message":
        return None
    channel = _string(container, "channel_id") or _string(_mapping(body, "channel"), "id")
    ts = _string(container, "message_ts") or _string(_mapping(body, "message"), "ts")
    if not channel or not ts:
        raise SlackPayloadError("an action on a message without the message's channel and ts")
    return SentRef(SLACK, channel, ts, workspace)


def _message_action(body: Mapping[str, Any]) -> ActionSubmitted | None:
    if body.get("callback_id") != SHARE_SUCCESS_CALLBACK:
        return None
    message = _mapping(body, "message")
    form = {"text": readable(_string(message, "text")).strip(), "channel": _string(_mapping(body, "channel"), "id")}
    sender = _sender(body)
    return ActionSubmitted(sender, SUCCESS_FROM_MESSAGE, "", None, form, _author(message, sender.workspace))


def _author(message: Mapping[str, Any], workspace: str) -> Sender | None:
    """Who wrote the shared message: its `user`, absent when a bot or an integration wrote it, which then has only a
    name (`username`, `bot_profile.name`); a person's `user_profile`, when the message carries it, gives theirs."""
    profile = _mapping(message, "user_profile")
    name = (
        _string(profile, "display_name")
        or _string(profile, "real_name")
        or _string(message, "username")
        or _string(_mapping(message, "bot_profile"), "name")
    )
    user = _string(message, "user")
    return Sender(SLACK, user, _string(message, "team") or workspace, display_name=name) if user or name else None


def _sender(body: Mapping[str, Any]) -> Sender:
    user = _mapping(body, "user")
    user_id = _string(user, "id", required=True)
    # team.id is the workspace; user.team_id can be the Enterprise Grid org ("E…") instead
    # (docs.slack.dev/reference/interaction-payloads/block_actions-payload).
    workspace = _string(_mapping(body, "team"), "id") or _string(user, "team_id")
    locale = _string(user, "locale") or _string(body, "locale") or None
    name = _string(user, "name") or _string(user, "username")
    return Sender(SLACK, user_id, workspace, locale, name)


def _form(values: Mapping[str, Any]) -> dict[str, str]:
    """Every input's value by its block_id (our input id): text, a select's value, a multi-select's joined by ","."""
    form: dict[str, str] = {}
    for block_id, elements in values.items():
        if not isinstance(elements, Mapping):
            continue
        element = next((e for e in elements.values() if isinstance(e, Mapping)), None)
        if isinstance(block_id, str) and element is not None:
            form[block_id] = _element_value(element)
    return form


def _element_value(element: Mapping[str, Any]) -> str:
    """What an element holds: a button's or text input's value, a select's option value(s), a picked date."""
    options = element.get("selected_options")
    if isinstance(options, list):
        return ",".join(_string(o, "value") for o in options if isinstance(o, Mapping) and _string(o, "value"))
    if "selected_option" in element:
        return _string(_mapping(element, "selected_option"), "value")
    for key in ("value", "selected_date", "selected_time", "selected_user", "selected_conversation"):
        if isinstance(element.get(key), str):
            return str(element[key])
    return ""  # a text input left empty arrives as "value": null


# --- Slash commands ---------------------------------------------------------------------------------------------


def parse_command(form: Mapping[str, str]) -> CommandText:
    """A `/tyhy …` slash command (its form fields decoded) as the text of a command to the bot."""
    fields = _require_mapping(form, "a slash command form")
    raw = _string(fields, "text")
    channel_id = _string(fields, "channel_id")
    user_id, workspace = _string(fields, "user_id", required=True), _string(fields, "team_id")
    sender = Sender(SLACK, user_id, workspace, display_name=_string(fields, "user_name"))
    is_direct = fields.get("channel_name") == "directmessage" or channel_id.startswith("D")
    return CommandText(sender, readable(raw).strip(), channel_id, is_direct, mentioned_users(raw))


# --- Events API -------------------------------------------------------------------------------------------------


def event_id(body: object) -> str | None:
    """The envelope's event_id: Slack retries a delivery up to three times with the same one (dedupe on it)."""
    if isinstance(body, Mapping) and isinstance(body.get("event_id"), str) and body["event_id"]:
        return str(body["event_id"])
    return None


def parse_event(body: object) -> Parsed:
    """The neutral event of an Events API envelope (`event_callback`); url_verification and the rest are None."""
    envelope = _require_mapping(body, "an Events API body")
    if envelope.get("type") != "event_callback":
        return None
    event = envelope.get("event")
    if not isinstance(event, Mapping):
        raise SlackPayloadError("event_callback without an event")
    workspace = _string(envelope, "team_id") or _string(event, "team")
    bot_id = _bot_user_id(envelope)
    kind = event.get("type")
    if kind in ("message", "app_mention"):
        return _message(event, workspace, bot_id)
    if kind in ("member_joined_channel", "member_left_channel"):
        user, channel = _string(event, "user", required=True), _string(event, "channel", required=True)
        if kind == "member_left_channel":
            return MembersChanged(SLACK, workspace, channel, removed=(user,))
        if user == bot_id:  # the app itself was added to a channel
            inviter = _string(event, "inviter")
            return Installed(
                SLACK, workspace, channel, installer=Sender(SLACK, inviter, workspace) if inviter else None
            )
        return MembersChanged(SLACK, workspace, channel, added=(user,))
    if kind == "app_home_opened":
        return HomeOpened(_string(event, "user", required=True), workspace) if event.get("tab") == "home" else None
    if kind == "app_uninstalled":
        return Uninstalled(workspace)
    if kind == "tokens_revoked":
        # Revoked user tokens alone leave the bot working; only a revoked bot token ends the installation.
        bots = _mapping(event, "tokens").get("bot")
        return Uninstalled(workspace) if isinstance(bots, list) and bots else None
    return None


def _bot_user_id(envelope: Mapping[str, Any]) -> str:
    """The app's own bot user id (envelope `authorizations`, docs.slack.dev/apis/events-api), or "" if absent."""
    authorizations = envelope.get("authorizations")
    if isinstance(authorizations, list) and authorizations and isinstance(authorizations[0], Mapping):
        return _string(authorizations[0], "user_id")
    return ""


def _message(event: Mapping[str, Any], workspace: str, bot_id: str) -> CommandText | None:
    """A direct message to the bot, or a channel message mentioning it; bots, edits and deletions are None."""
    if event.get("subtype") or event.get("bot_id"):
        return None  # bot_message, message_changed, message_deleted, channel_join, file_share…
    is_direct = event.get("type") == "message"
    if is_direct and event.get("channel_type") != "im":
        return None  # channel messages reach the bot as app_mention; handling both would answer twice
    user = _string(event, "user", required=True)
    if user == bot_id:
        return None
    raw = _string(event, "text")
    if bot_id:
        raw = re.sub(rf"<@{re.escape(bot_id)}(?:\|[^>]*)?>[\s,:]*", "", raw)
    sender = Sender(SLACK, user, workspace)
    channel = _string(event, "channel", required=not is_direct)
    return CommandText(sender, readable(raw).strip(), channel, is_direct, mentioned_users(raw))


# --- Reading loosely typed JSON ---------------------------------------------------------------------------------


def _require_mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SlackPayloadError(f"{what} must be a JSON object, not {type(value).__name__}")
    return value


def _mapping(value: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    found = value.get(key)
    return found if isinstance(found, Mapping) else {}


def _string(value: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    found = value.get(key)
    if isinstance(found, str) and found:
        return found
    if required:
        raise SlackPayloadError(f"{key} is missing or not a text")
    return ""
