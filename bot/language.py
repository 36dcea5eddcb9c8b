"""Which language to speak to a person, and switching it with `kieli sv`, `språk fi` or `language en`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from bot.commands import fold
from bot.errors import DomainError
from bot.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalise_language
from bot.organisation import Member, Organisation, Team

# Language names as people write them, in each of the three languages (folded).
LANGUAGE_WORDS = {
    "suomi": "fi",
    "suomeksi": "fi",
    "finska": "fi",
    "finnish": "fi",
    "ruotsi": "sv",
    "ruotsiksi": "sv",
    "svenska": "sv",
    "swedish": "sv",
    "englanti": "en",
    "englanniksi": "en",
    "engelska": "en",
    "english": "en",
}


def resolve_language(
    *,
    member: Member | None = None,
    platform_locale: str | None = None,
    team: Team | None = None,
    organisation: Organisation | None = None,
) -> str:
    """The person's own choice first, then the platform's locale, then the team's, then the organisation's."""
    for candidate in (
        member.language if member else None,
        platform_locale,
        team.language if team else None,
        organisation.language if organisation else None,
    ):
        language = normalise_language(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def channel_languages(team: Team, members: Iterable[Member], organisation: Organisation | None) -> tuple[str, ...]:
    """What a team's channel is written in: the team's language when set; else the language most of its members
    speak, and a second one too when at least a quarter of them speak it (a bilingual team reads both)."""
    default = resolve_language(team=team, organisation=organisation)
    if normalise_language(team.language) is not None:
        return (default,)
    spoken = Counter(normalise_language(member.language) or default for member in members)
    if not spoken:
        return (default,)
    ranked = spoken.most_common(2)
    everyone = sum(spoken.values())
    return tuple(language for i, (language, count) in enumerate(ranked) if i == 0 or count * 4 >= everyone)


def language_from_word(word: str) -> str:
    """fi, sv or en from a code or a language's name; refuses anything else with the choices."""
    folded = fold(word.strip())
    language = LANGUAGE_WORDS.get(folded) or (folded if folded in SUPPORTED_LANGUAGES else None)
    language = language or normalise_language(folded)
    if language is None:
        raise DomainError("language.unknown", given=word.strip(), choices=", ".join(SUPPORTED_LANGUAGES))
    return language


class LanguageStore(Protocol):
    """Where a person's chosen language is kept."""

    def set_member_language(self, member_id: int, language: str | None) -> None: ...


def switch_language(store: LanguageStore, member: Member, word: str) -> str:
    """Save the person's new language and return it; an unknown word changes nothing."""
    language = language_from_word(word)
    store.set_member_language(member.id, language)
    return language
