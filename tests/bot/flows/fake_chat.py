"""An in-memory chat for flow tests: people say things and tap buttons; every message lands in a transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from bot.card_limits import card_problems
from bot.conversation import Conversation
from bot.events import ActionSubmitted, CommandText, Sender
from bot.messages import (
    Address,
    Buttons,
    Card,
    Facts,
    Heading,
    OutboundMessage,
    Question,
    Reply,
    Select,
    SentRef,
    Text,
    TextInput,
)
from bot.organisation import Member, Platform, Team


def visible_text(message: OutboundMessage) -> str:
    """Everything a person sees of a message: headings, texts, facts, prompts and button labels."""
    if message.card is None:
        return message.text or ""
    return card_text(message.card)


def card_text(card: Card) -> str:
    parts: list[str] = []
    for block in card.blocks:
        if isinstance(block, (Heading, Text)):
            parts.append(block.text)
        elif isinstance(block, Facts):
            parts.extend(f"{k}: {v}" for k, v in block.items)
        elif isinstance(block, Question):
            marks = [f"[{c.label}]" if c.value == block.selected else c.label for c in block.choices]
            parts.append(block.prompt + " " + " | ".join(marks))
        elif isinstance(block, Buttons):
            parts.append(" | ".join(b.label for b in block.buttons))
        elif isinstance(block, Select) and block.expanded:
            marks = [f"[{c.label}]" if c.value in block.selected else c.label for c in block.choices]
            parts.append(block.label + " " + " | ".join(marks))
        elif isinstance(block, (TextInput, Select)):
            parts.append(block.label)
    return "\n".join(parts)


@dataclass
class Posted:
    """A message as it stands in a transcript; updated in place when the bot replaces it."""

    address: Address
    message_id: str
    message: OutboundMessage
    versions: int = 1
    # What the person has picked on their device and not sent: radio buttons send nothing until a button press.
    picked: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return visible_text(self.message)

    @property
    def card(self) -> Card:
        assert self.message.card is not None, f"not a card: {self.text}"
        return self.message.card

    @property
    def ref(self) -> SentRef:
        return SentRef(self.address.platform, _key(self.address), self.message_id)


def _key(address: Address) -> str:
    return address.channel_id or f"dm-{address.user_id}"


@dataclass
class FakeChat:
    """The chat platform as the tests see it: a transcript per person and per channel."""

    conversation: Conversation
    platform: Platform = Platform.WEB
    transcripts: dict[str, list[Posted]] = field(default_factory=dict)
    _ids: count[int] = field(default_factory=count)

    def deliver(self, reply: Reply) -> list[Posted]:
        """Put the bot's messages where they go; a replacement changes the earlier message in place."""
        posted: list[Posted] = []
        for message in reply.messages:
            # Every card any flow test produces must fit Slack's and Teams' limits (bot/card_limits.py).
            if message.card is not None:
                assert card_problems(message.card) == [], f"{message.card.kind}: {card_problems(message.card)}"
            if message.replaces is not None:
                target = self._find(message.replaces)
                target.message = message
                target.versions += 1
                target.picked = {}  # a redrawn card shows what the bot drew, as the platforms do
                posted.append(target)
                continue
            entry = Posted(message.to, f"m{next(self._ids)}", message)
            self.transcripts.setdefault(_key(message.to), []).append(entry)
            posted.append(entry)
            if self.conversation.is_live(message):  # as the adapters do: the flow learns where it landed
                self.conversation.delivered(message, entry.ref)
        return posted

    def say(self, member: Member, text: str, *, channel: str = "", mentions: tuple[str, ...] = ()) -> list[Posted]:
        """The member writes to the bot (a direct message, or in a channel with `channel`)."""
        event = CommandText(
            sender=self.sender(member),
            text=text,
            channel_id=channel,
            is_direct=not channel,
            mentioned_user_ids=mentions,
        )
        return self.deliver(self.conversation.handle(event))

    def tap(
        self,
        member: Member,
        label: str,
        *,
        on: Posted | None = None,
        question: str | None = None,
        form: dict[str, str] | None = None,
    ) -> list[Posted]:
        """The member taps the button or choice with this label (of one question, if given) on a card."""
        posted = on or self.last_card(member)
        action, value = _find_control(posted.card, label, question)
        sent = {**posted.picked, **(form or {})}  # the card's inputs come with the press
        event = ActionSubmitted(self.sender(member), action, value, source=posted.ref, form=sent)
        return self.deliver(self.conversation.handle(event))

    def pick(self, member: Member, label: str, *, question: str, on: Posted | None = None) -> None:
        """The member picks a radio button on a card: it stays on their device, nothing reaches the bot."""
        posted = on or self.last_card(member)
        for block in posted.card.blocks:
            if isinstance(block, Select) and block.expanded and block.id == question:
                choice = next((c for c in block.choices if c.label == label), None)
                assert choice is not None, f"no choice {label!r} in {question}:\n{card_text(posted.card)}"
                posted.picked[question] = choice.value
                return
        raise AssertionError(f"no radio buttons {question!r} on the card:\n{card_text(posted.card)}")

    def press(
        self,
        member: Member,
        action: str,
        value: str,
        *,
        on: Posted | None = None,
        form: dict[str, str] | None = None,
        author: Sender | None = None,
    ) -> list[Posted]:
        """Send any action, as a forged or stale payload would arrive (`author`: a shared message's writer)."""
        source = on.ref if on is not None else None
        event = ActionSubmitted(self.sender(member), action, value, source=source, form=form or {}, author=author)
        return self.deliver(self.conversation.handle(event))

    def sender(self, member: Member) -> Sender:
        if self.platform in (Platform.WEB, Platform.CONSOLE):
            return Sender(self.platform, str(member.id))
        identity = member.identity(self.platform)
        assert identity is not None, f"{member.name} has no {self.platform} identity"
        return Sender(self.platform, identity.user_id, identity.workspace)

    def inbox(self, member: Member) -> list[Posted]:
        """Everything sent to the member directly, oldest first."""
        return self.transcripts.get(f"dm-{member.id}", [])

    def channel(self, team: Team) -> list[Posted]:
        """Everything posted in the team's channel (the local web chat's channel when it has no other)."""
        return self.transcripts.get(team.home_channels[0].channel_id if team.home_channels else f"team-{team.id}", [])

    def last(self, member: Member) -> Posted:
        inbox = self.inbox(member)
        assert inbox, f"{member.name} has received nothing"
        return inbox[-1]

    def last_card(self, member: Member) -> Posted:
        cards = [p for p in self.inbox(member) if p.message.card is not None]
        assert cards, f"{member.name} has received no card"
        return cards[-1]

    def _find(self, ref: SentRef) -> Posted:
        for entry in self.transcripts.get(ref.channel_id, []):
            if entry.message_id == ref.message_id:
                return entry
        raise AssertionError(f"the bot replaced a message that does not exist: {ref}")


def _find_control(card: Card, label: str, question: str | None = None) -> tuple[str, str]:
    for block in card.blocks:
        if question is not None and not (isinstance(block, Question) and block.id == question):
            continue
        if isinstance(block, Buttons):
            for button in block.buttons:
                if button.label == label:
                    return button.action, button.value
        if isinstance(block, Question):
            for choice in block.choices:
                if choice.label == label:
                    return block.action, choice.value
    raise AssertionError(f"no button {label!r} on the card:\n{card_text(card)}")
