"""Teams' message action "Share as a success" over HTTP: the message's writer is named and counted, the sharer too."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.organisation import Member
from storage.success_repository import SuccessRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import MEMBER

ANNA_AAD = "6f0e1d2c-3b4a-4958-8a7b-6c5d4e3f2a1b"
HTML = "<p>Joulukuun vuorolista valmis <b>jo nyt</b>!</p>"
TEXT = "Joulukuun vuorolista valmis jo nyt!"


async def linked(tenant: Tenant) -> tuple[Member, Member, int]:
    """Kotihoito installed in Teams, its roster listing Pirjo and Anna (with her Azure AD object id)."""
    demo, url = tenant.demo, tenant.connector.url
    pirjo, anna = demo.person("Pirjo"), demo.person("Anna")
    tenant.connector.roster[make.TEAM_ID] = [
        {"id": teams_id(pirjo), "name": pirjo.name, "aadObjectId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
        {"id": teams_id(anna), "name": anna.name, "aadObjectId": ANNA_AAD, "userPrincipalName": "anna@example.fi"},
    ]
    await tenant.post(make.installation_add(url, teams_id(pirjo), "Kotihoito"))
    return pirjo, anna, demo.team("kotihoito").id


def celebration_facts(tenant: Tenant) -> list[tuple[str, str]]:
    in_channel = [activity for channel, activity in tenant.connector.posted() if channel == make.TEAM_ID]
    (celebration,) = in_channel[1:]  # after the install's welcome
    body = celebration["attachments"][0]["content"]["body"]
    assert body[1]["text"] == TEXT
    return [
        (fact["title"], fact["value"]) for element in body if element["type"] == "FactSet" for fact in element["facts"]
    ]


def saved(tenant: Tenant, team_id: int) -> Any:
    (success,) = [s for s in SuccessRepository(tenant.demo.db).for_team(team_id) if s.text == TEXT]
    return success


async def test_the_writer_found_by_azure_ad_object_id_is_named_and_credited(tenant: Tenant) -> None:
    pirjo, anna, team_id = await linked(tenant)
    written_by = make.written_by_person(ANNA_AAD, "Anna Korhonen (Kotihoito)")  # Teams' display name, not ours
    status, body = await tenant.post(
        make.share_success(tenant.connector.url, teams_id(pirjo), HTML, written_by=written_by)
    )
    assert (status, body) == (200, "")

    assert celebration_facts(tenant) == [("Kirjoitti", "Anna Korhonen"), ("Jakoi", "Pirjo Mäkelä")]
    assert saved(tenant, team_id).author_id == anna.id  # counted as Anna's, as on Slack
    (lookup,) = tenant.connector.of(MEMBER)
    assert lookup.conversation == make.TEAM_ID  # the team's roster, by the id Teams gave
    # Anna hears her message was shared (and may tie it to the plan); Pirjo is thanked.
    to_anna = [a for c, a in tenant.connector.posted() if c == f"a:{teams_id(anna)}"]
    assert any(a.get("text") == "Pirjo Mäkelä jakoi viestisi onnistumisena tiimin kanavalle." for a in to_anna)


async def test_a_writer_outside_the_team_is_named_by_the_name_teams_gives(tenant: Tenant) -> None:
    pirjo, _, team_id = await linked(tenant)
    written_by = make.written_by_person("0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b", "Maija Vierailija")
    await tenant.post(make.share_success(tenant.connector.url, teams_id(pirjo), HTML, written_by=written_by))

    assert celebration_facts(tenant) == [("Kirjoitti", "Maija Vierailija"), ("Jakoi", "Pirjo Mäkelä")]
    assert saved(tenant, team_id).author_id == pirjo.id  # no member to count it for: the sharer's


async def test_a_message_a_bot_wrote_is_shared_with_the_bots_name(tenant: Tenant) -> None:
    pirjo, _, team_id = await linked(tenant)
    written_by = make.written_by_bot("Vuorolistarobotti")
    await tenant.post(make.share_success(tenant.connector.url, teams_id(pirjo), HTML, written_by=written_by))

    assert celebration_facts(tenant) == [("Kirjoitti", "Vuorolistarobotti"), ("Jakoi", "Pirjo Mäkelä")]
    assert saved(tenant, team_id).author_id == pirjo.id
    assert tenant.connector.of(MEMBER) == []  # a bot has no roster entry to look up


async def test_when_the_roster_cannot_be_read_the_writer_is_still_named(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    pirjo, _, team_id = await linked(tenant)
    tenant.connector.fail(MEMBER, 403, code="BotNotInConversationRoster")  # the SDK retries a 5xx by itself
    written_by = make.written_by_person(ANNA_AAD, "Anna Korhonen")
    await tenant.post(make.share_success(tenant.connector.url, teams_id(pirjo), HTML, written_by=written_by))

    assert celebration_facts(tenant) == [("Kirjoitti", "Anna Korhonen"), ("Jakoi", "Pirjo Mäkelä")]
    assert saved(tenant, team_id).author_id == pirjo.id
    assert "writer not found in the roster: ErrorResponseException" in caplog.text
    assert "Anna" not in caplog.text and ANNA_AAD not in caplog.text  # neither a name nor an id is logged
