"""A command typed in a channel: which of the core's answers are the asker's own, to be answered there instead."""

from __future__ import annotations

from bot.events import Sender
from bot.messages import OutboundMessage, Reply


def split_for_asker(reply: Reply, sender: Sender) -> tuple[tuple[OutboundMessage, ...], Reply]:
    """The messages the core addressed to the asker themself (their DM, or a card of theirs it redraws), and the
    rest (a post to the team's channel, a message to someone else) to be sent as the core addressed them."""
    mine = tuple(message for message in reply.messages if _to_asker(message, sender))
    rest = tuple(message for message in reply.messages if not _to_asker(message, sender))
    return mine, Reply(rest)


def _to_asker(message: OutboundMessage, sender: Sender) -> bool:
    to = message.to
    return to.platform == sender.platform and bool(to.user_id) and to.user_id == sender.user_id
