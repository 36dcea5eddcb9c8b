"""What each `tyhy` command does: the composition root that wires the database, repositories and server."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from adapters.cli.calendar_commands import calendar_export, calendar_import, calendar_show, preview  # noqa: F401
from adapters.cli.member_commands import member_export_command, member_forget_command  # noqa: F401
from adapters.cli.survey_commands import survey_import, survey_show, survey_template  # noqa: F401
from adapters.files.console_language import console_language
from bot.errors import DomainError
from bot.i18n import translate
from bot.plan_text import plan_as_text
from storage.db import Database, open_migrated, safe_url
from storage.migrate import current_revision, upgrade
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository


def open_database(args: argparse.Namespace) -> Database:
    """The database named on the command line or in the environment, reachable and migrated."""
    return open_migrated(getattr(args, "database", None))


def db_upgrade(args: argparse.Namespace) -> int:
    db = Database(args.database)
    db.check()
    before = current_revision(db)
    upgrade(db)
    after = current_revision(db)
    # Say what happened: a new database was created, an old one moved on, or nothing needed doing.
    key = "cli.db_created" if before is None else "cli.db_upgraded" if before != after else "cli.db_up_to_date"
    print(translate(console_language(), key, url=safe_url(db.url), before=before, revision=after))
    return 0


def org_import(args: argparse.Namespace) -> int:
    from adapters.files.org_file import read_org_file

    spec = read_org_file(Path(args.file))  # checked whole before the database is touched
    summary = OrganisationRepository(open_database(args)).apply_import(spec)
    print(
        translate(
            console_language(),
            "cli.import_done",
            units_created=summary.units_created,
            units_updated=summary.units_updated,
            members_created=summary.members_created,
            members_updated=summary.members_updated,
        )
    )
    return 0


def org_show(args: argparse.Namespace) -> int:
    language = console_language()
    repo = OrganisationRepository(open_database(args))
    org = repo.get()
    if org is None:
        print(translate(language, "cli.no_organisation"))
        return 0
    members = repo.members()
    print(translate(language, "cli.org_summary", name=org.name, units=len(org.teams), members=len(members)))

    def show(parent_id: int | None, depth: int) -> None:
        for team in (t for t in org.teams if t.parent_id == parent_id):
            in_team = [m for m in members if team.id in m.team_ids]
            print(f"{'  ' * depth}{team.name} [{team.key}] ({len(in_team)})")
            for member in in_team:
                role = translate(language, f"role.{member.role.value}")
                print(f"{'  ' * depth}  - {member.name} · {role}")
            show(team.id, depth + 1)

    show(None, 0)
    return 0


def plan_show(args: argparse.Namespace) -> int:
    language = console_language()
    db = open_database(args)
    org = OrganisationRepository(db).get()
    team = org.team_by_key(args.team) if org else None
    if team is None:
        raise DomainError("team.unknown", team=args.team)
    names = {m.id: m.name for m in OrganisationRepository(db).members()}
    plan = PlanRepository(db).current(team.id)
    print(plan_as_text(plan, team, names, language, datetime.now(UTC).date()))
    return 0


def demo(args: argparse.Namespace) -> int:
    from adapters.cli.demo import seed_demo

    language = console_language()
    db = open_database(args)
    if args.if_empty and not OrganisationRepository(db).is_empty():
        print(translate(language, "cli.demo_exists"))
        return 0
    org = seed_demo(db, datetime.now(UTC))
    print(translate(language, "cli.demo_seeded", name=org.name, members=len(OrganisationRepository(db).members())))
    return 0


def chat(args: argparse.Namespace) -> int:
    import asyncio

    from adapters.console.app import chat as run_chat
    from adapters.console.app import find_member, list_people

    language = console_language()
    db = open_database(args)
    if not args.member:
        for line in list_people(db, language):
            print(line)
        return 0
    matches = find_member(OrganisationRepository(db).members(), args.member)
    if not matches:
        raise DomainError("console.no_such_person", name=args.member)
    if len(matches) > 1:
        raise DomainError("console.ambiguous", name=args.member, matches=", ".join(m.name for m in matches))
    asyncio.run(run_chat(db, matches[0]))
    return 0


def serve(args: argparse.Namespace) -> int:
    import sys

    from adapters.server.app import run_server
    from adapters.server.production import production_problems, startup_problems

    if problems := startup_problems():
        language = console_language()
        print("\n".join(translate(language, key) for key in problems), file=sys.stderr)
        return 2
    if args.production and (args.demo or args.local_chat):
        flag = "--demo" if args.demo else "--local-chat"
        print(translate(console_language(), "cli.web_chat_not_with_production", flag=flag), file=sys.stderr)
        return 2
    if args.production and (problems := production_problems()):
        language = console_language()
        lines = [translate(language, "production.refused"), *(f"- {translate(language, key)}" for key in problems)]
        print("\n".join(lines), file=sys.stderr)
        return 2
    db = open_database(args)
    run_server(db, host=args.host, port=args.port, demo=args.demo, local_chat=args.local_chat)
    return 0


def teams_package(args: argparse.Namespace) -> int:
    from adapters.teams.package import teams_package_command

    return teams_package_command(args)


def admin_link(args: argparse.Namespace) -> int:
    import os

    from adapters.web.dashboard.signin import link_message

    db = open_database(args)
    base = args.url or f"http://{os.environ.get('TYHY_HOST', '127.0.0.1')}:{os.environ.get('TYHY_PORT', '3978')}/"
    print(link_message(db, base, args.member, datetime.now(UTC), console_language()))
    return 0


def slack_manifest(args: argparse.Namespace) -> int:
    from adapters.slack.manifest import manifest_text

    print(manifest_text(args.url, as_json=args.json))
    return 0
