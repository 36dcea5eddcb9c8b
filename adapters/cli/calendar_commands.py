"""The wellbeing officer's commands: `tyhy calendar show|export|import` and `tyhy preview`, in the console language."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from adapters.cli.preview import Prompt, Timeline, build_timeline
from adapters.files.calendar_file import calendar_to_yaml, read_calendar_file
from adapters.files.console_language import console_language
from bot.calendar import AnnualCalendar
from bot.calendar_text import sending_day, step_names, step_rule, weekday_date
from bot.errors import DomainError
from bot.flows.followup_model import REMINDER_KIND
from bot.follow_up_rhythm import FollowUpRhythm
from bot.formatting import format_clock as clock_time
from bot.formatting import format_date
from bot.i18n import translate
from bot.months import add_months
from bot.organisation import Organisation, zone_or_default
from bot.workdays import WorkingDays
from scheduler.catch_up import Fate
from scheduler.planner import JobKind
from storage.calendar_repository import CalendarRepository
from storage.db import Database, open_migrated
from storage.demo_clock_store import DemoClockStore
from storage.escalation_repository import EscalationRepository
from storage.job_run_repository import JobRunRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.reminder_repository import ReminderRepository

MAX_PREVIEW_YEARS = 10  # far enough for any planning; keeps dates clear of datetime's year 9999
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


# --- The commands, as adapters/cli/main.py runs them --------------------------------------------------------------


def calendar_show(args: argparse.Namespace) -> int:
    """`tyhy calendar show [--year Y]`: the year's steps as a table, the pulse interval and the hour."""
    db = _database(args)
    _print(show_calendar(db, console_language(), getattr(args, "year", None), _now(db)))
    return 0


def calendar_export(args: argparse.Namespace) -> int:
    """`tyhy calendar export FILE`: the calendar as YAML to edit ("-" writes it to standard output)."""
    language = console_language()
    db = _database(args)
    org = _organisation(db)
    text = calendar_to_yaml(CalendarRepository(db).get(org.id), language)
    if args.file == "-":
        print(text, end="")
        return 0
    try:
        Path(args.file).write_text(text, encoding="utf-8")
    except OSError as error:
        raise DomainError("calendar_file.unwritable", path=args.file, reason=error.strerror or str(error)) from None
    print(translate(language, "calendar_export.done", path=args.file))
    return 0


def calendar_import(args: argparse.Namespace) -> int:
    """`tyhy calendar import FILE`: the file checked whole, then saved at once, and the effect on the next year."""
    db = _database(args)
    _print(import_calendar(db, Path(args.file), console_language(), _now(db)))
    return 0


def preview(args: argparse.Namespace) -> int:
    """`tyhy preview [--from D] [--to D] [--team KEY]`: every prompt of the period; sends and writes nothing."""
    db = _database(args)
    lines = preview_lines(
        db,
        console_language(),
        _now(db),
        start=getattr(args, "start", None),
        end=getattr(args, "end", None),
        team_key=getattr(args, "team", None),
    )
    _print(lines)
    return 0


def _database(args: argparse.Namespace) -> Database:
    return open_migrated(getattr(args, "database", None))


def _now(db: Database) -> datetime:
    """Now, or the demo's now when the web chat has moved its clock: every process on a database shares one."""
    return DemoClockStore(db).now()


def _print(lines: Sequence[str]) -> None:
    for line in lines:
        print(line)


# --- The work, on a given database and clock (what the tests call) --------------------------------------------


