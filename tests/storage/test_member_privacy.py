"""A person's export shows all that is stored of them but never an answer; forgetting them leaves the counts alone."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from adapters.cli import member_commands
from adapters.cli.member_commands import member_export, member_forget
from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES
from bot.organisation import Platform
from bot.pulse import PulseRound
from bot.success import Success
from storage.db import Database
from storage.live_message_models import LiveMessageRow
from storage.member_privacy import FORGOTTEN_NAME, UnknownMember, export_member, forget_member
from storage.models import (
    Base,
    ChoosePairRow,
    ChoosePickRow,
    ChooseSessionRow,
    MemberIdentityRow,
    PlanActionRow,
    PlanRow,
    PlanTargetRow,
    ReminderRow,
)
from storage.org_repository import OrganisationRepository
from storage.outbox_models import OutboxRow, OutboxStatus
from storage.platform_models import ConversationRow, PlatformUserRow
from storage.platform_repository import PERSON, PlatformProfile, PlatformRepository, StoredConversation
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository
from storage.web_session_repository import WebSessionRepository
from tests.storage_helpers import make_org

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SECRET_COMMENT = "the coffee machine is a disgrace"


@dataclass(frozen=True)
class World:
    person: int
    other: int
    team: int
    round_id: int


def build(db: Database) -> World:
    """A team of six; the person answered a round, owns an action, shared a success and has platform traces."""
    org = make_org(db, {"koti": 6})
    team = org.teams[0].id
    ids = [m.id for m in OrganisationRepository(db).members(team)]
    person, other = ids[1], ids[2]
    pulses = PulseRepository(db)
    created = pulses.create_round(org.id, PulseRound(NOW, NOW + timedelta(days=7), {team: ("FE1", "YI1")}), {team: 6})
    assert created.id is not None
    pulses.record_answers(created.id, person, team, {"FE1": 5, "YI1": 1}, comment=SECRET_COMMENT)
    pulses.record_answers(created.id, other, team, {"FE1": 3, "YI1": 4})
    platforms = PlatformRepository(db)
    for user_id, conversation in (("U-PERSON", "D-PERSON"), ("U-OTHER", "D-OTHER")):
        platforms.save_conversation("slack", "T1", PERSON, user_id, StoredConversation(conversation), NOW)
        platforms.save_profile("slack", "T1", user_id, PlatformProfile("fi-FI", "Europe/Helsinki", NOW))
    platforms.save_conversation("slack", "T1", "channel", "C-TEAM", StoredConversation("C-TEAM"), NOW)
    success = SuccessRepository(db).add(
        Success(team, "Rota ready early", NOW, author_id=person, mentioned_ids=(other,))
    )
    with db.transaction() as session:
        session.add(MemberIdentityRow(member_id=person, platform="slack", workspace="", user_id="U-PERSON"))
        session.add(MemberIdentityRow(member_id=other, platform="slack", workspace="", user_id="U-OTHER"))
        plan = PlanRow(team_id=team, year=2027)
        session.add(plan)
        session.flush()
        target = PlanTargetRow(plan_id=plan.id, position=1, title="Calmer mornings")
        session.add(target)
        session.flush()
        session.add(PlanActionRow(target_id=target.id, position=1, text="Agree the rota", owner_id=person))
        session.add(ReminderRow(member_id=person, kind="followup", ref_id=plan.id, remind_at=NOW))
        choosing = ChooseSessionRow(team_id=team, started_by=person, started_at=NOW, closes_at=NOW)
        session.add(choosing)
        session.flush()
        session.add(ChoosePickRow(session_id=choosing.id, member_id=person, kind="target", choice="fewer meetings"))
        session.add(ChoosePairRow(session_id=choosing.id, member_id=person, pair_no=1))
        topic = f"choose:{choosing.id}"
        session.add(
            LiveMessageRow(
                topic=topic, member_id=person, platform="slack", channel_id="D-PERSON", message_id="1.2", sent_at=NOW
            )
        )
        for key, member, status in (
            (f"job1>member:{person}", person, OutboxStatus.PENDING),
            (f"job0>member:{person}", person, OutboxStatus.SENT),
            ("job1>slack:U-PERSON", None, OutboxStatus.PENDING),
            (f"job1>member:{other}", other, OutboxStatus.PENDING),
        ):
            session.add(
                OutboxRow(
                    key=key,
                    platform="slack",
                    workspace="T1",
                    member_id=member,
                    payload="{}",
                    status=status,
                    not_before=NOW,
                    created_at=NOW,
                    sent_channel="D-PERSON" if status == OutboxStatus.SENT else None,
                )
            )
    assert success.id is not None
    WebSessionRepository(db).create_session("a-session-hash", person, None, NOW + timedelta(hours=8))  # signed in
    return World(person, other, team, created.id)


def snapshot(db: Database, round_id: int) -> tuple[object, ...]:
    """What anyone may ever see of a round: its tallies and its comments."""
    pulses = PulseRepository(db)
    return pulses.tallies(round_id), pulses.comments(round_id)


def test_export_holds_the_identity_and_traces(db: Database) -> None:
    world = build(db)
    data = export_member(db, world.person)
    assert data["member"]["name"] == "koti 1" and data["member"]["email"] == "koti.1@example.fi"
    assert data["teams"] == [{"id": world.team, "key": "koti", "name": "Koti"}]
    assert data["identities"] == [{"platform": "slack", "workspace": "", "user_id": "U-PERSON", "aad_object_id": ""}]
    assert [c["conversation_id"] for c in data["platform_conversations"]] == ["D-PERSON"]
    assert [p["user_id"] for p in data["platform_profiles"]] == ["U-PERSON"]
    assert [(r["round_id"], r["answered"]) for r in data["pulse_rounds"]] == [(world.round_id, True)]
    assert [a["text"] for a in data["plan_actions_owned"]] == ["Agree the rota"]
    assert [s["text"] for s in data["successes_authored"]] == ["Rota ready early"]
    assert data["choosing"]["picks"] == [
        {"session_id": data["choosing"]["picks"][0]["session_id"], "kind": "target", "choice": "fewer meetings"}
    ]
    assert sorted(o["status"] for o in data["outbox"]) == ["pending", "sent"]
    assert [m["topic"] for m in data["live_messages"]] == [f"choose:{data['choosing']['picks'][0]['session_id']}"]
    assert export_member(db, world.other)["successes_mentioned_in"][0]["text"] == "Rota ready early"


def test_export_never_carries_an_answer(db: Database) -> None:
    world = build(db)
    text = member_export(db, world.person)
    assert json.loads(text)["member"]["id"] == world.person
    # The person answered FE1=5 and commented: neither the questions, the values nor the comment appear.
    assert SECRET_COMMENT not in text and "FE1" not in text and "YI1" not in text
    for entry in json.loads(text)["pulse_rounds"]:
        assert set(entry) == {"round_id", "opens_at", "closes_at", "answered"}
    assert '"payload"' not in text  # outbox rows: status only


def test_forget_erases_identity_markers_and_traces_but_not_counts(db: Database) -> None:
    world = build(db)
    before = snapshot(db, world.round_id)
    report = forget_member(db, world.person, NOW)
    assert not report.already_forgotten
    assert (report.identities, report.answered_markers, report.conversations, report.profiles) == (1, 1, 1, 1)
    assert (report.outbox_deleted, report.outbox_detached) == (2, 1)
    assert snapshot(db, world.round_id) == before  # respondents, counts and comments untouched

    member = OrganisationRepository(db).member(world.person)
    assert member is not None
    assert (member.name, member.email, member.team_ids, member.identities) == (FORGOTTEN_NAME, None, (), ())
    assert OrganisationRepository(db).member_by_identity(Platform.SLACK, "U-PERSON") is None
    platforms = PlatformRepository(db)
    assert platforms.conversation("slack", "T1", PERSON, "U-PERSON") is None
    assert platforms.profile("slack", "T1", "U-PERSON") is None
    # Everyone else keeps their traces, and the team keeps its channel, plan and success.
    assert platforms.conversation("slack", "T1", PERSON, "U-OTHER") is not None
    assert platforms.conversation("slack", "T1", "channel", "C-TEAM") is not None
    assert PulseRepository(db).has_answered(world.round_id, world.other)
    assert [s.text for s in SuccessRepository(db).for_team(world.team)] == ["Rota ready early"]

    data = export_member(db, world.person)
    assert data["member"]["forgotten"] is True
    for key in ("teams", "identities", "platform_conversations", "platform_profiles", "pulse_rounds", "reminders"):
        assert data[key] == [], key
    assert data["plan_actions_owned"] == [] and data["successes_authored"] == [] and data["outbox"] == []


def test_forget_leaves_no_row_pointing_at_the_person(db: Database) -> None:
    world = build(db)
    forget_member(db, world.person, NOW)
    with db.transaction() as session:
        # Every column that refers to a member, found from the schema itself, so a new table cannot be missed.
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "members" for fk in column.foreign_keys):
                    found = session.execute(select(column).where(column == world.person)).all()
                    assert found == [], f"{table.name}.{column.name}"
        # The message already sent stays for the counts, but no longer says where it went or what it said.
        outbox = session.execute(select(OutboxRow.key, OutboxRow.sent_channel, OutboxRow.payload)).all()
        assert not any("U-PERSON" in key or channel == "D-PERSON" for key, channel, _ in outbox)
        assert [payload for key, _, payload in outbox if key.startswith("job0")] == [None]
        assert session.execute(select(ConversationRow).where(ConversationRow.target == "U-PERSON")).first() is None
        assert session.execute(select(PlatformUserRow).where(PlatformUserRow.user_id == "U-PERSON")).first() is None


def test_forget_erases_a_dm_opened_before_the_workspace_was_known(db: Database) -> None:
    world = build(db)
    with db.transaction() as session:  # the identity names its workspace; the DM was opened without one
        session.execute(
            update(MemberIdentityRow).where(MemberIdentityRow.member_id == world.person).values(workspace="T1")
        )
    PlatformRepository(db).save_conversation("slack", "", PERSON, "U-PERSON", StoredConversation("D-EARLY"), NOW)
    forget_member(db, world.person, NOW)
    with db.transaction() as session:
        assert session.execute(select(ConversationRow).where(ConversationRow.target == "U-PERSON")).first() is None


def test_forgetting_twice_is_harmless(db: Database) -> None:
    world = build(db)
    forget_member(db, world.person, NOW)
    after_first = snapshot(db, world.round_id)
    again = forget_member(db, world.person, NOW + timedelta(days=1))
    assert again.already_forgotten
    assert (again.identities, again.answered_markers, again.outbox_deleted, again.references) == (0, 0, 0, 0)
    assert snapshot(db, world.round_id) == after_first
    assert "already" in member_forget(db, world.person, NOW, "en")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_confirmation_names_the_member_in_each_language(db: Database, language: str) -> None:
    world = build(db)
    text = member_forget(db, world.person, NOW, language)
    assert str(world.person) in text and "koti 1" not in text


def test_an_unknown_id_is_a_clear_error(db: Database) -> None:
    build(db)
    with pytest.raises(UnknownMember):
        export_member(db, 999_999)
    with pytest.raises(UnknownMember):
        forget_member(db, 999_999, NOW)
    runs: tuple[Callable[[], str], ...] = (
        lambda: member_export(db, 999_999),
        lambda: member_forget(db, 999_999, NOW, "fi"),
    )
    for run in runs:
        with pytest.raises(DomainError) as raised:
            run()
        assert raised.value.key == "privacy.unknown_member"
        assert "999999" in raised.value.message("en")


def test_export_of_a_plain_member_has_empty_sections(db: Database) -> None:
    org = make_org(db, {"koti": 2})
    member = OrganisationRepository(db).members(org.teams[0].id)[0]
    data = export_member(db, member.id)
    assert data["member"]["forgotten"] is False
    assert data["pulse_rounds"] == [] and data["identities"] == [] and data["plan_actions_owned"] == []
    assert data["choosing"] == {"sessions_started": [], "picks": [], "pairs": []}


def test_the_commands_print_json_and_the_confirmation(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = build(db)
    monkeypatch.setattr(member_commands, "_database", lambda _args: db)  # the test's database, on either backend
    monkeypatch.setenv("TYHY_LANGUAGE", "en")
    args = argparse.Namespace(database=None, member_id=world.person)
    assert member_commands.member_export_command(args) == 0
    assert json.loads(capsys.readouterr().out)["member"]["email"] == "koti.1@example.fi"
    assert member_commands.member_forget_command(args) == 0
    assert f"Member {world.person} is forgotten" in capsys.readouterr().out
    with pytest.raises(DomainError):  # adapters/cli/main.py turns it into one line on stderr and exit code 2
        member_commands.member_export_command(argparse.Namespace(database=None, member_id=999_999))


def test_forget_takes_the_bot_written_name_out_of_success_and_plan_texts(db: Database) -> None:
    world = build(db)
    other_name = "koti 2"
    assert OrganisationRepository(db).member(world.other) is not None
    SuccessRepository(db).add(
        Success(world.team, f"Thanks @{other_name} and @koti 3 for the rota!", NOW, mentioned_ids=(world.other,))
    )
    with db.transaction() as session:
        target = session.scalars(select(PlanTargetRow)).one()
        session.add(PlanActionRow(target_id=target.id, position=2, text=f"@{other_name.upper()} asks the others"))
        target.practice = f"Weekly check with @{other_name}."
    forget_member(db, world.other, NOW)
    texts = [s.text for s in SuccessRepository(db).for_team(world.team)]
    assert f"Thanks @{FORGOTTEN_NAME} and @koti 3 for the rota!" in texts
    with db.transaction() as session:
        actions = list(session.scalars(select(PlanActionRow.text)))
        practice = session.scalars(select(PlanTargetRow.practice)).one()
    assert f"@{FORGOTTEN_NAME} asks the others" in actions and "Agree the rota" in actions
    assert practice == f"Weekly check with @{FORGOTTEN_NAME}."
    assert not any(other_name in text.casefold() for text in [*texts, *actions, practice])


def test_export_shows_the_person_is_signed_in_to_the_dashboard(db: Database) -> None:
    world = build(db)
    sessions = export_member(db, world.person)["dashboard_sessions"]
    assert sessions == [{"language": None, "expires_at": (NOW + timedelta(hours=8)).isoformat()}]
    assert "a-session-hash" not in json.dumps(sessions)  # the cookie's hash opens nothing, but is not theirs to see
    assert export_member(db, world.other)["dashboard_sessions"] == []
