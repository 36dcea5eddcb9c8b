"""The `tyhy` command: argument parsing only; every command's work is imported when it runs, so --help is instant."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The command tree; kept free of heavy imports (the platform SDKs load only when serving)."""
    parser = argparse.ArgumentParser(
        prog="tyhy",
        description="tyhybot: keeps the team's wellbeing development plan alive between annual surveys.",
    )
    parser.add_argument(
        "--database", metavar="URL", help="database URL (default: TYHY_DATABASE_URL or sqlite:///tyhy.db)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="create or migrate the schema to the newest version").set_defaults(run="db_upgrade")

    org = commands.add_parser("org", help="the organisation: units and members").add_subparsers(
        dest="action", required=True
    )
    importing = org.add_parser("import", help="import units and members from a YAML or CSV file")
    importing.add_argument("file", help="a .yaml, .yml or .csv file")
    importing.set_defaults(run="org_import")
    org.add_parser("show", help="units and their members").set_defaults(run="org_show")

    plan = commands.add_parser("plan", help="development plans").add_subparsers(dest="action", required=True)
    showing = plan.add_parser("show", help="a team's current development plan")
    showing.add_argument("team", help="the team's key, e.g. kotihoito")
    showing.set_defaults(run="plan_show")

    calendar = commands.add_parser("calendar", help="the wellbeing annual calendar").add_subparsers(
        dest="action", required=True
    )
    showing_calendar = calendar.add_parser("show", help="the year's steps, the pulse interval and the sending hour")
    showing_calendar.add_argument("--year", type=int, help="the year to show (default: this year)")
    showing_calendar.set_defaults(run="calendar_show")
    exporting = calendar.add_parser("export", help="write the calendar to a YAML file to edit")
    exporting.add_argument("file", help="a .yaml file to write ('-' prints it)")
    exporting.set_defaults(run="calendar_export")
    importing_calendar = calendar.add_parser("import", help="replace the calendar with a YAML file, checked whole")
    importing_calendar.add_argument("file", help="a .yaml file written by `tyhy calendar export`")
    importing_calendar.set_defaults(run="calendar_import")

    survey = commands.add_parser("survey", help="the annual survey's results").add_subparsers(
        dest="action", required=True
    )
    importing_survey = survey.add_parser("import", help="import a year's results from the vendor's .xlsx or .csv file")
    importing_survey.add_argument("file", help="a .xlsx or .csv file: a row per unit and one for the organisation")
    importing_survey.add_argument("--year", type=int, required=True, help="the survey's year, e.g. 2027")
    importing_survey.add_argument("--replace", action="store_true", help="replace the year's stored results unasked")
    importing_survey.set_defaults(run="survey_import")
    template = survey.add_parser("template", help="write the file to fill in, with the organisation's units")
    template.add_argument("--year", type=int, help="the survey's year (default: this year)")
    template.add_argument("file", help="a .csv or .xlsx file to write")
    template.set_defaults(run="survey_template")
    showing_survey = survey.add_parser(
        "show", help="a year's stored results (units under the anonymity threshold hidden)"
    )
    showing_survey.add_argument("--year", type=int, required=True, help="the survey's year")
    showing_survey.set_defaults(run="survey_show")

    preview = commands.add_parser("preview", help="every prompt the bot would send in a period; sends nothing")
    preview.add_argument(
        "--from", dest="start", metavar="DATE", help="first day, 1.1.2027 or 2027-01-01 (default: today)"
    )
    preview.add_argument("--to", dest="end", metavar="DATE", help="last day, included (default: a year from --from)")
    preview.add_argument("--team", metavar="KEY", help="only this team, e.g. kotihoito")
    preview.set_defaults(run="preview")

    demo = commands.add_parser("demo", help="seed the demo organisation (a small municipality)")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when an organisation exists already")
    demo.set_defaults(run="demo")

    chat = commands.add_parser("chat", help="talk to the bot in the terminal as a member of the organisation")
    chat.add_argument("--as", dest="member", metavar="NAME", help="the member to be; without it, lists everyone")
    chat.set_defaults(run="chat")

    slack = commands.add_parser("slack", help="the Slack app").add_subparsers(dest="action", required=True)
    manifest = slack.add_parser("manifest", help="print the app manifest for your server, to create the app from")
    manifest.add_argument("--url", required=True, help="the server's https address, e.g. https://tyhy.example.org")
    manifest.add_argument("--json", action="store_true", help="JSON instead of YAML")
    manifest.set_defaults(run="slack_manifest")

    teams = commands.add_parser("teams", help="the Microsoft Teams app").add_subparsers(dest="action", required=True)
    packaging = teams.add_parser("package", help="write the Teams app package (zip) to upload in Teams")
    packaging.add_argument("--app-id", required=True, metavar="ID", help="the bot's Microsoft App ID (a GUID)")
    packaging.add_argument("--host", required=True, help="the server's https address, e.g. https://tyhy.example.org")
    packaging.add_argument("--out", metavar="FILE", help="where to write the zip (default: tyhybot-teams.zip)")
    packaging.set_defaults(run="teams_package")

    member = commands.add_parser("member", help="a person's stored data: export it, or forget the person")
    member_actions = member.add_subparsers(dest="action", required=True)
    exporting_member = member_actions.add_parser("export", help="print everything stored about a person, as JSON")
    exporting_member.add_argument("member_id", type=int, metavar="ID", help="the member's id (tyhy org show)")
    exporting_member.set_defaults(run="member_export_command")
    forgetting = member_actions.add_parser("forget", help="erase a person's identity and traces; anonymous counts stay")
    forgetting.add_argument("member_id", type=int, metavar="ID", help="the member's id (tyhy org show)")
    forgetting.set_defaults(run="member_forget_command")

    admin = commands.add_parser("admin", help="access to the dashboard").add_subparsers(dest="action", required=True)
    linking = admin.add_parser("link", help="print a one-time sign-in link to the dashboard (valid 15 minutes)")
    linking.add_argument("--member", type=int, metavar="ID", help="whose link (default: the wellbeing officer)")
    linking.add_argument("--url", help="the server's address (default: http://TYHY_HOST:TYHY_PORT/)")
    linking.set_defaults(run="admin_link")

    serve = commands.add_parser("serve", help="run the bot's web server")
    serve.add_argument("--host", default=os.environ.get("TYHY_HOST", "127.0.0.1"), help="default 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("TYHY_PORT", "3978")), help="default 3978")
    serve.add_argument(
        "--demo", action="store_true", help="serve the web chat on this computer, with a control that moves the clock"
    )
    serve.add_argument(
        "--local-chat", action="store_true", help="serve the web chat on this computer (no clock control)"
    )
    serve.add_argument(
        "--production", action="store_true", help="refuse to start without a chat platform's credentials"
    )
    serve.set_defaults(run="serve")
    return parser


def _runner(name: str) -> Callable[[argparse.Namespace], int]:
    from adapters.cli import commands  # the heavy part: storage, SQLAlchemy and friends

    runner: Callable[[argparse.Namespace], int] = getattr(commands, name)
    return runner


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a broken rule or an unreachable database is one clear line on stderr, not a traceback."""
    from adapters.files.dotenv import DotenvError, load_dotenv

    try:
        load_dotenv(Path(os.environ.get("TYHY_ENV_FILE", ".env")))  # settings kept in a file; the environment wins
    except DotenvError as error:
        print(error, file=sys.stderr)
        return 2
    from adapters.server.log_format import configure_logging

    configure_logging()
    args = build_parser().parse_args(argv)
    from bot.errors import DomainError

    try:
        return _runner(args.run)(args)
    except DomainError as error:
        from adapters.files.console_language import console_language

        print(error.message(console_language()), file=sys.stderr)
        return 1 if error.key.startswith("db.") else 2
    except KeyboardInterrupt:
        return 130
