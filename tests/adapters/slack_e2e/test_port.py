"""The Slack port against the fake Web API: DMs opened once, exact payloads, and every failure translated right."""

from __future__ import annotations

import pytest

from adapters.slack.port import SlackChatPort
from bot.messages import Address, Card, Heading, OutboundMessage, SentRef, Text
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.db import Database
from storage.platform_repository import PlatformRepository
from tests.fakes.slack_api import fake_slack

CARD = Card("pulse", "Pulssi odottaa", (Heading("Pulssi"), Text("Kolme kysymystä <3 & kiitos")))


def to_person(user: str = "U1") -> OutboundMessage:
    return OutboundMessage(Address(Platform.SLACK, user_id=user, workspace="T1"), card=CARD)


async def test_a_dm_is_opened_once_and_the_card_posted_as_block_kit(db: Database) -> None:
    async with fake_slack() as slack:
        port = SlackChatPort.connect("xoxb-test", slack.url, PlatformRepository(db))
        first = await port.send(to_person())
        second = await port.send(to_person())
        assert [c.method for c in slack.calls] == ["conversations.open", "chat.postMessage", "chat.postMessage"]
        post = slack.called("chat.postMessage")[0]
        assert post.token == "xoxb-test" and post.body["channel"] == "D1"
        assert post.body["text"] == "Pulssi odottaa"
        assert post.body["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "Pulssi", "emoji": True},
        }
        assert post.body["blocks"][1]["text"]["text"] == "Kolme kysymystä &lt;3 &amp; kiitos"
        assert first == SentRef(Platform.SLACK, "D1", "1700000000.000002", "T1") and first != second

        # A new process (a restart, another replica) finds the DM in the database: no second conversations.open.
        again = SlackChatPort.connect("xoxb-test", slack.url, PlatformRepository(db))
        await again.send(to_person())
        assert len(slack.called("conversations.open")) == 1


async def test_an_update_replaces_the_message_in_place(db: Database) -> None:
    async with fake_slack() as slack:
        port = SlackChatPort.connect("xoxb-test", slack.url, PlatformRepository(db))
        await port.update(SentRef(Platform.SLACK, "D1", "1700000000.000001"), to_person())
        (update,) = slack.called("chat.update")
        assert (update.body["channel"], update.body["ts"], update.body["text"]) == (
            "D1",
            "1700000000.000001",
            "Pulssi odottaa",
        )


@pytest.mark.parametrize(
    ("status", "error", "permanent", "reason"),
    [
        (200, "user_not_found", True, "person not found in Slack"),
        (200, "channel_not_found", True, "channel not found"),
        (200, "not_in_channel", True, "the app is not in the channel"),
        (200, "account_inactive", True, "the person's Slack account is deactivated"),
        (200, "invalid_auth", True, "the app is not installed (invalid token)"),
        (500, "", False, "Slack error (500)"),
        (503, "", False, "Slack error (503)"),
    ],
)
async def test_slacks_failures_are_permanent_or_worth_a_retry(
    db: Database, status: int, error: str, permanent: bool, reason: str
) -> None:
    async with fake_slack() as slack:
        port = SlackChatPort.connect("xoxb-test", slack.url, PlatformRepository(db))
        slack.fail("chat.postMessage", status=status, error=error)
        with pytest.raises(DeliveryError) as raised:
            await port.send(OutboundMessage(Address(Platform.SLACK, channel_id="C1"), text="Hei"))
        assert (raised.value.permanent, raised.value.reason) == (permanent, reason)


async def test_a_429_carries_slacks_retry_after(db: Database) -> None:
    async with fake_slack() as slack:
        port = SlackChatPort.connect("xoxb-test", slack.url, PlatformRepository(db))
        slack.fail("chat.postMessage", status=429, retry_after=7)
        with pytest.raises(DeliveryError) as raised:
            await port.send(OutboundMessage(Address(Platform.SLACK, channel_id="C1"), text="Hei"))
        assert (raised.value.permanent, raised.value.retry_after) == (False, 7.0)
        assert len(slack.called("chat.postMessage")) == 1  # the SDK did not retry by itself: the outbox will
        await port.send(OutboundMessage(Address(Platform.SLACK, channel_id="C1"), text="Hei"))
