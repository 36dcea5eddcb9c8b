"""The platform tables on both databases: conversations stored once and refreshed, profiles cached, retries seen."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.db import Database
from storage.platform_models import ConversationRow
from storage.platform_repository import (
    CHANNEL,
    PERSON,
    KnownConversation,
    PlatformProfile,
    PlatformRepository,
    StoredConversation,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_conversation_is_stored_per_person_and_refreshed(db: Database) -> None:
    repo = PlatformRepository(db)
    assert repo.conversation("slack", "T1", PERSON, "U1") is None
    repo.save_conversation("slack", "T1", PERSON, "U1", StoredConversation("D1"), NOW)
    repo.save_conversation("slack", "T1", CHANNEL, "U1", StoredConversation("C9"), NOW)
    repo.save_conversation("slack", "T1", PERSON, "U1", StoredConversation("D2", "", "{}"), NOW)
    assert repo.conversation("slack", "T1", PERSON, "U1") == StoredConversation("D2", "", "{}")
    assert repo.conversation("slack", "T2", PERSON, "U1") is None
    assert repo.forget_conversations("slack", "T1", "U1") == 2
    assert repo.conversation("slack", "T1", PERSON, "U1") is None


def test_the_same_conversation_again_is_not_written_and_a_changed_one_is(db: Database) -> None:
    repo = PlatformRepository(db)
    stored = StoredConversation("a:1", "https://smba.example/emea/", '{"user": {"id": "29:1"}}')
    repo.save_conversation("teams", "T1", PERSON, "29:1", stored, NOW)

    repo.save_conversation("teams", "T1", PERSON, "29:1", stored, NOW + timedelta(hours=1))
    assert updated_at(db) == [NOW]

    moved = StoredConversation("a:1", "https://smba.example/amer/", stored.reference)
    repo.save_conversation("teams", "T1", PERSON, "29:1", moved, NOW + timedelta(hours=2))
    assert updated_at(db) == [NOW + timedelta(hours=2)]
    assert repo.conversation("teams", "T1", PERSON, "29:1") == moved


def test_replicas_storing_one_persons_conversation_at_once_leave_one_row(db: Database) -> None:
    repo = PlatformRepository(db)
    seen = [StoredConversation("a:1", f"https://smba.example/{n}/", "{}") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda stored: repo.save_conversation("teams", "T1", PERSON, "29:1", stored, NOW), seen))
    assert len(updated_at(db)) == 1
    assert repo.conversation("teams", "T1", PERSON, "29:1") in seen


def updated_at(db: Database) -> list[datetime]:
    with db.transaction() as session:
        return [when.replace(tzinfo=UTC) for when in session.scalars(select(ConversationRow.updated_at))]


def test_a_profile_is_cached(db: Database) -> None:
    repo = PlatformRepository(db)
    repo.save_profile("slack", "T1", "U1", PlatformProfile("fi-FI", "Europe/Helsinki", NOW))
    repo.save_profile("slack", "T1", "U1", PlatformProfile("sv-SE", "Europe/Helsinki", NOW))
    assert repo.profile("slack", "T1", "U1") == PlatformProfile("sv-SE", "Europe/Helsinki", NOW)
    assert repo.profile("teams", "T1", "U1") is None


def test_an_event_is_seen_once_and_old_ids_are_dropped(db: Database) -> None:
    repo = PlatformRepository(db)
    assert repo.first_sight("slack", "Ev1", NOW)
    assert not repo.first_sight("slack", "Ev1", NOW + timedelta(minutes=1))
    assert repo.first_sight("teams", "Ev1", NOW)
    assert repo.forget_seen_before(NOW + timedelta(days=2)) == 2
    assert repo.first_sight("slack", "Ev1", NOW + timedelta(days=2))


def test_a_persons_conversation_is_one_whether_their_workspace_was_known_or_not(db: Database) -> None:
    # People from the organisation file carry no workspace (""); what they send carries it ("T1"). One DM either way.
    repo = PlatformRepository(db)
    repo.save_conversation("slack", "", PERSON, "U1", StoredConversation("D1"), NOW)
    assert repo.person_conversation("slack", "T1", "U1") == KnownConversation("", StoredConversation("D1"))
    assert repo.person_conversation("slack", "", "U1") == KnownConversation("", StoredConversation("D1"))

    repo.save_conversation("slack", "T1", PERSON, "U2", StoredConversation("D2"), NOW)
    assert repo.person_conversation("slack", "", "U2") == KnownConversation("T1", StoredConversation("D2"))
    assert repo.person_conversation("slack", "T1", "U2") == KnownConversation("T1", StoredConversation("D2"))
    assert repo.person_conversation("slack", "T2", "U2") is None  # another workspace's DM is another DM
    assert repo.person_conversation("teams", "T1", "U2") is None
    repo.save_conversation("slack", "T1", CHANNEL, "U3", StoredConversation("C3"), NOW)
    assert repo.person_conversation("slack", "T1", "U3") is None  # a channel is not a person


def test_the_conversation_stored_for_the_workspace_wins_over_one_stored_without(db: Database) -> None:
    repo = PlatformRepository(db)  # a database from before: both were opened, the exact one is the one to use
    repo.save_conversation("slack", "", PERSON, "U1", StoredConversation("D-old"), NOW)
    repo.save_conversation("slack", "T1", PERSON, "U1", StoredConversation("D1"), NOW - timedelta(days=1))
    assert repo.person_conversation("slack", "T1", "U1") == KnownConversation("T1", StoredConversation("D1"))
    assert repo.person_conversation("slack", "", "U1") == KnownConversation("", StoredConversation("D-old"))