def show_calendar(db: Database, language: str, year: int | None, now: datetime) -> list[str]:
    """The calendar of `year` (default: this year on the organisation's clock) as lines of a table."""
    org = OrganisationRepository(db).get()
    if org is None:
        return [translate(language, "cli.no_organisation")]
    calendar = CalendarRepository(db).get(org.id)
    year = year or now.astimezone(zone_or_default(org.timezone)).year
    names = {t.key: t.name for t in org.teams}
    step_titles = step_names(calendar, language)
    workdays = WorkingDays()
    # The day it goes out, as the dashboard's wheel shows it: a rule day on a weekend or holiday moves on.
    dated = sorted(
        ((sending_day(calendar.date_of(s.key, year), workdays), s) for s in calendar.steps),
        key=lambda pair: (pair[0], pair[1].key),
    )
    header = [translate(language, f"calendar_show.column.{c}") for c in ("date", "step", "key", "rule", "units", "on")]
    rows = [
        [
            weekday_date(day, language),
            step_titles[step.key],
            step.key,
            step_rule(step, language, step_titles),
            ", ".join(names.get(u, u) for u in step.units) or translate(language, "calendar_show.all_units"),
            translate(language, "calendar_show.yes" if step.enabled else "calendar_show.no"),
        ]
        for day, step in dated
    ]
    lines = [translate(language, "calendar_show.title", name=org.name, year=year)]
    lines += table([header, *rows]) if rows else [translate(language, "calendar_show.no_steps")]
    return [*lines, *_cadence(calendar, language), translate(language, "calendar_show.how_to_edit")]


def import_calendar(db: Database, path: Path, language: str, now: datetime) -> list[str]:
    """Read and check the file whole, save it in one transaction, and tell what the next 12 months now hold."""
    org = _organisation(db)
    calendar = read_calendar_file(path, [t.key for t in org.teams])  # raises before anything is written
    repository = CalendarRepository(db)
    before = _next_twelve_months(db, org, repository.get(org.id), now)
    repository.save(org.id, calendar)
    after = _next_twelve_months(db, org, calendar, now)
    enabled = sum(step.enabled for step in calendar.steps)
    return [
        translate(language, "calendar_import.done", steps=len(calendar.steps), enabled=enabled),
        *_cadence(calendar, language),
        translate(
            language,
            "calendar_import.effect",
            prompts=len(after.prompts),
            messages=after.messages,
            before_prompts=len(before.prompts),
            before_messages=before.messages,
        ),
        translate(language, "calendar_import.replanned"),
    ]


@dataclass(frozen=True)
class Preview:
    """A period's timeline and what its title names: the organisation or the team, and the days."""

    name: str
    first: date
    last: date
    timeline: Timeline


def preview_period(db: Database, now: datetime, *, start: str | None, end: str | None, team_key: str | None) -> Preview:
    """The timeline of a period given as `tyhy preview` takes it: from today for 12 months unless told otherwise."""
    first = parse_day(start) if start else None
    last = parse_day(end) if end else None
    org = _organisation(db)
    team = org.team_by_key(team_key) if team_key else None
    if team_key and team is None:
        raise DomainError("team.unknown", team=team_key)
    zone = zone_or_default(org.timezone)
    first = first or now.astimezone(zone).date()
    last = last or add_months(first, 12) - timedelta(days=1)
    if first > last:
        raise DomainError("calendar_preview.bad_range", start=first, end=last)
    if last > add_months(first, 12 * MAX_PREVIEW_YEARS):
        raise DomainError("calendar_preview.too_long", years=MAX_PREVIEW_YEARS)
    timeline = build_timeline(
        org,
        OrganisationRepository(db).members(),
        CalendarRepository(db).get(org.id),
        {plan.team_id: plan for plan in PlanRepository(db).all_current()},
        start=datetime.combine(first, time(), tzinfo=zone),
        end=datetime.combine(last + timedelta(days=1), time(), tzinfo=zone),  # --to is the last day included
        now=now,
        which_ran=JobRunRepository(db).which_ran,
        escalated=EscalationRepository(db).escalated,
        reminders=ReminderRepository(db).all_pending(REMINDER_KIND),
        rhythm=FollowUpRhythm.from_env(os.environ),
        team=team,
    )
    return Preview(team.name if team else org.name, first, last, timeline)


def preview_lines(
    db: Database, language: str, now: datetime, *, start: str | None, end: str | None, team_key: str | None
) -> list[str]:
    """The timeline of a period as lines: one per prompt, in time order, then the total and what is skipped."""
    preview = preview_period(db, now, start=start, end=end, team_key=team_key)
    title = translate(
        language,
        "calendar_preview.title",
        name=preview.name,
        start=format_date(preview.first, language),
        end=format_date(preview.last, language),
    )
    return [title, *timeline_text(preview.timeline, language)]


