"""An activity's JSON read without the SDK's models: its shape, its conversation reference, its token envelope.

msrest's models cost a click more CPU than its database write, and the bot needs only a few parts of an activity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

# The parts of an activity the bot reads, with their JSON types; Bot Framework's schema gives them these types.
_SHAPE: dict[str, type] = {
    "id": str,
    "serviceUrl": str,
    "channelId": str,
    "name": str,
    "text": str,
    "replyToId": str,
    "locale": str,
    "timestamp": str,
    "from": Mapping,
    "recipient": Mapping,
    "conversation": Mapping,
    "channelData": Mapping,
    "membersAdded": list,
    "membersRemoved": list,
}
# The fields the SDK's account models serialise; anything else Teams adds is not part of a reference.
_ACCOUNT_KEYS = frozenset(field["key"] for field in ChannelAccount._attribute_map.values())
_CONVERSATION_KEYS = frozenset(field["key"] for field in ConversationAccount._attribute_map.values())


def conversation_reference(body: Mapping[str, Any]) -> dict[str, Any]:
    """The conversation reference TurnContext.get_conversation_reference makes, read from the JSON, without an id.

    Read straight from the JSON: the SDK's models cost a click more than its database write. The accounts keep only
    the fields those models know. The activity id is left out: a reference kept for proactive messages must not
    carry one, because continuing a conversation from a reference replies to that activity (into its thread), and
    without it every message from a person gives the same reference, which is then not written again.
    """
    reference = {
        "user": _account(body.get("from"), _ACCOUNT_KEYS),
        "bot": _account(body.get("recipient"), _ACCOUNT_KEYS),
        "conversation": _account(body.get("conversation"), _CONVERSATION_KEYS),
        "channelId": body.get("channelId"),
        "locale": body.get("locale"),
        "serviceUrl": body.get("serviceUrl"),
    }
    return {key: value for key, value in reference.items() if value is not None}


def _account(value: object, keys: frozenset[str]) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    return {key: part for key, part in value.items() if key in keys and part is not None}


def token_envelope(body: Mapping[str, Any]) -> Activity:
    """What the SDK's token check reads of an activity: where it came from and where answers go."""
    return Activity(channel_id=body.get("channelId"), service_url=body.get("serviceUrl"))


def misshapen(body: Mapping[str, Any]) -> str | None:
    """The first part the bot reads that has the wrong JSON type, or None when every part it reads is fine."""
    for key, kind in _SHAPE.items():
        if key in body and body[key] is not None and not isinstance(body[key], kind):
            return key
    return None
