"""The conversation core: turns every inbound event into a reply, routing commands and card actions to flows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.card_limits import shorten
from bot.commands import Command, ParsedCommand, parse_command
from bot.errors import DomainError, FormRefused
from bot.events import ActionSubmitted, CommandText, InboundEvent, Installed, MembersChanged, Sender
from bot.i18n import translate
from bot.language import resolve_language, switch_language
from bot.messages import Address, OutboundMessage, Reply, SentRef
from bot.person import Directory, Person, find_person

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]  # aware UTC now; injected so tests and the demo can move time
COMMAND_ACTION = "command."  # a button that does what typing a command does: "command.plan"


class Flow(Protocol):
    """One conversation flow: the commands it answers and the card actions (by prefix) it owns."""

    commands: frozenset[Command]
    action_prefix: str  # e.g. "pulse." owns pulse.answer, pulse.send ...

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply: ...

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply: ...


@runtime_checkable
class LiveFlow(Protocol):
    """A flow that redraws some of its messages later (a count that changes): it is told where they landed."""

    live_prefix: str  # the topics of its live messages start with this, e.g. "choose:"

    def on_delivered(self, message: OutboundMessage, ref: SentRef) -> None: ...


def say(person: Person, key: str, **params: object) -> Reply:
    """A plain text reply to the person, in their language."""
    return Reply((OutboundMessage(to=person.address, text=translate(person.language, key, **params)),))


def say_error(person: Person, error: DomainError) -> Reply:
    """A broken rule told to the person in their language."""
    return Reply((OutboundMessage(to=person.address, text=error.message(person.language)),))


def _form_again(person: Person, refused: FormRefused, event: InboundEvent) -> Reply:
    """The refused form in place of the pressed card, with all that was typed, and the reason as a message too
    (an updated card is easy to miss: the message is what the chat notifies of)."""
    source = event.source if isinstance(event, ActionSubmitted) else None
    form = OutboundMessage(to=person.address, card=refused.form, replaces=source, member_id=person.member.id)
    return Reply((form,)) + say_error(person, refused)


class Conversation:
    """Routes events; every DomainError becomes a clear reply and nothing the flow began is kept half-done."""

    def __init__(self, directory: Directory, clock: Clock, flows: Sequence[Flow] = ()) -> None:
        self.directory = directory
        self.clock = clock
        self.flows = list(flows)
        self._by_command = {command: flow for flow in self.flows for command in flow.commands}
        self._live = [flow for flow in self.flows if isinstance(flow, LiveFlow)]

    def is_live(self, message: OutboundMessage) -> bool:
        """True for a message a flow will redraw later: where it lands is to be told to `delivered`."""
        return bool(message.topic) and any(message.topic.startswith(flow.live_prefix) for flow in self._live)

    def delivered(self, message: OutboundMessage, ref: SentRef) -> None:
        """A live message was sent and landed at `ref`: its flow remembers where, to redraw it there."""
        for flow in self._live:
            if message.topic.startswith(flow.live_prefix):
                flow.on_delivered(message, ref)

    def handle(self, event: InboundEvent) -> Reply:
        """The bot's answer to one event."""
        if isinstance(event, (Installed, MembersChanged)):
            return Reply()  # adapters handle installs; the core has nothing to say to a channel here
        person = find_person(self.directory, event.sender)
        if person is None:
            return self._stranger(event.sender)
        try:
            if isinstance(event, CommandText):
                return self._command(person, event)
            return self._action(person, event)
        except FormRefused as refused:
            return _form_again(person, refused, event)
        except DomainError as error:
            return say_error(person, error)

    def _command(self, person: Person, event: CommandText) -> Reply:
        parsed = parse_command(event.text)
        if parsed.command is Command.LANGUAGE:
            return self._language(person, parsed)
        flow = self._by_command.get(parsed.command) if parsed.command is not None else None
        if flow is not None:
            return flow.on_command(person, parsed, event)
        if parsed.command is None:
            unknown = translate(person.language, "help.unknown", text=shorten(parsed.text, 200))
            return Reply((OutboundMessage(to=person.address, text=unknown + "\n\n" + help_text(person)),))
        return Reply((OutboundMessage(to=person.address, text=help_text(person)),))

    def _action(self, person: Person, event: ActionSubmitted) -> Reply:
        if event.action.startswith(COMMAND_ACTION):
            typed = event.action.removeprefix(COMMAND_ACTION)
            if typed in {command.value for command in Command}:
                return self._command(person, CommandText(event.sender, typed))
        for flow in self.flows:
            if event.action.startswith(flow.action_prefix):
                return flow.on_action(person, event)
        logger.info("unknown card action %s", event.action)
        return say(person, "action.unknown")

    def _language(self, person: Person, parsed: ParsedCommand) -> Reply:
        if not parsed.args:
            return say(person, "language.current")
        language = switch_language(self.directory, person.member, parsed.arg_words[0])
        return Reply((OutboundMessage(to=person.address, text=translate(language, "language.changed")),))

    def _stranger(self, sender: Sender) -> Reply:
        organisation = self.directory.get()
        language = resolve_language(platform_locale=sender.locale, organisation=organisation)
        address = Address(sender.platform, user_id=sender.user_id, workspace=sender.workspace)
        return Reply((OutboundMessage(to=address, text=translate(language, "person.unknown")),))


def help_text(person: Person) -> str:
    """What the bot can do for this person, in their language: staff are not offered what only supervisors may do."""
    text = translate(person.language, "help.text")
    if person.is_supervisor:
        text += "\n\n" + translate(person.language, "help.supervisor")
    return text
