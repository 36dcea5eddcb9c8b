"""When a round closes, the cards left unsent in the chats of those who did not answer become neutral closed cards."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.server.jobs_wiring import job_runtime
from adapters.server.runtime import BotRuntime
from bot.events import ActionSubmitted, Sender
from bot.i18n import translate
from bot.messages import Buttons, Select, SentRef
from bot.organisation import Member, Platform
from bot.person import person_for
from scheduler import jobs
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat

OPENS = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 in Helsinki: the demo's pulse round is due


async def test_a_closed_rounds_unsent_cards_become_closed_cards_and_the_thank_you_stays(
    demo: Demo, clock: Clock
) -> None:
    clock.now = OPENS
    runtime = BotRuntime(demo.db, clock=clock, schedule=False)
    jobs.install(job_runtime(demo.db, clock, runtime.outbox.enqueue))
    anna, timo = demo.person("Anna"), demo.person("Timo")

    def entries(member: Member) -> list:  # type: ignore[type-arg]
        return [e for e in runtime.inbox.messages(f"dm-{member.id}") if e.message.card is not None]

    try:
        assert await asyncio.to_thread(jobs.execute, "pulse_round:2026-11-30", "pulse_round", 0, False)
        await asyncio.to_thread(jobs.execute_housekeeping)  # what it sends anyway (an overdue follow-up's note)
        await runtime.worker.drain()
        clock.advance(days=3)
        assert await asyncio.to_thread(jobs.execute, "pulse_reminder:2026-11-30", "pulse_reminder", 0, False)
        await runtime.worker.drain()
        assert [e.message.card.kind for e in entries(timo)] == ["pulse", "pulse_reminder"]

        # Anna sends her answers on her first card: the thank-you takes its place.
        card = entries(anna)[0]
        send = next(b for block in card.message.card.blocks if isinstance(block, Buttons) for b in block.buttons)
        source = SentRef(Platform.WEB, f"dm-{anna.id}", card.message_id)
        address = person_for(anna, demo.org).address
        sender = Sender(address.platform, address.user_id, address.workspace)
        form = {f"q{n}": "4" for n in range(1, 6)}
        reply = runtime.conversation.handle(ActionSubmitted(sender, send.action, send.value, source, form))
        for message in reply.messages:
            assert message.replaces is not None
            await runtime.inbox.update(message.replaces, message)
        thanks = [e.message.card.kind for e in entries(anna)]
        assert "pulse_thanks" in thanks

        clock.advance(days=3, hours=23, minutes=59)  # a minute before the close: the cards still stand
        assert await asyncio.to_thread(jobs.execute_housekeeping) == 0
        clock.advance(minutes=2)
        assert await asyncio.to_thread(jobs.execute_housekeeping) > 0
        await runtime.worker.drain()
        assert await asyncio.to_thread(jobs.execute_housekeeping) == 0  # each card closed once, however often
    finally:
        jobs.install(None)

    closed = translate("fi", "pulse.card_closed")
    for entry in entries(timo):  # the first card and the reminder alike
        card = entry.message.card
        assert card.kind == "pulse_ended" and card.fallback_text == closed
        assert not [block for block in card.blocks if isinstance(block, Select | Buttons)]  # nothing to pick or send
    assert [e.message.card.kind for e in entries(anna)] == thanks  # the thank-you is left as it was


def test_a_round_opened_before_summer_time_ends_closes_at_nine_on_the_card(chat: FakeChat, demo: Demo) -> None:
    from adapters.server.jobs_wiring import JobHandlers
    from scheduler.planner import JobKind

    # Sunday 18.10.2026 at 9.00 in Helsinki; summer time ends before the round does, on Sunday 25.10. at 4.00.
    opened = datetime(2026, 10, 18, 6, 0, tzinfo=UTC)
    chat.deliver(JobHandlers(demo.db)(JobKind.PULSE_ROUND, 0, False, opened))
    assert "25.10.2026 klo 9.00" in chat.last_card(demo.person("Anna")).text
