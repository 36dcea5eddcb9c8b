"""The app added to a team greets the team in its General channel, once, in the organisation's language."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage.models import OrganisationRow
from storage.outbox_models import OutboxRow
from tests.adapters.teams_e2e.conftest import Tenant
from tests.bot.flows.conftest import Clock
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import CREATE, account


def channel_posts(tenant: Tenant) -> list[str]:
    """The texts Teams took as new top-level posts in the team's General channel."""
    posts = []
    for body in tenant.connector.conversations_created:
        if body.get("channelData", {}).get("channel", {}).get("id") == make.TEAM_ID:
            blocks = body["activity"]["attachments"][0]["content"]["body"]
            posts.append("\n".join(block.get("text", "") for block in blocks))
    return posts


def queued_keys(tenant: Tenant) -> list[str]:
    with tenant.demo.db.transaction() as session:
        return list(session.scalars(select(OutboxRow.key).order_by(OutboxRow.id)))


async def install(tenant: Tenant, name: str = "Etäpalvelut") -> None:
    tenant.connector.roster[make.TEAM_ID] = [account("29:new-1", "Uusi Tulokas")]
    url = tenant.connector.url
    # Teams sends both for one install; the team is greeted once.
    assert (await tenant.post(make.bot_added_to_team(url, "29:new-1", name)))[0] == 200
    assert (await tenant.post(make.installation_add(url, "29:new-1", name)))[0] == 200


async def test_an_install_greets_the_team_once_in_its_general_channel(tenant: Tenant, clock: Clock) -> None:
    await install(tenant)  # each post waits for the outbox to send what is due, as the server's workers do
    (key,) = queued_keys(tenant)  # through the outbox, so a 429 cannot lose it
    assert key.startswith("welcome:teams:")

    (welcome,) = channel_posts(tenant)
    assert "Etäpalvelut" in welcome and "”apua”" in welcome
    assert "nimettömiä" in welcome and "vähintään 5" in welcome  # the anonymity promise, with the threshold
    (create,) = tenant.connector.of(CREATE)
    assert create.body["channelData"]["tenant"] == {"id": make.TENANT}

    await install(tenant)  # added again (or a replica saw it too): no second greeting
    assert await tenant.worker.drain() == 0 and len(channel_posts(tenant)) == 1


async def test_the_greeting_is_in_the_organisations_language(tenant: Tenant, clock: Clock) -> None:
    with tenant.demo.db.transaction() as session:
        session.execute(update(OrganisationRow).values(language="sv"))
    await install(tenant)
    (welcome,) = channel_posts(tenant)
    assert "”hjälp”" in welcome and "anonyma" in welcome


async def test_a_429_delays_the_greeting_and_does_not_lose_it(tenant: Tenant, clock: Clock) -> None:
    tenant.connector.fail(CREATE, 429, retry_after=30)
    await install(tenant)
    assert channel_posts(tenant) == [] and len(tenant.connector.of(CREATE)) == 1  # refused once
    clock.advance(seconds=31)
    await tenant.worker.drain()
    assert len(channel_posts(tenant)) == 1


@pytest.mark.parametrize("conversation_type", ["personal", "groupChat"])
async def test_a_chat_without_a_team_is_not_greeted(tenant: Tenant, clock: Clock, conversation_type: str) -> None:
    activity = make.installation_add(tenant.connector.url, "29:new-1", "")
    chat = "a:29:new-1" if conversation_type == "personal" else "19:abc@thread.v2"
    activity["conversation"] = {"conversationType": conversation_type, "tenantId": make.TENANT, "id": chat}
    activity["channelData"] = {"tenant": {"id": make.TENANT}}
    assert (await tenant.post(activity))[0] == 200
    assert queued_keys(tenant) == []
