"""The neutral inbound events: what every platform's payload becomes before the core sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.messages import SentRef
from bot.organisation import Platform


@dataclass(frozen=True)
class Sender:
    """Who acted: their platform user id, and the locale the platform reports for them when it does."""

    platform: Platform
    user_id: str
    workspace: str = ""
    locale: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class CommandText:
    """A message to the bot: a direct message, or a channel message that mentions it."""

    sender: Sender
    text: str
    channel_id: str = ""
    is_direct: bool = True
    mentioned_user_ids: tuple[str, ...] = ()  # platform ids of people mentioned in the text


@dataclass(frozen=True)
class ActionSubmitted:
    """A button pressed on a card; `form` holds the card's inputs at that moment."""

    sender: Sender
    action: str
    value: str
    source: SentRef | None = None
    form: Mapping[str, str] = field(default_factory=dict)
    # Who wrote what the action carries, when the platform says and it is not the sender: a message shared as a
    # success names its writer (their platform id, or only a name for a writer without one: a bot, an app).
    author: Sender | None = None


@dataclass(frozen=True)
class Installed:
    """The app was added to a workspace, team or channel."""

    platform: Platform
    workspace: str
    channel_id: str = ""
    team_name: str = ""
    installer: Sender | None = None


@dataclass(frozen=True)
class MembersChanged:
    """People joined or left a channel the app is in."""

    platform: Platform
    workspace: str
    channel_id: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


InboundEvent = CommandText | ActionSubmitted | Installed | MembersChanged
