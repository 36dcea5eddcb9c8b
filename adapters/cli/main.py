"""The `tyhy` command: argument parsing only; every command's work is imported when it runs, so --help is instant."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def build_parser(language: str | None = None) -> argparse.ArgumentParser:
    """The command tree in the console's language; kept free of heavy imports (the SDKs load only when serving)."""
    from adapters.files.console_language import console_language
    from bot.i18n import translate

    speaking = language or console_language()

    def t(key: str, **params: object) -> str:
        return translate(speaking, f"cli.help.{key}", **params)

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups, t("usage") if prefix is None else prefix)

    class Parser(argparse.ArgumentParser):
        """argparse speaking the reader's language: its headings and its -h are ours (its own are English only)."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(add_help=False, formatter_class=Formatter, **kwargs)
            # argparse names these groups itself and offers no parameter for their titles.
            self._positionals.title = t("positionals")
            self._optionals.title = t("options")
            self.add_argument("-h", "--help", action="help", help=t("help"))

    parser = Parser(
        prog="tyhy",
        description=t("description"),
    )
    parser.add_argument("--database", metavar="URL", help=t("database"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help=t("db")).add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help=t("db_upgrade")).set_defaults(run="db_upgrade")

    org = commands.add_parser("org", help=t("org")).add_subparsers(dest="action", required=True)
    importing = org.add_parser("import", help=t("org_import"))
    importing.add_argument("file", help=t("org_file"))
    importing.set_defaults(run="org_import")
    org.add_parser("show", help=t("org_show")).set_defaults(run="org_show")

    plan = commands.add_parser("plan", help=t("plan")).add_subparsers(dest="action", required=True)
    showing = plan.add_parser("show", help=t("plan_show"))
    showing.add_argument("team", help=t("team_key"))
    showing.set_defaults(run="plan_show")

    calendar = commands.add_parser("calendar", help=t("calendar")).add_subparsers(dest="action", required=True)
    showing_calendar = calendar.add_parser("show", help=t("calendar_show"))
    showing_calendar.add_argument("--year", type=int, help=t("calendar_year"))
    showing_calendar.set_defaults(run="calendar_show")
    exporting = calendar.add_parser("export", help=t("calendar_export"))
    exporting.add_argument("file", help=t("calendar_export_file"))
    exporting.set_defaults(run="calendar_export")
    importing_calendar = calendar.add_parser("import", help=t("calendar_import"))
    importing_calendar.add_argument("file", help=t("calendar_import_file"))
    importing_calendar.set_defaults(run="calendar_import")

    survey = commands.add_parser("survey", help=t("survey")).add_subparsers(dest="action", required=True)
    importing_survey = survey.add_parser("import", help=t("survey_import"))
    importing_survey.add_argument("file", help=t("survey_file"))
    importing_survey.add_argument("--year", type=int, required=True, help=t("survey_year"))
    importing_survey.add_argument("--replace", action="store_true", help=t("survey_replace"))
    importing_survey.set_defaults(run="survey_import")
    template = survey.add_parser("template", help=t("survey_template"))
    template.add_argument("--year", type=int, help=t("survey_template_year"))
    template.add_argument("file", help=t("survey_template_file"))
    template.set_defaults(run="survey_template")
    showing_survey = survey.add_parser("show", help=t("survey_show"))
    showing_survey.add_argument("--year", type=int, required=True, help=t("survey_show_year"))
    showing_survey.set_defaults(run="survey_show")

    preview = commands.add_parser("preview", help=t("preview"))
    preview.add_argument("--from", dest="start", metavar="DATE", help=t("preview_from"))
    preview.add_argument("--to", dest="end", metavar="DATE", help=t("preview_to"))
    preview.add_argument("--team", metavar="KEY", help=t("preview_team"))
    preview.set_defaults(run="preview")

    demo = commands.add_parser("demo", help=t("demo"))
    demo.add_argument("--if-empty", action="store_true", help=t("demo_if_empty"))
    demo.set_defaults(run="demo")

    chat = commands.add_parser("chat", help=t("chat"))
    chat.add_argument("--as", dest="member", metavar="NAME", help=t("chat_as"))
    chat.set_defaults(run="chat")

    slack = commands.add_parser("slack", help=t("slack")).add_subparsers(dest="action", required=True)
    manifest = slack.add_parser("manifest", help=t("slack_manifest"))
    manifest.add_argument("--url", required=True, help=t("server_url"))
    manifest.add_argument("--json", action="store_true", help=t("slack_json"))
    manifest.set_defaults(run="slack_manifest")

    teams = commands.add_parser("teams", help=t("teams")).add_subparsers(dest="action", required=True)
    packaging = teams.add_parser("package", help=t("teams_package"))
    packaging.add_argument("--app-id", required=True, metavar="ID", help=t("teams_app_id"))
    packaging.add_argument("--host", required=True, help=t("server_url"))
    packaging.add_argument("--out", metavar="FILE", help=t("teams_out"))
    packaging.set_defaults(run="teams_package")

    member = commands.add_parser("member", help=t("member"))
    member_actions = member.add_subparsers(dest="action", required=True)
    exporting_member = member_actions.add_parser("export", help=t("member_export"))
    exporting_member.add_argument("member_id", type=int, metavar="ID", help=t("member_id"))
    exporting_member.set_defaults(run="member_export_command")
    forgetting = member_actions.add_parser("forget", help=t("member_forget"))
    forgetting.add_argument("member_id", type=int, metavar="ID", help=t("member_id"))
    forgetting.set_defaults(run="member_forget_command")

    admin = commands.add_parser("admin", help=t("admin")).add_subparsers(dest="action", required=True)
    linking = admin.add_parser("link", help=t("admin_link"))
    linking.add_argument("--member", type=int, metavar="ID", help=t("admin_member"))
    linking.add_argument("--url", help=t("admin_url"))
    linking.set_defaults(run="admin_link")

    serve = commands.add_parser("serve", help=t("serve"))
    host, port = os.environ.get("TYHY_HOST", "127.0.0.1"), int(os.environ.get("TYHY_PORT", "3978"))
    serve.add_argument("--host", default=host, help=t("serve_default", value=host))  # TYHY_HOST or the built-in one
    serve.add_argument("--port", type=int, default=port, help=t("serve_default", value=port))
    serve.add_argument("--demo", action="store_true", help=t("serve_demo"))
    serve.add_argument("--local-chat", action="store_true", help=t("serve_local_chat"))
    serve.add_argument("--production", action="store_true", help=t("serve_production"))
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
