"""While the database is away, a person who pressed a button or wrote to the bot is told to try again in a moment,
in their language, where they are: finding their DM would need the database."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy.exc import OperationalError

from adapters.common.interactions import Interactions
from bot.events import ActionSubmitted, CommandText, InboundEvent, Sender
from bot.i18n import translate
from bot.messages import OutboundMessage, Reply, SentRef
from bot.organisation import Platform

ANNA = Sender(Platform.SLACK, "U1", "T1", locale="sv-SE")


class DatabaseAway:
    """The core as it is while PostgreSQL is unreachable."""

    def handle(self, event: InboundEvent) -> Reply:
        raise OperationalError("SELECT", {}, Exception("connection refused"))


class RecordingPort:
    platform = Platform.SLACK

    def __init__(self, database_needed: bool = False) -> None:
        self.sent: list[OutboundMessage] = []
        self.database_needed = database_needed

    async def send(self, message: OutboundMessage) -> SentRef:
        if self.database_needed and not message.to.channel_id:  # a DM channel would be looked up
            raise OperationalError("SELECT conversation", {}, Exception("connection refused"))
        self.sent.append(message)
        return SentRef(Platform.SLACK, message.to.channel_id or "D?", "1")

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        self.sent.append(message)


async def test_a_button_press_is_answered_in_the_conversation_it_came_from() -> None:
    port = RecordingPort(database_needed=True)
    interactions = Interactions(DatabaseAway(), lambda: {Platform.SLACK: port})  # type: ignore[arg-type]
    pressed = ActionSubmitted(ANNA, "pulse.send", "7:44444", source=SentRef(Platform.SLACK, "D1", "1700.1", "T1"))
    await interactions.handle(pressed)
    (told,) = port.sent
    assert (told.to.channel_id, told.to.user_id) == ("D1", "U1")
    assert told.text == translate("sv", "interaction.try_again")


async def test_a_reply_that_needs_the_database_is_dropped_quietly_not_raised() -> None:
    port = RecordingPort(database_needed=True)
    interactions = Interactions(DatabaseAway(), lambda: {Platform.SLACK: port})  # type: ignore[arg-type]
    in_a_channel = CommandText(ANNA, "pulssi", channel_id="C1", is_direct=False)
    await interactions.handle(in_a_channel)  # nowhere to answer without the database: no traceback either
    assert port.sent == []


class HeldCore:
    """A core whose handling of an event lasts until the test lets it go."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def handle(self, event: InboundEvent) -> Reply:
        self.started.set()
        self.release.wait(timeout=10)
        return Reply()


async def test_an_adapters_database_work_takes_its_turn_with_the_cores() -> None:
    core = HeldCore()
    interactions = Interactions(core, lambda: {})  # type: ignore[arg-type]
    pressed = ActionSubmitted(ANNA, "pulse.send", "7:44444")
    handling = asyncio.create_task(interactions.handle(pressed))
    await asyncio.to_thread(core.started.wait, 10)
    ran: list[str] = []
    checking = asyncio.create_task(interactions.in_turn(lambda: ran.append("seen before?") or True))
    await asyncio.sleep(0.2)  # time enough for a thread of its own to have run it
    assert ran == [] and not checking.done()
    core.release.set()
    assert await checking is True and ran == ["seen before?"]
    await handling
