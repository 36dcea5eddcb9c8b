"""Installing the app into a Teams team: the team joins the organisation with its channel as home, members follow."""

from __future__ import annotations

import pytest

from bot.organisation import HomeChannel, Platform, Team
from storage.org_repository import OrganisationRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import MEMBERS

NEWCOMERS = [{"id": f"29:new-{n}", "name": f"Uusi Tulokas {n}"} for n in range(55)]


def team_named(tenant: Tenant, name: str) -> Team | None:
    organisation = OrganisationRepository(tenant.demo.db).get()
    assert organisation is not None
    return next((team for team in organisation.teams if team.name == name), None)


def member_names(tenant: Tenant, team: Team) -> set[str]:
    return {member.name for member in OrganisationRepository(tenant.demo.db).members(team.id)}


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    # Teams' smallest roster page is 50: with 56 people the roster comes in two pages, as a big team's does.
    monkeypatch.setattr("adapters.teams.install.ROSTER_PAGE", 50)


@pytest.mark.usefixtures("small_pages")
async def test_an_install_creates_the_team_with_its_channel_and_members_from_the_paged_roster(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    tenant.connector.roster[make.TEAM_ID] = [{"id": teams_id(anna), "name": "Anna Korhonen"}, *NEWCOMERS]
    installer = teams_id(tenant.demo.person("Outi"))
    status, _ = await tenant.post(make.bot_added_to_team(tenant.connector.url, installer, "Etäpalvelut Länsi"))
    assert status == 200

    team = team_named(tenant, "Etäpalvelut Länsi")
    assert team is not None and team.key == "etapalvelut-lansi"
    assert team.home_channels == (HomeChannel(Platform.TEAMS, make.TEAM_ID, make.TENANT),)
    names = member_names(tenant, team)
    assert len(names) == 56 and "Anna Korhonen" in names and "Uusi Tulokas 54" in names
    # Anna is the same person as before: still in her own team too, not a second Anna.
    again = OrganisationRepository(tenant.demo.db).member(anna.id)
    assert again is not None and set(anna.team_ids) < set(again.team_ids)
    pages = tenant.connector.of(MEMBERS)
    assert [(request.conversation, request.query.get("continuationToken")) for request in pages] == [
        (make.TEAM_ID, None),
        (make.TEAM_ID, "50"),
    ]


async def test_the_two_activities_of_one_install_make_one_team(tenant: Tenant) -> None:
    tenant.connector.roster[make.TEAM_ID] = NEWCOMERS[:3]
    installer = teams_id(tenant.demo.person("Outi"))
    url = tenant.connector.url
    await tenant.post(make.bot_added_to_team(url, installer, "Etäpalvelut"))
    await tenant.post(make.installation_add(url, installer, "Etäpalvelut"))
    organisation = OrganisationRepository(tenant.demo.db).get()
    assert organisation is not None
    assert [team.key for team in organisation.teams if team.name == "Etäpalvelut"] == ["etapalvelut"]


async def test_a_team_the_org_file_already_has_is_linked_not_created_again(tenant: Tenant) -> None:
    juha = tenant.demo.person("Juha")
    tenant.connector.roster[make.TEAM_ID] = [{"id": teams_id(juha), "name": "Juha N."}, NEWCOMERS[0]]
    before = team_named(tenant, "Kotihoito")
    assert before is not None and before.home_channel(Platform.TEAMS) is None
    await tenant.post(make.installation_add(tenant.connector.url, teams_id(tenant.demo.person("Pirjo")), "Kotihoito"))

    after = team_named(tenant, "Kotihoito")
    assert after is not None and after.id == before.id
    assert after.home_channel(Platform.TEAMS) == HomeChannel(Platform.TEAMS, make.TEAM_ID, make.TENANT)
    # The roster is the team's membership on Teams now: people with Teams ids who are not in it left the team.
    assert member_names(tenant, after) == {"Juha Nieminen", "Uusi Tulokas 0"}


async def test_members_added_join_and_members_removed_leave_the_team(tenant: Tenant) -> None:
    tenant.connector.roster[make.TEAM_ID] = NEWCOMERS[:2]
    installer = teams_id(tenant.demo.person("Outi"))
    url = tenant.connector.url
    await tenant.post(make.bot_added_to_team(url, installer, "Etäpalvelut"))
    team = team_named(tenant, "Etäpalvelut")
    assert team is not None and member_names(tenant, team) == {"Uusi Tulokas 0", "Uusi Tulokas 1"}

    anna = tenant.demo.person("Anna")
    status, _ = await tenant.post(make.members_added(url, installer, "Etäpalvelut", [teams_id(anna), "29:new-x"]))
    assert status == 200
    # The connector cannot name "29:new-x" (the fake has no single-member lookup): the id stands as the name.
    assert member_names(tenant, team) == {"Uusi Tulokas 0", "Uusi Tulokas 1", "Anna Korhonen", "29:new-x"}

    status, _ = await tenant.post(make.members_removed(url, installer, "Etäpalvelut", [teams_id(anna), "29:new-0"]))
    assert status == 200
    assert member_names(tenant, team) == {"Uusi Tulokas 1", "29:new-x"}
    still = OrganisationRepository(tenant.demo.db).member(anna.id)
    assert still is not None and team.id not in still.team_ids and still.team_ids  # her own team kept her


async def test_members_of_a_team_that_is_not_ours_change_nothing(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    before = OrganisationRepository(tenant.demo.db).member(anna.id)
    activity = make.members_removed(tenant.connector.url, teams_id(anna), "Muu tiimi", [teams_id(anna)])
    status, _ = await tenant.post(activity)
    assert status == 200
    assert OrganisationRepository(tenant.demo.db).member(anna.id) == before


async def test_an_uninstall_is_logged_and_deletes_nothing(tenant: Tenant, caplog: pytest.LogCaptureFixture) -> None:
    tenant.connector.roster[make.TEAM_ID] = NEWCOMERS[:2]
    installer = teams_id(tenant.demo.person("Outi"))
    url = tenant.connector.url
    await tenant.post(make.bot_added_to_team(url, installer, "Etäpalvelut"))
    status, _ = await tenant.post(make.installation_remove(url, installer, "Etäpalvelut"))
    assert status == 200
    team = team_named(tenant, "Etäpalvelut")
    assert team is not None and team.home_channel(Platform.TEAMS) is not None
    assert member_names(tenant, team) == {"Uusi Tulokas 0", "Uusi Tulokas 1"}
    assert "the app was removed" in caplog.text


async def test_an_unreadable_roster_leaves_the_team_without_members_and_says_why(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    # No roster for the team: the fake answers 404, as Teams does when the bot is not in the team.
    installer = teams_id(tenant.demo.person("Outi"))
    status, _ = await tenant.post(make.bot_added_to_team(tenant.connector.url, installer, "Etäpalvelut"))
    assert status == 200
    team = team_named(tenant, "Etäpalvelut")
    assert team is not None and member_names(tenant, team) == set()
    assert "Teams roster not read" in caplog.text
