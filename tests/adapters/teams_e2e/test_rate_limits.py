"""Teams' connector answering 429: a redrawn card is redrawn after Retry-After (never stored), and a success
shared meanwhile reaches the team's channel once, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from storage.org_repository import OrganisationRepository
from storage.outbox_models import OutboxRow
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.bot.flows.conftest import START, Clock
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import CREATE, SEND, UPDATE
from tests.fakes.http_date import http_date


@pytest.mark.parametrize("retry_after", ["2", "date"])
async def test_a_card_redrawn_during_a_429_is_redrawn_after_retry_after_and_never_stored(
    tenant: Tenant, retry_after: str
) -> None:
    demo, connector = tenant.demo, tenant.connector
    directory = OrganisationRepository(demo.db)
    organisation = directory.get()
    assert organisation is not None
    anna = demo.person("Anna")
    _, reply = PulseRounds(directory, PulseRepository(demo.db), PlanRepository(demo.db)).open_round(
        organisation, organisation.teams, START + timedelta(days=7), START
    )
    sent = await tenant.port.send(next(m for m in reply.messages if m.member_id == anna.id))
    body = connector.sent[-1][1]["attachments"][0]["content"]["body"]
    button = next(a for element in body for a in element.get("actions", ()) if a["type"] == "Action.Submit")
    connector.fail(UPDATE, 429, retry_after=http_date(2) if retry_after == "date" else 2)

    status, _ = await tenant.post(
        make.card_submit(connector.url, teams_id(anna), button["data"], reply_to=sent.message_id)
    )
    assert status == 200
    assert len(connector.of(UPDATE)) == 2 and len(connector.updated) == 1  # the 429, then the redraw
    (waited,) = tenant.waits
    assert waited == 2.0 if retry_after == "2" else 0.0 <= waited <= 2.0
    with demo.db.transaction() as session:  # the draft stayed in memory
        assert session.execute(select(func.count()).select_from(OutboxRow)).scalar_one() == 0


async def test_a_success_shared_during_a_429_reaches_the_channel_once_after_retry_after(
    tenant: Tenant, clock: Clock
) -> None:
    connector, url = tenant.connector, tenant.connector.url
    pirjo = tenant.demo.person("Pirjo")
    connector.roster[make.TEAM_ID] = [{"id": teams_id(pirjo), "name": pirjo.name}]
    await tenant.post(make.installation_add(url, teams_id(pirjo), "Kotihoito"))  # Kotihoito's channel is linked
    greeted = len(connector.conversations_created)  # the install's welcome is in the channel first
    connector.fail(CREATE, 429, times=2, retry_after=http_date(3))
    connector.fail(SEND, 429, retry_after="3")

    status, _ = await tenant.post(make.share_success(url, teams_id(pirjo), "<p>Vuorolista valmis!</p>"))
    assert status == 200
    assert [channel for channel, _ in connector.posted() if channel == make.TEAM_ID] != []  # tried, answered 429
    for _ in range(10):  # the test's clock runs on a second at a time until the outbox is empty
        if tenant.outbox.depth() == 0:
            break
        clock.advance(seconds=1)
        await tenant.worker.drain()

    accepted = [c for c in connector.conversations_created[greeted:] if c.get("isGroup")]
    assert len(accepted) == 1  # the celebration, once
    ((_, receipt),) = connector.sent[-1:]
    assert receipt["attachments"][0]["content"]["body"][0]["text"] == translate("fi", "success.shared")
    assert tenant.outbox.depth() == 0 and tenant.outbox.undeliverable_by_recipient() == []
