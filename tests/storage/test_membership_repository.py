"""Team members from a platform's channel list: new people are created once, leavers leave only that team."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.cli.demo import seed_demo
from bot.organisation import Platform
from storage.db import Database
from storage.membership_repository import MembershipRepository, PlatformPerson, SyncSummary
from storage.org_repository import OrganisationRepository


def test_people_in_a_channel_join_the_team_and_leavers_go(db: Database) -> None:
    org = seed_demo(db, datetime(2026, 11, 23, tzinfo=UTC))
    team = org.team_by_key("ruokapalvelu")
    assert team is not None
    repo, orgs = MembershipRepository(db), OrganisationRepository(db)
    before = len(orgs.members(team.id))
    people = [PlatformPerson("U100", "Uusi Ihminen"), PlatformPerson("U101", "Toinen Uusi")]
    assert repo.join(team.id, Platform.SLACK, "T1", people) == 2
    assert repo.join(team.id, Platform.SLACK, "T1", people) == 0  # joining twice changes nothing
    newcomer = orgs.member_by_identity(Platform.SLACK, "U100", "T1")
    assert newcomer is not None and newcomer.name == "Uusi Ihminen" and team.id in newcomer.team_ids
    assert len(orgs.members(team.id)) == before + 2

    # Everyone else on Slack in the team leaves it: U100 and the demo's own Slack members of the team.
    on_slack = sum(1 for m in orgs.members(team.id) if m.identity(Platform.SLACK))
    summary = repo.sync(team.id, Platform.SLACK, "T1", [PlatformPerson("U101", "Toinen Uusi")])
    assert summary == SyncSummary(joined=0, left=on_slack - 1)
    assert orgs.member_by_identity(Platform.SLACK, "U100", "T1") is not None  # still in the organisation
    assert [m.name for m in orgs.members(team.id) if m.identity(Platform.SLACK)] == ["Toinen Uusi"]
    assert repo.leave(team.id, Platform.SLACK, "T1", ["U101", "U-unknown"]) == 1
