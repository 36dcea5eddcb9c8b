"""Installing the app into a Teams team: the team joins the organisation with its channel as home, members follow."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from bot.organisation import HomeChannel, Platform, Role, Team
from storage.models import MemberIdentityRow
from storage.org_repository import OrganisationRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import MEMBERS, account

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


# --- people matched to the organisation file ----------------------------------------------------------------------


def without_teams_ids(tenant: Tenant, *names: str) -> None:
    """These people are in the org file without a Teams id (the usual case: the file lists e-mails)."""
    ids = [tenant.demo.person(name).id for name in names]
    with tenant.demo.db.transaction() as session:
        session.execute(
            delete(MemberIdentityRow).where(MemberIdentityRow.member_id.in_(ids), MemberIdentityRow.platform == "teams")
        )
    tenant.demo.refresh()


def teams_identity(tenant: Tenant, member_id: int) -> tuple[str, str, str]:
    with tenant.demo.db.transaction() as session:
        rows = session.scalars(
            select(MemberIdentityRow).where(
                MemberIdentityRow.member_id == member_id, MemberIdentityRow.platform == "teams"
            )
        ).all()
        assert len(rows) == 1, "one Teams identity per person"
        return rows[0].user_id, rows[0].workspace, rows[0].aad_object_id


async def test_the_roster_is_matched_to_the_org_file_by_teams_id_directory_id_and_email_never_doubled(
    tenant: Tenant,
) -> None:
    demo = tenant.demo
    without_teams_ids(tenant, "Pirjo", "Juha", "Liisa")
    pirjo, juha, anna, liisa = (demo.person(name) for name in ("Pirjo", "Juha", "Anna", "Liisa"))
    with demo.db.transaction() as session:  # Liisa's directory id came with an earlier install of another bot
        session.add(
            MemberIdentityRow(
                member_id=liisa.id, platform="teams", workspace="", user_id="29:old", aad_object_id="AAD-L"
            )
        )
    before = len(OrganisationRepository(demo.db).members())
    tenant.connector.roster[make.TEAM_ID] = [
        account("29:pirjo", "Pirjo Mäkelä", email="Pirjo.Makela@Esimerkkila.fi", aad_object_id="AAD-P"),
        account("29:juha", "Juha N.", upn="JUHA.NIEMINEN@esimerkkila.fi", aad_object_id="AAD-J"),
        account(teams_id(anna), "Anna Korhonen", email="anna.k@muu.example", aad_object_id="AAD-A"),
        account("29:liisa", "Liisa Virtanen", email="liisa@muu.example", aad_object_id="aad-l"),
        account("29:new", "Uusi Tulokas", email="uusi.tulokas@esimerkkila.fi", aad_object_id="AAD-N"),
    ]
    status, _ = await tenant.post(make.installation_add(tenant.connector.url, "29:pirjo", "Kotihoito"))
    assert status == 200

    directory = OrganisationRepository(demo.db)
    assert len(directory.members()) == before + 1  # only the newcomer is new
    team = team_named(tenant, "Kotihoito")
    assert team is not None
    assert member_names(tenant, team) == {
        "Pirjo Mäkelä",
        "Juha Nieminen",
        "Anna Korhonen",
        "Liisa Virtanen",
        "Uusi Tulokas",
    }
    assert teams_identity(tenant, pirjo.id) == ("29:pirjo", make.TENANT, "AAD-P")  # by e-mail, any case
    assert teams_identity(tenant, juha.id) == ("29:juha", make.TENANT, "AAD-J")  # by UPN
    assert teams_identity(tenant, anna.id) == (teams_id(anna), make.TENANT, "AAD-A")  # by Teams id first
    assert teams_identity(tenant, liisa.id) == ("29:liisa", make.TENANT, "aad-l")  # by directory id
    newcomer = next(m for m in directory.members() if m.name == "Uusi Tulokas")
    assert newcomer.email == "uusi.tulokas@esimerkkila.fi" and newcomer.role is Role.STAFF
    # The supervisor is the supervisor in Teams too: her follow-up command is hers, not refused as staff's.
    found = directory.member_by_identity(Platform.TEAMS, "29:pirjo", make.TENANT)
    assert found is not None and found.id == pirjo.id and found.role is Role.SUPERVISOR


async def test_installing_twice_and_members_added_later_create_no_one_twice(tenant: Tenant) -> None:
    without_teams_ids(tenant, "Pirjo")
    pirjo = tenant.demo.person("Pirjo")
    tenant.connector.roster[make.TEAM_ID] = [account("29:pirjo", "Pirjo Mäkelä", email=pirjo.email or "")]
    before = len(OrganisationRepository(tenant.demo.db).members())
    url = tenant.connector.url
    await tenant.post(make.bot_added_to_team(url, "29:pirjo", "Kotihoito"))
    await tenant.post(make.installation_add(url, "29:pirjo", "Kotihoito"))
    tenant.connector.roster[make.TEAM_ID].append(
        account("29:juha", "Juha Nieminen", email="juha.nieminen@esimerkkila.fi", aad_object_id="AAD-J")
    )
    without_teams_ids(tenant, "Juha")
    await tenant.post(make.members_added(url, "29:pirjo", "Kotihoito", ["29:juha"]))
    assert len(OrganisationRepository(tenant.demo.db).members()) == before
    assert teams_identity(tenant, tenant.demo.person("Juha").id) == ("29:juha", make.TENANT, "AAD-J")
