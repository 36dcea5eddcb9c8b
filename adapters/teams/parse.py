"""Bot Framework activities from Teams as neutral events (pure: a dict in, an event or None out).

Who a person is: `from.id`, the "29:…" id Bot Framework addresses and Teams keeps stable per bot, not the
Azure AD object id (`from.aadObjectId`), because proactive messages and conversation members use the former
(learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
Where: `channel_id` is the channel without its thread suffix (";messageid=…") for channel messages, else the
chat's conversation id (a personal chat's "a:…", a group chat's "19:…@thread.v2"). Other people's mentions
stay in the text as Teams writes them, "<at>Name</at>", which the core reads; their ids are listed apart.
What the bot ignores is None; an activity it should act on but cannot read raises TeamsPayloadError.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from adapters.teams.render import ACTION_KEY, VALUE_KEY
from bot.events import ActionSubmitted, CommandText, InboundEvent, Installed, MembersChanged, Sender
from bot.messages import SentRef
from bot.organisation import Platform

SHARE_SUCCESS_COMMAND = "shareSuccess"  # the message extension's command id in the app manifest
SUCCESS_FROM_MESSAGE = "success.from_message"
_NOT_PEOPLE = ("channel", "team", "tag")  # mention types that name no person (Teams channelData mentions)
_THREAD = re.compile(r";messageid=\d+$")


class TeamsPayloadError(ValueError):
    """An activity the bot should act on, but with a part missing or of the wrong type."""


@dataclass(frozen=True)
class Uninstalled:
    """The app was removed from a team, a chat or a person's personal scope (Teams only)."""

    tenant: str
    conversation_id: str


TeamsEvent = InboundEvent | Uninstalled


def parse_activity(activity: object) -> TeamsEvent | None:
    """The neutral event an activity from Teams means, or None for one the bot ignores."""
    if not isinstance(activity, Mapping):
        raise TeamsPayloadError("an activity is a JSON object")
    kind = activity.get("type")
    if kind == "message":
        return _message(activity)
    if kind == "invoke" and activity.get("name") == "adaptiveCard/action":
        action = _mapping(_mapping(activity, "value"), "action")
        return _submitted(activity, _mapping(action, "data"))
    if kind == "conversationUpdate":
        return _conversation_update(activity)
    if kind == "installationUpdate":
        return _installation_update(activity)
    return None  # messageReaction, typing, endOfConversation, other invokes


def parse_message_action(activity: object) -> ActionSubmitted | None:
    """The "share as a success" message action (composeExtension/submitAction) as a neutral action."""
    if not isinstance(activity, Mapping):
        raise TeamsPayloadError("an activity is a JSON object")
    if activity.get("type") != "invoke" or activity.get("name") != "composeExtension/submitAction":
        return None
    value = _mapping(activity, "value")
    if value.get("commandId") != SHARE_SUCCESS_COMMAND:
        return None
    payload = _mapping(value, "messagePayload")
    body = _mapping(payload, "body")
    content = _string(body, "content")
    text = html_to_text(content) if body.get("contentType", "html") == "html" else content.strip()
    form = {"text": text}
    # The app's action asks the sharer for an optional note ("note" in the manifest's parameters).
    data = value.get("data")
    note = data.get("note") if isinstance(data, Mapping) else None
    if isinstance(note, str) and note.strip():
        form["note"] = note.strip()
    channel = _channel_id(activity)
    if channel:
        form["channel"] = channel
    sender = _sender(activity)
    return ActionSubmitted(sender, SUCCESS_FROM_MESSAGE, "", None, form, _writer(payload, sender.workspace))


def _writer(payload: Mapping[str, Any], tenant: str) -> Sender | None:
    """Who wrote the shared message: a person, or a bot or app by its name alone; None when Teams names neither.

    A person's id here is their Azure AD object id (messagePayload.from.user; botbuilder-schema's
    MessageActionsPayloadFrom, whose `application` is a bot, a connector or a webhook), not the "29:…" id the bot
    knows them by: the adapter looks that up in the roster.
    """
    written_by = _mapping(payload, "from", required=False)
    user = _mapping(written_by, "user", required=False)
    user_id, name = _string(user, "id", required=False), _string(user, "displayName", required=False)
    if user_id or name:
        return Sender(Platform.TEAMS, user_id, tenant, display_name=name)
    application = _string(_mapping(written_by, "application", required=False), "displayName", required=False)
    return Sender(Platform.TEAMS, "", tenant, display_name=application) if application else None


