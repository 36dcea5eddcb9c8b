"""The neutral outbound message model: cards of a few block kinds that every adapter renders its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.organisation import Platform


@dataclass(frozen=True)
class Heading:
    """A card's title (Slack header block, Adaptive Card large bold TextBlock)."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph in a small markdown subset: *bold*, _italic_, line breaks and • bullets."""

    text: str


@dataclass(frozen=True)
class Facts:
    """Label-value pairs (Slack section fields, Adaptive Card FactSet)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Button:
    """A button: `action` is a dotted id (pulse.answer), `value` a short token pointing to rows."""

    action: str
    label: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Choice:
    """One option of a question: its label and the value sent back."""

    label: str
    value: str


@dataclass(frozen=True)
class Question:
    """A prompt with one button per choice; `selected` marks the chosen value when the card is redrawn."""

    id: str
    prompt: str
    action: str
    choices: tuple[Choice, ...]
    selected: str | None = None


@dataclass(frozen=True)
class Buttons:
    """A row of buttons."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class TextInput:
    """A text field; its value arrives with the next button press of the card under `id`."""

    id: str
    label: str
    placeholder: str = ""
    multiline: bool = False
    max_length: int = 3000
    initial: str = ""


@dataclass(frozen=True)
class Select:
    """A drop-down (or several picks with `multiple`); the choice arrives with the next button press under `id`.

    Several picks arrive as one comma-separated string of values, as Teams sends them; adapters join Slack's list.
    `expanded` shows every choice at once as radio buttons (Slack radio_buttons, Teams' expanded ChoiceSet, HTML
    radio inputs): picking one stays on the person's device and sends nothing until the button press.
    """

    id: str
    label: str
    choices: tuple[Choice, ...]
    multiple: bool = False
    selected: tuple[str, ...] = ()
    expanded: bool = False

    def __post_init__(self) -> None:
        if self.expanded and self.multiple:
            raise ValueError("radio buttons take one pick: an expanded select cannot be multiple")


Block = Heading | Text | Facts | Question | Buttons | TextInput | Select


@dataclass(frozen=True)
class Card:
    """A card: `kind` names it (golden files, logs), `fallback_text` is what notifications and screen readers say."""

    kind: str
    fallback_text: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Address:
    """Where a message goes: a person's direct messages (user_id) or a channel (channel_id) on one platform."""

    platform: Platform
    user_id: str = ""
    channel_id: str = ""
    workspace: str = ""

    @property
    def is_channel(self) -> bool:
        """True for a post in a channel rather than to a person."""
        return bool(self.channel_id) and not self.user_id


@dataclass(frozen=True)
class SentRef:
    """A message already sent, so it can be updated in place (Slack channel + ts, Teams conversation + activity id)."""

    platform: Platform
    channel_id: str
    message_id: str
    workspace: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    """A card or a plain text to send, or to put in place of an earlier message (`replaces`)."""

    to: Address
    card: Card | None = None
    text: str | None = None
    replaces: SentRef | None = None
    member_id: int | None = None  # the recipient, when a person: lets the outbox track delivery per person
    # Told to the person whose act this message carries (a success's sharer) when the platform refuses it for good.
    if_refused: OutboundMessage | None = None
    # Nothing personal in it (a team's plan): a question asked in a channel may be answered there for all to see.
    public: bool = False
    # What the message is about, named in its outbox key ("pulse:12": a card of round 12), so a later update can find
    # the sent message (the round's close turns its card into a closed card). Not stored with the message: the key
    # keeps it.
    topic: str = ""

    def __post_init__(self) -> None:
        if (self.card is None) == (self.text is None):
            raise ValueError("a message has either a card or a text")

    @property
    def fallback_text(self) -> str:
        """The text to show where a card cannot be: notifications, previews, consoles."""
        return self.card.fallback_text if self.card is not None else (self.text or "")


@dataclass(frozen=True)
class Reply:
    """What the bot does in answer to one event: messages to send, in order."""

    messages: tuple[OutboundMessage, ...] = field(default=())

    def __add__(self, other: Reply) -> Reply:
        return Reply(self.messages + other.messages)
