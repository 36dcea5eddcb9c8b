"""Message catalogs: gettext .po files per language, read with Babel on first use, formatted with str.format."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"  # Finnish first (DOMAIN.md): also the fallback for any language we do not speak
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "tyhy"

# Platform locales come as "fi-FI" (Slack, Teams), "sv_SE.UTF-8@euro" (POSIX) or "EN": the first subtag decides.
_SUBTAG_SEPARATORS = re.compile(r"[-_.@]")

_lock = threading.Lock()
_catalogs: dict[str, Mapping[str, str]] = {}


def normalise_language(code: str | None) -> str | None:
    """fi, sv or en for a platform locale such as "fi-FI", "sv_SE" or "EN"; None for anything else."""
    if not code:
        return None
    primary = _SUBTAG_SEPARATORS.split(code.strip(), maxsplit=1)[0].lower()
    return primary if primary in SUPPORTED_LANGUAGES else None


def catalog_path(language: str) -> Path:
    """Where the main .po file of a supported language lives."""
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_files(language: str) -> list[Path]:
    """Every .po file of a language: the main one and one per conversation flow, so flows are translated apart."""
    return sorted(catalog_path(language).parent.glob("*.po"))


def _load(language: str) -> Mapping[str, str]:
    messages: dict[str, str] = {}
    for path in catalog_files(language):
        with path.open("rb") as file:
            catalog = read_po(file, locale=language, domain=path.stem, ignore_obsolete=True)
        for message in catalog:
            if not (message.id and isinstance(message.id, str) and isinstance(message.string, str)):
                continue
            if message.id in messages:
                raise ValueError(f"{path.name}: {message.id} is defined in another {language} catalog too")
            # Like msgfmt: fuzzy and empty entries are not translations yet, so they count as missing.
            if message.string and not message.fuzzy:
                messages[message.id] = message.string
    return MappingProxyType(messages)


def messages(language: str) -> Mapping[str, str]:
    """Every message of a language (unknown languages get Finnish), read once and then cached."""
    language = normalise_language(language) or DEFAULT_LANGUAGE
    cached = _catalogs.get(language)
    if cached is not None:
        return cached
    # Handlers run on several threads (outbox workers, the web server): read each file only once.
    with _lock:
        cached = _catalogs.get(language)
        if cached is None:
            cached = _catalogs[language] = _load(language)
    return cached


class _Params(dict[str, object]):
    """The params given; a placeholder without a value stays visible instead of crashing the reply."""

    key = ""

    def __missing__(self, name: str) -> str:
        logger.warning("message %s has no value for {%s}", self.key, name)
        return "{" + name + "}"


def translate(language: str, key: str, /, **params: object) -> str:
    """The message `key` in `language`, its {placeholders} filled from `params`.

    `language` and `key` are positional-only so that messages may have placeholders of those names
    (org.bad_language takes {language}).

    Raises LookupError when the catalog lacks the key: the catalog tests guarantee completeness, and a raw
    dotted key shown to a person would be worse than a loud failure.
    """
    language = normalise_language(language) or DEFAULT_LANGUAGE
    try:
        text = messages(language)[key]
    except KeyError:
        raise LookupError(f"no message {key!r} in the {language} catalog") from None
    values = _Params(params)
    values.key = key
    return text.format_map(values)
