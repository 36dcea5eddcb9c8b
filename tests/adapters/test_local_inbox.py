"""The local inbox stores, updates in place, and wakes whoever waits for news."""

from __future__ import annotations

import asyncio

import pytest

from adapters.local_inbox import LocalInbox
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from bot.ports import DeliveryError

ANNA = Address(Platform.WEB, user_id="7")


async def test_send_update_and_wait() -> None:
    inbox = LocalInbox()
    waiter = asyncio.create_task(inbox.wait_for_change(5))
    await asyncio.sleep(0)
    ref = await inbox.send(OutboundMessage(ANNA, text="Hei"))
    assert await waiter
    await inbox.update(ref, OutboundMessage(ANNA, text="Hei taas"))
    [entry] = inbox.messages("dm-7")
    assert entry.message.text == "Hei taas" and entry.version == 2
    assert not await inbox.wait_for_change(0.01)


async def test_updating_a_message_that_is_gone_is_a_permanent_failure() -> None:
    inbox = LocalInbox()
    ref = await inbox.send(OutboundMessage(ANNA, text="x"))
    with pytest.raises(DeliveryError) as raised:
        await inbox.update(type(ref)(ref.platform, "dm-8", ref.message_id), OutboundMessage(ANNA, text="y"))
    assert raised.value.permanent
