"""A person's language: their own choice, the platform's locale, the team's, the organisation's; and switching it."""

from __future__ import annotations

import pytest

from bot.errors import DomainError
from bot.i18n import translate
from bot.language import resolve_language, switch_language
from bot.organisation import Member, Organisation, Team
from storage.db import Database
from storage.org_repository import OrganisationRepository
from tests.storage_helpers import make_org

ORG = Organisation(1, "Kunta", language="fi")
SWEDISH_TEAM = Team(1, "vanhus", "Vanhuspalvelut", language="sv")


@pytest.mark.parametrize(
    ("member_language", "locale", "team", "expected"),
    [
        ("en", "sv-FI", SWEDISH_TEAM, "en"),  # the person's own choice wins
        (None, "sv-SE", None, "sv"),  # then the platform's locale
        (None, "de-DE", SWEDISH_TEAM, "sv"),  # a locale we do not speak falls through to the team
        (None, None, Team(2, "koti", "Kotihoito"), "fi"),  # a team without a language: the organisation's
        (None, None, None, "fi"),
    ],
)
def test_language_is_resolved_in_order(
    member_language: str | None, locale: str | None, team: Team | None, expected: str
) -> None:
    member = Member(1, "Aino", language=member_language)
    assert resolve_language(member=member, platform_locale=locale, team=team, organisation=ORG) == expected


def test_an_english_organisation_without_other_hints_speaks_english() -> None:
    assert resolve_language(organisation=Organisation(1, "Firm", language="en")) == "en"


@pytest.mark.parametrize(
    ("word", "expected"), [("sv", "sv"), ("SV", "sv"), ("svenska", "sv"), ("suomi", "fi"), ("English", "en")]
)
def test_switching_saves_the_choice(db: Database, word: str, expected: str) -> None:
    make_org(db, {"koti": 3})
    repo = OrganisationRepository(db)
    member = repo.members()[0]
    assert switch_language(repo, member, word) == expected
    saved = repo.member(member.id)
    assert saved is not None and saved.language == expected
    assert resolve_language(member=saved, platform_locale="fi-FI", organisation=ORG) == expected


def test_an_unknown_language_is_refused_in_the_persons_language_and_nothing_changes(db: Database) -> None:
    make_org(db, {"koti": 3})
    repo = OrganisationRepository(db)
    member = repo.members()[0]
    with pytest.raises(DomainError) as raised:
        switch_language(repo, member, "klingon")
    assert "klingon" in raised.value.message("fi") and "fi, sv, en" in raised.value.message("sv")
    assert repo.member(member.id).language is None  # type: ignore[union-attr]


def test_the_confirmation_is_written_in_the_new_language() -> None:
    assert "suomea" in translate("fi", "language.changed")
    assert "svenska" in translate("sv", "language.changed")
