"""`tyhy survey import|template|show`: the annual survey's results in from the vendor's file, its template, a look."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.files.console_language import console_language
from adapters.files.survey_file import read_survey_file, write_survey_template
from bot.errors import DomainError
from bot.i18n import translate
from bot.organisation import Organisation, zone_or_default
from bot.survey_import import check_survey
from bot.survey_text import survey_as_text
from storage.db import Database, open_migrated
from storage.org_repository import OrganisationRepository
from storage.survey_repository import SurveyRepository


def survey_import(args: argparse.Namespace) -> int:
    """Check the whole file, then save the year; a stored year is replaced after --replace or a typed yes."""
    language = console_language()
    rows = read_survey_file(Path(args.file))  # a file that cannot be read is refused before the database is opened
    db = _database(args)
    organisation = _organisation(db)
    results = check_survey(rows, organisation, args.year)
    repository = SurveyRepository(db)
    replace = bool(args.replace)
    if not replace and repository.imported_at(organisation.id, args.year) is not None:
        if not _confirmed(language, args.year):
            print(translate(language, "survey.kept", year=args.year))
            return 1
        replace = True
    repository.save(organisation.id, results, datetime.now(UTC), replace=replace)
    print(
        translate(
            language,
            "survey.imported",
            year=args.year,
            units=len(results.units),
            respondents=results.organisation.respondents,
            invited=results.organisation.invited,
        )
    )
    if replace:
        print(translate(language, "survey.replaced", year=args.year))
    missing = [t.name for t in organisation.teams if t.id not in results.units]
    left_out = [t.name for t in organisation.teams if t.id in results.units and not results.units[t.id].shown]
    if left_out:
        print(translate(language, "survey.left_out", units=", ".join(sorted(left_out, key=str.casefold))))
    if missing:
        print(translate(language, "survey.not_in_file", units=", ".join(sorted(missing, key=str.casefold))))
    return 0


def _confirmed(language: str, year: int) -> bool:
    """Ask on the terminal; no answer (stdin closed, as in a scheduled job) is a refusal that names --replace."""
    print(translate(language, "survey.confirm_replace", year=year), end="", flush=True)
    answer = sys.stdin.readline()
    if not answer:
        print()
        raise DomainError("survey.exists", year=year)
    return answer.strip().casefold() in translate(language, "survey.yes_words").split()


def survey_template(args: argparse.Namespace) -> int:
    """Write the file to fill in, with the organisation's units, and say how to import it."""
    language = console_language()
    organisation = _organisation(_database(args))
    path = Path(args.file)
    units = write_survey_template(path, organisation, language)
    year = args.year or datetime.now(zone_or_default(organisation.timezone)).year
    command = f"tyhy survey import {path} --year {year}"
    print(translate(language, "survey.template_written", path=str(path), units=units, command=command))
    return 0


def survey_show(args: argparse.Namespace) -> int:
    """The stored year: the whole organisation and every unit at or above the anonymity threshold."""
    language = console_language()
    db = _database(args)
    organisation = _organisation(db)
    repository = SurveyRepository(db)
    results = repository.get(organisation.id, args.year)
    imported_at = repository.imported_at(organisation.id, args.year)
    if results is None or imported_at is None:
        print(translate(language, "survey.show.none", year=args.year))
        return 0
    imported_on = imported_at.astimezone(zone_or_default(organisation.timezone)).date()
    print(survey_as_text(results, organisation, imported_on, language))
    return 0


def _database(args: argparse.Namespace) -> Database:
    return open_migrated(getattr(args, "database", None))


def _organisation(db: Database) -> Organisation:
    organisation = OrganisationRepository(db).get()
    if organisation is None:
        raise DomainError("cli.no_organisation")
    return organisation
