"""Bot Framework activities as Teams sends them to /api/messages, built small: only the parts the bot reads."""

from __future__ import annotations

from itertools import count
from typing import Any

TENANT = "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d"
BOT = {"id": "28:0c9f6e4a-2b7d-4f1e-8a3c-5d6e7f8a9b0c", "name": "Tyhybot"}
TEAM_ID = "19:Kx3vQ9yL2mN8pR4tW6zA1bC5dE7fG0hJ@thread.tacv2"  # also its General channel's id
_ids = count(1763885600000)


def _base(kind: str, service_url: str, who: dict[str, str], conversation: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": kind,
        "id": str(next(_ids)),
        "timestamp": "2026-11-23T08:14:05.1234567Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": who,
        "conversation": conversation,
        "recipient": dict(BOT),
        "channelData": {"tenant": {"id": TENANT}},
    }


def person(user_id: str, name: str = "") -> dict[str, str]:
    return {"id": user_id, "name": name or user_id}


def personal_chat(user_id: str) -> dict[str, Any]:
    """A person's 1:1 chat with the bot, as Teams names it."""
    return {"conversationType": "personal", "tenantId": TENANT, "id": f"a:{user_id}"}


def message(service_url: str, user_id: str, text: str, *, locale: str = "fi-FI") -> dict[str, Any]:
    """A message the person typed to the bot in their 1:1 chat."""
    activity = _base("message", service_url, person(user_id), personal_chat(user_id))
    activity.update({"text": text, "textFormat": "plain", "locale": locale})
    return activity


def channel_message(
    service_url: str, user_id: str, text: str, *, channel: str = TEAM_ID, thread: str = "", locale: str = "fi-FI"
) -> dict[str, Any]:
    """A message in a team's channel that @mentions the bot: a new post, or a reply in the thread of `thread`.

    Teams names a channel conversation after its thread's first post: "19:…@thread.tacv2;messageid=<its id>".
    """
    activity = _base("message", service_url, person(user_id), {})
    root = thread or activity["id"]
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{channel};messageid={root}",
    }
    mention = f"<at>{BOT['name']}</at>"
    activity.update(
        {
            "text": f"{mention} {text}",
            "textFormat": "plain",
            "locale": locale,
            "entities": [{"type": "mention", "mentioned": dict(BOT), "text": mention}],
            "channelData": {"channel": {"id": channel}, "team": {"id": TEAM_ID}, "tenant": {"id": TENANT}},
        }
    )
    return activity


def card_submit(
    service_url: str, user_id: str, data: dict[str, Any], *, reply_to: str, conversation_id: str = ""
) -> dict[str, Any]:
    """An Action.Submit pressed on a card the bot sent: a message with the button's data (and inputs) as value."""
    chat = personal_chat(user_id)
    if conversation_id:
        chat["id"] = conversation_id
    activity = _base("message", service_url, person(user_id), chat)
    activity.update({"replyToId": reply_to, "value": data, "locale": "fi-FI"})
    return activity


ANNA_AAD = "8e1b3c5d-2f4a-4b6c-9d8e-7f0a1b2c3d4e"  # the Azure AD object id of the shared message's default writer


def written_by_person(aad_object_id: str, name: str) -> dict[str, Any]:
    """A shared message's `from` when a person wrote it: Teams names them by Azure AD object id."""
    user = {"userIdentityType": "aadUser", "id": aad_object_id, "displayName": name}
    return {"device": None, "conversation": None, "user": user, "application": None}


def written_by_bot(name: str) -> dict[str, Any]:
    """A shared message's `from` when a bot or a workflow posted it: no user, only the application."""
    application = {
        "applicationIdentityType": "bot",
        "id": "28:5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "displayName": name,
    }
    return {"device": None, "conversation": None, "user": None, "application": application}


def share_success(
    service_url: str,
    user_id: str,
    html: str,
    *,
    channel: str = TEAM_ID,
    written_by: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The "share as a success" message action on a channel message (composeExtension/submitAction)."""
    conversation = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{channel};messageid=1763885645123",
    }
    activity = _base("invoke", service_url, person(user_id), conversation)
    activity["channelData"] = {"channel": {"id": channel}, "team": {"id": TEAM_ID}, "tenant": {"id": TENANT}}
    activity.update(
        {
            "name": "composeExtension/submitAction",
            "locale": "fi-FI",
            "value": {
                "commandId": "shareSuccess",
                "commandContext": "message",
                "messagePayload": {
                    "id": "1763885645123",
                    "body": {"contentType": "html", "content": html},
                    "from": written_by or written_by_person(ANNA_AAD, "Anna"),
                },
            },
        }
    )
    return activity


def _team_update(service_url: str, installer: str, team_name: str) -> dict[str, Any]:
    conversation = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM_ID}
    activity = _base("conversationUpdate", service_url, person(installer), conversation)
    activity["channelData"] = {"team": {"id": TEAM_ID, "name": team_name}, "tenant": {"id": TENANT}}
    return activity


def bot_added_to_team(service_url: str, installer: str, team_name: str) -> dict[str, Any]:
    """conversationUpdate: the bot was added to a team (its id among membersAdded)."""
    activity = _team_update(service_url, installer, team_name)
    activity["channelData"]["eventType"] = "teamMemberAdded"
    activity["membersAdded"] = [{"id": BOT["id"]}]
    return activity


def installation_add(service_url: str, installer: str, team_name: str) -> dict[str, Any]:
    """installationUpdate add, which Teams sends for the same install as well."""
    activity = _team_update(service_url, installer, team_name)
    activity["type"] = "installationUpdate"
    activity["action"] = "add"
    return activity


def installation_remove(service_url: str, installer: str, team_name: str) -> dict[str, Any]:
    activity = installation_add(service_url, installer, team_name)
    activity["action"] = "remove"
    return activity


def members_added(service_url: str, installer: str, team_name: str, user_ids: list[str]) -> dict[str, Any]:
    activity = _team_update(service_url, installer, team_name)
    activity["channelData"]["eventType"] = "teamMemberAdded"
    activity["membersAdded"] = [{"id": user_id} for user_id in user_ids]
    return activity


def members_removed(service_url: str, installer: str, team_name: str, user_ids: list[str]) -> dict[str, Any]:
    activity = _team_update(service_url, installer, team_name)
    activity["channelData"]["eventType"] = "teamMemberRemoved"
    activity["membersRemoved"] = [{"id": user_id} for user_id in user_ids]
    return activity


def universal_action(service_url: str, user_id: str, data: dict[str, Any], *, reply_to: str) -> dict[str, Any]:
    """An Action.Execute press (Universal Actions): an adaptiveCard/action invoke that Teams waits on."""
    activity = _base("invoke", service_url, person(user_id), personal_chat(user_id))
    activity.update(
        {
            "name": "adaptiveCard/action",
            "replyToId": reply_to,
            "value": {"action": {"type": "Action.Execute", "verb": "tyhy", "data": data}},
        }
    )
    return activity
