"""Answers to a command typed in a Slack channel: shown there to the one who typed it only (ephemeral messages).

A slash command and a tap on an ephemeral message carry a response_url, which answers the person wherever they
are, even in a channel the bot is not in; a mention has none, so `chat.postEphemeral` answers in its channel (and
thread). Slack keeps no ephemeral message to update: a card shown so is redrawn through the next tap's response_url.
Whatever Slack refuses goes to the person's DM instead, as it did before: an answer is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from adapters.common.asked_in_channel import split_for_asker
from adapters.common.interactions import Interactions
from adapters.slack.port import SlackChatPort
from bot.events import ActionSubmitted, CommandText, InboundEvent
from bot.messages import OutboundMessage, Reply
from bot.ports import DeliveryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AskedIn:
    """Where someone asked in a channel, and how Slack lets the bot answer them alone there."""

    workspace: str
    channel: str
    user: str
    response_url: str = ""
    thread_ts: str = ""


def asked_in(body: Mapping[str, Any]) -> AskedIn | None:
    """Where to answer ephemerally: a slash command or a mention in a channel, a tap on an ephemeral message; None
    for a DM, and for a tap on a message of the bot's own, which is updated in place as before."""
    if "command" in body:  # a slash command's form
        channel = _text(body, "channel_id")
        if not channel or channel.startswith("D") or body.get("channel_name") == "directmessage":
            return None
        return AskedIn(_text(body, "team_id"), channel, _text(body, "user_id"), _text(body, "response_url"))
    event = _mapping(body, "event")
    if body.get("type") == "event_callback" and event.get("type") == "app_mention":
        channel = _text(event, "channel")
        if not channel or channel.startswith("D"):
            return None
        workspace = _text(body, "team_id") or _text(event, "team")
        return AskedIn(workspace, channel, _text(event, "user"), thread_ts=_text(event, "thread_ts"))
    container = _mapping(body, "container")
    if body.get("type") == "block_actions" and container.get("is_ephemeral") is True and _text(body, "response_url"):
        user = _mapping(body, "user")
        workspace = _text(_mapping(body, "team"), "id") or _text(user, "team_id")
        return AskedIn(workspace, _text(container, "channel_id"), _text(user, "id"), _text(body, "response_url"))
    return None


class EphemeralAnswers:
    """Runs an event asked in a channel through the core; the asker's answers are shown to them there."""

    def __init__(self, interactions: Interactions, port: SlackChatPort) -> None:
        self.interactions = interactions
        self.port = port

    async def handle(self, event: InboundEvent, asked: AskedIn) -> None:
        if not isinstance(event, (CommandText, ActionSubmitted)):
            await self.interactions.handle(event)
            return
        mine, rest = split_for_asker(await self.interactions.answer(event), event.sender)
        await self.interactions.deliver(rest, event.sender)  # a success's post to the team's channel stays the team's
        for message in mine:
            try:
                await self._show(asked, message)
            except DeliveryError as error:
                logger.warning("an answer in a Slack channel was refused (%s); sent to the DM", error.reason)
                # Not a redraw there: the ephemeral message it would replace is not in the DM.
                await self.interactions.deliver(Reply((replace(message, replaces=None),)), event.sender)

    async def _show(self, asked: AskedIn, message: OutboundMessage) -> None:
        if asked.response_url:
            await self.port.respond(asked.response_url, message, replace=message.replaces is not None)
        else:
            await self.port.ephemeral(asked.workspace, asked.channel, asked.user, message, asked.thread_ts)


def _mapping(value: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    found = value.get(key)
    return found if isinstance(found, Mapping) else {}


def _text(value: Mapping[str, Any], key: str) -> str:
    found = value.get(key)
    return found if isinstance(found, str) else ""
