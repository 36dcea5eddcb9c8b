"""The Teams port against the fake connector: 1:1 chats created once, new channel posts, exact activities, failures."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from adapters.teams.port import TeamsChatPort
from adapters.teams.render import render_activity
from adapters.teams.settings import TEAMS_SERVICE_URL, TeamsSettings
from bot.messages import Address, Button, Buttons, Card, Choice, Heading, OutboundMessage, Question, SentRef, Text
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.db import Database
from storage.platform_repository import PERSON, PlatformRepository, StoredConversation
from tests.fakes.bf_connector import CREATE, SEND, UPDATE, FakeConnector, fake_connector

TENANT = "tenant-1"
PERSON_ID = "29:1abc"
CHANNEL_ID = "19:general@thread.tacv2"
CARD = Card(
    "pulse",
    "Pulssi odottaa",
    (
        Heading("Pulssi"),
        Text("Kolme kysymystä <3 & *kiitos*"),
        Question("q1", "Miten menee?", "pulse.answer", (Choice("Hyvin", "5"), Choice("Huonosti", "1"))),
        Buttons((Button("pulse.skip", "Ohita", "r1"),)),
    ),
)


def to_person(user: str = PERSON_ID) -> OutboundMessage:
    return OutboundMessage(Address(Platform.TEAMS, user_id=user, workspace=TENANT), card=CARD)


def to_channel(channel: str = CHANNEL_ID) -> OutboundMessage:
    return OutboundMessage(Address(Platform.TEAMS, channel_id=channel, workspace=TENANT), card=CARD)


def port_for(connector: FakeConnector, db: Database) -> TeamsChatPort:
    return TeamsChatPort.connect(TeamsSettings.from_env({"TEAMS_SERVICE_URL": connector.url}), PlatformRepository(db))


async def test_a_first_message_creates_the_1_1_chat_once_and_later_ones_reuse_it(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        first = await port.send(to_person())
        second = await port.send(to_person())

        assert [request.kind for request in connector.requests] == [CREATE, SEND, SEND]
        assert connector.conversations_created == [
            {
                "isGroup": False,
                "members": [{"id": PERSON_ID}],
                "channelData": {"tenant": {"id": TENANT}},
                "tenantId": TENANT,
            }
        ]
        assert connector.sent == [("a:29:1abc", render_activity(to_person()))] * 2
        assert connector.sent[0][1]["summary"] == "Pulssi odottaa"
        assert connector.sent[0][1]["attachments"][0]["content"]["body"][1]["text"] == "Kolme kysymystä <3 & **kiitos**"
        assert first == SentRef(Platform.TEAMS, "a:29:1abc", "1700000000002", TENANT) and first != second
        assert {request.authorization for request in connector.requests} == {""}  # no app id: anonymous
        stored = PlatformRepository(db).conversation("teams", TENANT, PERSON, PERSON_ID)
        assert stored == StoredConversation("a:29:1abc", connector.url)

        # A new process (a restart, another replica) finds the chat in the database: no second create.
        again = port_for(connector, db)
        await again.send(to_person())
        assert len(connector.of(CREATE)) == 1 and len(connector.sent) == 3
        await port.close()
        await again.close()


async def test_a_stored_reference_is_used_with_its_own_service_url(db: Database) -> None:
    async with fake_connector() as connector, fake_connector() as elsewhere:
        # The inbound side stored the person's chat with the serviceUrl Teams gave: sends go there (P4).
        repository = PlatformRepository(db)
        reference = StoredConversation("a:stored", elsewhere.url, '{"serviceUrl": "x"}')
        repository.save_conversation("teams", TENANT, PERSON, PERSON_ID, reference, datetime.now(UTC))
        port = port_for(connector, db)
        ref = await port.send(to_person())
        await port.update(ref, to_person())
        assert connector.requests == []
        assert [request.kind for request in elsewhere.requests] == [SEND, UPDATE]
        assert elsewhere.sent == [("a:stored", render_activity(to_person()))]
        await port.close()


async def test_a_channel_post_is_a_new_top_level_message_not_a_reply(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        # An address that still carries an old thread's suffix must not post into that thread.
        ref = await port.send(to_channel(CHANNEL_ID + ";messageid=1699999999999"))
        assert connector.sent == []
        assert connector.conversations_created == [
            {
                "isGroup": True,
                "activity": render_activity(to_channel()),
                "channelData": {"channel": {"id": CHANNEL_ID}, "tenant": {"id": TENANT}},
                "tenantId": TENANT,
            }
        ]
        assert ref == SentRef(Platform.TEAMS, CHANNEL_ID + ";messageid=1700000000001", "1700000000001", TENANT)
        assert connector.posted() == [(CHANNEL_ID, render_activity(to_channel()))]
        await port.close()


async def test_a_group_chat_has_no_threads_so_the_message_goes_straight_in(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        chat = "19:abc@thread.v2"
        message = OutboundMessage(Address(Platform.TEAMS, channel_id=chat, workspace=TENANT), text="Hei *kaikki*")
        ref = await port.send(message)
        assert connector.conversations_created == []
        assert connector.sent == [(chat, {"type": "message", "text": "Hei **kaikki**", "textFormat": "markdown"})]
        assert ref == SentRef(Platform.TEAMS, chat, "1700000000001", TENANT)
        await port.close()


async def test_an_update_puts_the_new_card_in_place(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        ref = await port.send(to_channel())
        answered = Question("q1", "Miten menee?", "pulse.answer", (Choice("Hyvin", "5"),), selected="5")
        redrawn = OutboundMessage(to_channel().to, card=Card("pulse", "Kiitos vastauksesta", (answered,)))
        await port.update(ref, redrawn)

        (update,) = connector.updated
        assert update == (ref.channel_id, ref.message_id, {**render_activity(redrawn), "id": ref.message_id})
        card = update[2]["attachments"][0]["content"]
        assert card["body"][1]["actions"][0]["title"] == "✓ Hyvin"
        await port.close()


async def test_a_429_carries_the_connectors_retry_after_and_is_not_retried_by_the_sdk(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        await port.send(to_person())
        connector.fail(SEND, 429, retry_after=7)
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_person())
        assert (raised.value.permanent, raised.value.retry_after, raised.value.reason) == (
            False,
            7.0,
            "rate limited (429)",
        )
        assert len(connector.of(SEND)) == 2  # the SDK did not retry by itself: the outbox will
        await port.send(to_person())
        assert len(connector.sent) == 2
        await port.close()


async def test_a_429_without_retry_after_waits_a_second_as_a_slack_429_does(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        connector.fail(SEND, 429)
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_person())
        # The outbox reads a wait as "rate limited": it pauses the tenant rather than trying the next person.
        assert (raised.value.permanent, raised.value.retry_after) == (False, 1.0)
        await port.close()


async def test_a_retry_after_given_as_a_date_becomes_seconds(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        connector.fail(CREATE, 503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")  # long past: no wait at all
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_channel())
        assert (raised.value.permanent, raised.value.retry_after) == (False, 0.0)
        await port.close()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (412, "precondition failed (412)"),
        (502, "Teams error (502)"),
        (503, "Teams error (503)"),
        (504, "Teams error (504)"),
    ],
)
async def test_busy_and_gateway_errors_are_worth_a_retry(db: Database, status: int, reason: str) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        connector.fail(CREATE, status)
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_channel())
        assert (raised.value.permanent, raised.value.reason, raised.value.retry_after) == (False, reason, None)
        assert len(connector.of(CREATE)) == 1
        await port.close()


async def test_an_update_that_fails_is_tried_once(db: Database) -> None:
    # urllib3 would retry a PUT on 503 by itself; the port switches that off, like every other retry.
    async with fake_connector() as connector:
        port = port_for(connector, db)
        connector.fail(UPDATE, 503, retry_after=3)
        with pytest.raises(DeliveryError) as raised:
            await port.update(SentRef(Platform.TEAMS, "a:29:1abc", "17", TENANT), to_person())
        assert (raised.value.permanent, raised.value.retry_after) == (False, 3.0)
        assert len(connector.of(UPDATE)) == 1 and connector.updated == []
        await port.close()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("ConversationBlockedByUser", "the person blocked the bot"),
        ("BotDisabledByAdmin", "the bot is disabled by the tenant admin"),
        ("Forbidden", "the person blocked the bot or the app was removed"),
    ],
)
async def test_a_403_is_permanent_with_the_reason(db: Database, code: str, reason: str) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        connector.fail(CREATE, 403, code=code)
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_person())
        assert (raised.value.permanent, raised.value.reason) == (True, reason)
        assert connector.sent == [] and PlatformRepository(db).conversation("teams", TENANT, PERSON, PERSON_ID) is None
        await port.close()


async def test_a_lost_chat_is_permanent_and_forgotten_so_the_next_message_creates_a_new_one(db: Database) -> None:
    async with fake_connector() as connector:
        port = port_for(connector, db)
        await port.send(to_person())
        connector.fail(SEND, 404)
        with pytest.raises(DeliveryError) as raised:
            await port.send(to_person())
        assert (raised.value.permanent, raised.value.reason) == (True, "conversation not found (404)")
        await port.send(to_person())
        assert [request.kind for request in connector.requests] == [CREATE, SEND, SEND, CREATE, SEND]
        await port.close()


async def test_an_unreachable_connector_is_a_network_error_worth_a_retry(db: Database) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    port = TeamsChatPort.connect(TeamsSettings.from_env({"TEAMS_SERVICE_URL": url}), PlatformRepository(db))
    with pytest.raises(DeliveryError) as raised:
        await port.send(to_channel())
    assert raised.value.permanent is False and raised.value.reason.startswith("network: ")
    await port.close()


class FixedToken(MicrosoftAppCredentials):  # type: ignore[misc]  # the SDK is untyped
    """The app's credentials with the token already in hand: Entra ID is not the thing under test."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "test-token"