# --- Messages and card submits --------------------------------------------------------------------------------


def _message(activity: Mapping[str, Any]) -> InboundEvent | None:
    value = activity.get("value")
    if isinstance(value, Mapping) and ACTION_KEY in value:
        return _submitted(activity, value)
    text = activity.get("text")
    if not isinstance(text, str) or not text.strip():
        return None  # a picture or a file on its own, or an empty message
    conversation = _mapping(activity, "conversation")
    recipient = _string(_mapping(activity, "recipient", required=False), "id", required=False)
    mentioned: list[str] = []
    for entity in _list(activity, "entities"):
        if not isinstance(entity, Mapping) or entity.get("type") != "mention":
            continue
        who = entity.get("mentioned")
        who_id = who.get("id") if isinstance(who, Mapping) else None
        if not isinstance(who_id, str):
            continue
        if who_id == recipient:
            # The bot's own mention: in channels every command starts with it (aesthetics.md P6).
            mention_text = entity.get("text")
            if isinstance(mention_text, str) and mention_text:
                text = text.replace(mention_text, "")
        elif isinstance(who, Mapping) and who.get("mentionType") not in _NOT_PEOPLE:
            mentioned.append(who_id)
    direct = conversation.get("conversationType", "personal") == "personal"
    return CommandText(
        sender=_sender(activity),
        text=html.unescape(text).replace("\u00a0", " ").strip(),
        channel_id=_channel_id(activity),
        is_direct=direct,
        mentioned_user_ids=tuple(dict.fromkeys(mentioned)),
    )


def _submitted(activity: Mapping[str, Any], data: Mapping[str, Any]) -> ActionSubmitted:
    action = data.get(ACTION_KEY)
    value = data.get(VALUE_KEY, "")
    if not isinstance(action, str) or not action or not isinstance(value, str):
        raise TeamsPayloadError(f"a card submit needs {ACTION_KEY} and {VALUE_KEY} as strings")
    sender = _sender(activity)
    reply_to = activity.get("replyToId")
    source = None
    if isinstance(reply_to, str) and reply_to:
        conversation_id = _string(_mapping(activity, "conversation"), "id")
        source = SentRef(Platform.TEAMS, conversation_id, reply_to, sender.workspace)
    form: dict[str, str] = {}
    for key, raw in data.items():
        text = _form_value(raw)
        if key not in (ACTION_KEY, VALUE_KEY) and text is not None:
            form[key] = text
    return ActionSubmitted(sender, action, value, source=source, form=form)