def timeline_text(timeline: Timeline, language: str) -> list[str]:
    """The prompts as a table, the follow-ups due before the period, the total, and what the bot skips."""
    lines: list[str] = []
    if timeline.prompts:
        lines += _prompt_table(timeline.prompts, language)
    else:
        lines.append(translate(language, "calendar_preview.nothing"))
    lines += [
        translate(language, "calendar_preview.due_before", team=e.team.name, due=format_date(e.due, language))
        for e in timeline.earlier_follow_ups
    ]
    lines.append(
        translate(language, "calendar_preview.total", prompts=len(timeline.prompts), messages=timeline.messages)
    )
    if timeline.skipped:
        lines += ["", translate(language, "calendar_preview.skipped"), *_prompt_table(timeline.skipped, language)]
    return lines


def _prompt_table(prompts: Sequence[Prompt], language: str) -> list[str]:
    header = [translate(language, f"calendar_preview.column.{c}") for c in ("when", "team", "what", "recipients")]
    rows = [
        [
            translate(
                language,
                "calendar_preview.when",
                day=weekday_date(p.at.date(), language),
                time=clock_time(p.at, language),
            ),
            p.team.name,
            _what(p, language),
            str(p.recipients),
        ]
        for p in prompts
    ]
    return table([header, *rows], right_aligned=3)


def _what(prompt: Prompt, language: str) -> str:
    """The prompt's name, why it goes out now or that it already went out, and whose card waits for a reminder."""
    if prompt.digest:
        name = translate(language, "calendar_preview.digest")
    elif prompt.escalation:
        name = translate(language, "calendar_preview.escalation")
    elif prompt.reminder:
        name = translate(language, "calendar_preview.reminder")
    else:
        name = translate(language, f"calendar_kind.{prompt.kind.value}")
    if prompt.fate is Fate.LATE:
        key = "calendar_preview.overdue" if prompt.overdue else "calendar_preview.late"
        name = f"{name} {translate(language, key)}"
    elif prompt.fate is Fate.DONE:
        name = f"{name} {translate(language, 'calendar_preview.sent')}"
    elif prompt.overdue and prompt.kind is JobKind.FOLLOW_UP:
        name = f"{name} {translate(language, 'calendar_preview.overdue_again')}"
    if prompt.held:
        name = f"{name} {translate(language, 'calendar_preview.held', count=prompt.held)}"
    return name


def parse_day(text: str) -> date:
    """A day written 1.1.2027 (as Finns write it) or 2027-01-01 (ISO)."""
    cleaned = text.strip()
    try:
        finnish = _FINNISH_DATE.match(cleaned)
        if finnish:
            return date(int(finnish[3]), int(finnish[2]), int(finnish[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return date.fromisoformat(cleaned)
    except ValueError:
        pass  # 30.2.2027: told below like any other unreadable day
    raise DomainError("calendar_preview.bad_date", value=text)


def table(rows: Sequence[Sequence[str]], right_aligned: int | None = None) -> list[str]:
    """Rows as columns padded to their widest cell; `right_aligned` names a column of numbers."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(width) if i == right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


# --- Small helpers --------------------------------------------------------------------------------------------


def _organisation(db: Database) -> Organisation:
    org = OrganisationRepository(db).get()
    if org is None:
        raise DomainError("cli.no_organisation")
    return org


def _next_twelve_months(db: Database, org: Organisation, calendar: AnnualCalendar, now: datetime) -> Timeline:
    today = now.astimezone(zone_or_default(org.timezone)).date()
    return build_timeline(
        org,
        OrganisationRepository(db).members(),
        calendar,
        {plan.team_id: plan for plan in PlanRepository(db).all_current()},
        start=now,
        end=now + (add_months(today, 12) - today),
        now=now,
        which_ran=JobRunRepository(db).which_ran,
        escalated=EscalationRepository(db).escalated,
        reminders=ReminderRepository(db).all_pending(REMINDER_KIND),
        rhythm=FollowUpRhythm.from_env(os.environ),
    )


def _cadence(calendar: AnnualCalendar, language: str) -> list[str]:
    pulse = (
        translate(language, "calendar_show.pulse_every", weeks=calendar.pulse_every_weeks)
        if calendar.pulse_every_weeks
        else translate(language, "calendar_show.pulse_off")
    )
    return [pulse, translate(language, "calendar_show.hour", hour=calendar.send_hour)]