async def test_with_an_app_id_the_bot_is_named_and_its_token_sent(db: Database) -> None:
    async with fake_connector() as connector:
        credentials = FixedToken("app-1", "secret")
        port = TeamsChatPort(credentials, PlatformRepository(db), service_url=connector.url, app_id="app-1")
        await port.send(to_person())
        assert connector.conversations_created[0]["bot"] == {"id": "28:app-1"}
        assert {request.authorization for request in connector.requests} == {"Bearer test-token"}
        await port.close()


async def test_the_fake_serves_the_roster_in_pages_as_teams_does(db: Database) -> None:
    async with fake_connector() as connector:
        connector.roster["19:team@thread.tacv2"] = [{"id": f"29:{n}", "name": f"Person {n}"} for n in range(120)]
        client = ConnectorClient(MicrosoftAppCredentials.empty(), base_url=connector.url)
        pages: list[list[str]] = []
        token: Any = None
        while True:  # a page size under 50 counts as 50 (msteams-docs get-teams-context)
            page = await client.conversations.get_conversation_paged_members("19:team@thread.tacv2", 10, token)
            pages.append([member.id for member in page.members])
            token = page.continuation_token
            if not token:
                break
        assert [len(page) for page in pages] == [50, 50, 20]
        assert pages[0][0] == "29:0" and pages[-1][-1] == "29:119"
        await client.__aexit__(None, None, None)


def test_settings_read_the_environment() -> None:
    assert TeamsSettings.from_env({}) == TeamsSettings()
    assert not TeamsSettings.from_env({}).configured
    assert TeamsSettings.from_env({}).service_url == TEAMS_SERVICE_URL
    local = TeamsSettings.from_env({"TEAMS_SERVICE_URL": "http://127.0.0.1:3978"})
    assert local.configured and local.service_url == "http://127.0.0.1:3978/" and not local.app_id
    cloud = TeamsSettings.from_env(
        {"MICROSOFT_APP_ID": " app-1 ", "MICROSOFT_APP_PASSWORD": "pw", "MICROSOFT_APP_TENANT_ID": "t"}
    )
    assert cloud.configured and (cloud.app_id, cloud.app_password, cloud.tenant_id) == ("app-1", "pw", "t")
    assert cloud.service_url == TEAMS_SERVICE_URL