def _form_value(raw: object) -> str | None:
    """An input's value as the core reads it: "" for an empty one, None for what no input sends (objects)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (str, int, float)):
        return str(raw)
    if isinstance(raw, list):
        return ",".join(str(item) for item in raw if isinstance(item, (str, int, float)))
    return None


# --- Installation and membership ------------------------------------------------------------------------------


def _conversation_update(activity: Mapping[str, Any]) -> TeamsEvent | None:
    bot = _string(_mapping(activity, "recipient"), "id")
    added = _member_ids(activity, "membersAdded")
    removed = _member_ids(activity, "membersRemoved")
    if bot in added:
        return _installed(activity)
    if bot in removed:
        return _uninstalled(activity)
    if not added and not removed:
        return None  # teamRenamed, channelCreated and the other channel events
    channel_data = _mapping(activity, "channelData", required=False)
    team_id = _string(_mapping(channel_data, "team", required=False), "id", required=False)
    channel = team_id or _string(_mapping(activity, "conversation"), "id")
    return MembersChanged(Platform.TEAMS, _tenant(activity), channel, tuple(added), tuple(removed))


def _installation_update(activity: Mapping[str, Any]) -> TeamsEvent | None:
    action = activity.get("action")
    if action in ("add", "add-upgrade"):
        return _installed(activity)
    if action == "remove":
        return _uninstalled(activity)
    return None  # remove-upgrade: the app stays, only its permissions changed


def _installed(activity: Mapping[str, Any]) -> Installed:
    """Installed into a team (its General channel has the team's id), a group chat, or one person's chat.

    A personal install has no channel: `channel_id` is empty and `installer` is the person.
    """
    conversation = _mapping(activity, "conversation")
    channel_data = _mapping(activity, "channelData", required=False)
    team = _mapping(channel_data, "team", required=False)
    team_id = _string(team, "id", required=False)
    if team_id:
        channel = team_id
    elif conversation.get("conversationType", "personal") == "personal":
        channel = ""
    else:
        channel = _channel_id(activity)
    installer = _sender(activity) if isinstance(activity.get("from"), Mapping) else None
    return Installed(Platform.TEAMS, _tenant(activity), channel, _string(team, "name", required=False), installer)


def _uninstalled(activity: Mapping[str, Any]) -> Uninstalled:
    return Uninstalled(_tenant(activity), _string(_mapping(activity, "conversation"), "id"))


def _member_ids(activity: Mapping[str, Any], key: str) -> list[str]:
    return [m["id"] for m in _list(activity, key) if isinstance(m, Mapping) and isinstance(m.get("id"), str)]


# --- Who and where --------------------------------------------------------------------------------------------


def _sender(activity: Mapping[str, Any]) -> Sender:
    who = _mapping(activity, "from")
    locale = activity.get("locale")
    return Sender(
        platform=Platform.TEAMS,
        user_id=_string(who, "id"),
        workspace=_tenant(activity),
        locale=locale if isinstance(locale, str) and locale else _client_locale(activity),
        display_name=_string(who, "name", required=False),
    )


def _client_locale(activity: Mapping[str, Any]) -> str | None:
    """The locale Teams puts in the clientInfo entity when the activity itself has none."""
    for entity in _list(activity, "entities"):
        if isinstance(entity, Mapping) and entity.get("type") == "clientInfo":
            locale = entity.get("locale")
            if isinstance(locale, str) and locale:
                return locale
    return None


def _tenant(activity: Mapping[str, Any]) -> str:
    tenant = _string(_mapping(activity, "conversation", required=False), "tenantId", required=False)
    if tenant:
        return tenant
    channel_data = _mapping(activity, "channelData", required=False)
    return _string(_mapping(channel_data, "tenant", required=False), "id", required=False)


def _channel_id(activity: Mapping[str, Any]) -> str:
    """Where a message was: the channel without its thread (";messageid=…"), else the chat's conversation id."""
    channel_data = _mapping(activity, "channelData", required=False)
    channel = _string(_mapping(channel_data, "channel", required=False), "id", required=False)
    if channel:
        return channel
    return _THREAD.sub("", _string(_mapping(activity, "conversation"), "id"))


# --- Reading parts safely -------------------------------------------------------------------------------------


def _mapping(parent: Mapping[str, Any], key: str, *, required: bool = True) -> Mapping[str, Any]:
    value = parent.get(key)
    if isinstance(value, Mapping):
        return value
    if required:
        raise TeamsPayloadError(f"{key} is missing or not an object")
    return {}


def _string(parent: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = parent.get(key)
    if isinstance(value, str) and (value or not required):
        return value
    if required:
        raise TeamsPayloadError(f"{key} is missing or not a string")
    return ""


def _list(parent: Mapping[str, Any], key: str) -> list[Any]:
    value = parent.get(key)
    return value if isinstance(value, list) else []


# --- HTML of a shared message ---------------------------------------------------------------------------------


class _TextOf(HTMLParser):
    """The text a person sees in a Teams message's HTML: paragraphs and breaks as lines, mentions as "@Name"."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        elif tag == "at":
            self.parts.append("@")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    """A message body's HTML as plain text: tags gone, entities decoded, blank runs folded."""
    parser = _TextOf()
    parser.feed(content)
    parser.close()
    lines = ("".join(parser.parts).replace("\u00a0", " ")).split("\n")
    text = "\n".join(" ".join(line.split()) for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
