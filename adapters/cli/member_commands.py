"""The privacy commands: `tyhy member export ID` prints what is stored of a person, `member forget ID` erases it."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from adapters.files.console_language import console_language
from bot.errors import DomainError
from bot.i18n import translate
from storage.db import Database, open_migrated
from storage.member_privacy import UnknownMember, export_member, forget_member

# --- The commands, as adapters/cli/main.py runs them --------------------------------------------------------------


def member_export_command(args: argparse.Namespace) -> int:
    """`tyhy member export ID`: everything stored about the person, as JSON on standard output."""
    print(member_export(_database(args), args.member_id))
    return 0


def member_forget_command(args: argparse.Namespace) -> int:
    """`tyhy member forget ID`: erase the person's identity, markers and references; counts stay."""
    print(member_forget(_database(args), args.member_id, datetime.now(UTC), console_language()))
    return 0


# --- The work, testable without a process ---------------------------------------------------------------------


def member_export(db: Database, member_id: int) -> str:
    """The export as indented JSON; an unknown id is a DomainError (one clear line and a non-zero exit)."""
    try:
        data = export_member(db, member_id)
    except UnknownMember:
        raise DomainError("privacy.unknown_member", id=member_id) from None
    return json.dumps(data, ensure_ascii=False, indent=2)


def member_forget(db: Database, member_id: int, now: datetime, language: str) -> str:
    """Forget the person and say what went, in `language`; forgetting again only says it was done already."""
    try:
        report = forget_member(db, member_id, now)
    except UnknownMember:
        raise DomainError("privacy.unknown_member", id=member_id) from None
    removed = (
        report.identities
        + report.team_links
        + report.answered_markers
        + report.conversations
        + report.profiles
        + report.outbox_deleted
        + report.outbox_detached
        + report.references
    )
    if report.already_forgotten and removed == 0:
        return translate(language, "privacy.already_forgotten", id=member_id)
    return translate(
        language,
        "privacy.forgotten",
        id=member_id,
        identities=report.identities,
        markers=report.answered_markers,
        conversations=report.conversations + report.profiles,
        messages=report.outbox_deleted,
    )


def _database(args: argparse.Namespace) -> Database:
    return open_migrated(getattr(args, "database", None))
