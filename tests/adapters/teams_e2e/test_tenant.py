"""Every conversation the bot creates in Teams names its tenant: the person's, their team's install's, or the bot's."""

from __future__ import annotations

from dataclasses import replace

import pytest
from botbuilder.schema import ChannelAccount, ConversationParameters
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest.exceptions import HttpOperationError

from adapters.teams.port import NO_TENANT, TeamsChatPort
from adapters.teams.settings import TeamsSettings
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform
from bot.ports import DeliveryError
from storage.models import MemberIdentityRow
from storage.platform_repository import PlatformRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import CREATE, account
from tests.fakes.bf_connector import NO_TENANT as REFUSED

OTHER_TENANT = "0b7c1e2d-3f4a-4b5c-8d6e-9f0a1b2c3d4e"


def port(tenant: Tenant, fallback: str = "") -> TeamsChatPort:
    settings = TeamsSettings.from_env({"TEAMS_SERVICE_URL": tenant.connector.url})
    return TeamsChatPort.connect(replace(settings, tenant_id=fallback), PlatformRepository(tenant.demo.db))


def to(user_id: str, workspace: str = "") -> OutboundMessage:
    """A message as the outbox queues it for a member whose Teams id came from the org file: no tenant."""
    return OutboundMessage(Address(Platform.TEAMS, user_id=user_id, workspace=workspace), text="Hei")


def tenants_of_creates(tenant: Tenant) -> list[tuple[str, str]]:
    return [(r.body["channelData"]["tenant"]["id"], r.body["tenantId"]) for r in tenant.connector.of(CREATE)]


async def test_the_fake_refuses_a_conversation_without_a_tenant_as_teams_does(tenant: Tenant) -> None:
    client = ConnectorClient(MicrosoftAppCredentials.empty(), base_url=tenant.connector.url)
    parameters = ConversationParameters(is_group=False, members=[ChannelAccount(id="29:1abc")])
    with pytest.raises(HttpOperationError) as refused:
        await client.conversations.create_conversation(parameters)
    assert refused.value.response.status_code == 400
    assert refused.value.response.json()["error"] == {"code": "BadSyntax", "message": REFUSED}
    await client.__aexit__(None, None, None)


async def test_a_person_in_an_installed_team_is_reached_in_the_installs_tenant(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    tenant.connector.roster[make.TEAM_ID] = [account(teams_id(anna), "Anna Korhonen")]
    await tenant.post(make.installation_add(tenant.connector.url, teams_id(anna), "Etäpalvelut"))
    tenant.connector.requests.clear()

    bot = port(tenant)  # no MICROSOFT_APP_TENANT_ID: a multi-tenant bot
    await bot.send(to(teams_id(anna)))
    assert tenants_of_creates(tenant) == [(make.TENANT, make.TENANT)]
    assert "tenantID" not in tenant.connector.of(CREATE)[0].body  # the SDK's spelling; the REST schema's is tenantId
    await bot.close()


async def test_the_tenant_stored_with_the_identity_comes_first(tenant: Tenant) -> None:
    juha = tenant.demo.person("Juha")
    with tenant.demo.db.transaction() as session:
        session.add(MemberIdentityRow(member_id=juha.id, platform="teams", workspace=OTHER_TENANT, user_id="29:juha"))
    bot = port(tenant, fallback=make.TENANT)
    await bot.send(to("29:juha"))
    assert tenants_of_creates(tenant) == [(OTHER_TENANT, OTHER_TENANT)]
    await bot.close()


async def test_without_a_known_tenant_the_bots_own_is_used(tenant: Tenant) -> None:
    bot = port(tenant, fallback=OTHER_TENANT)
    await bot.send(to(teams_id(tenant.demo.person("Anna"))))
    assert tenants_of_creates(tenant) == [(OTHER_TENANT, OTHER_TENANT)]
    await bot.close()


async def test_with_no_tenant_anywhere_nothing_is_sent_and_the_reason_says_what_to_set(tenant: Tenant) -> None:
    bot = port(tenant)
    with pytest.raises(DeliveryError) as failed:
        await bot.send(to(teams_id(tenant.demo.person("Anna"))))
    assert failed.value.permanent and failed.value.reason == NO_TENANT
    assert tenant.connector.of(CREATE) == []
    await bot.close()


async def test_a_channel_post_carries_the_tenant_of_the_teams_install(tenant: Tenant) -> None:
    tenant.connector.roster[make.TEAM_ID] = []
    await tenant.post(make.installation_add(tenant.connector.url, "29:installer", "Etäpalvelut"))
    tenant.connector.requests.clear()
    bot = port(tenant)
    await bot.send(OutboundMessage(Address(Platform.TEAMS, channel_id=make.TEAM_ID), text="Hei kaikki"))
    assert tenants_of_creates(tenant) == [(make.TENANT, make.TENANT)]
    await bot.close()
