"""A shared message's writer by the id the bot knows them by: Teams names them by Azure AD object id, the bot by "29:…".

Teams finds one member of a conversation by their Teams id, UPN or Azure AD object id (msteams-docs
get-teams-context, "Get single member details"), so the team's roster turns the writer's object id into their Teams
id, which the organisation's identities hold. Someone the roster does not list keeps only their name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from azure.core.exceptions import DeserializationError
from msrest.exceptions import ClientException

from adapters.teams.install import ready_token
from bot.events import ActionSubmitted

logger = logging.getLogger(__name__)


async def with_writer_by_teams_id(event: ActionSubmitted, body: Mapping[str, Any], connector: Any) -> ActionSubmitted:
    """The event with its writer's Azure AD object id replaced by their Teams id, or by none when it cannot be read.

    No id is better than one that is not a Teams id: the writer is then named, never matched to the wrong member.
    """
    writer = event.author
    if writer is None or not writer.user_id:
        return event  # a bot's message, or a writer Teams did not name
    teams_id = await _teams_id(connector, _roster_of(body), writer.user_id)
    return replace(event, author=replace(writer, user_id=teams_id))


async def _teams_id(connector: Any, conversation_id: str, aad_object_id: str) -> str:
    if not conversation_id:
        return ""
    try:
        await ready_token(connector)
        account = await connector.conversations.get_conversation_member(conversation_id, aad_object_id)
    except (ClientException, DeserializationError, PermissionError) as error:  # not listed (404), HTTP, network
        logger.info("shared message's writer not found in the roster: %s", type(error).__name__)
        return ""
    teams_id = getattr(account, "id", None)
    return teams_id if isinstance(teams_id, str) else ""


def _roster_of(body: Mapping[str, Any]) -> str:
    """The team whose message was shared (a channel's members are the team's), else the chat it was shared in."""
    channel_data = body.get("channelData")
    team = channel_data.get("team") if isinstance(channel_data, Mapping) else None
    team_id = team.get("id") if isinstance(team, Mapping) else None
    if isinstance(team_id, str) and team_id:
        return team_id
    conversation = body.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, Mapping) else None
    return conversation_id.split(";messageid=")[0] if isinstance(conversation_id, str) else ""
