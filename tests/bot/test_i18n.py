"""The message catalogs: complete and consistent in fi, sv and en, and holding every key the code uses."""

from __future__ import annotations

import ast
import re
import string
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot import i18n
from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES, catalog_files, catalog_path, messages, normalise_language, translate
from tests.paths import ROOT

SCANNED_FOLDERS = ("bot", "storage", "scheduler", "adapters")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$")


CATALOG_FILES = [(language, path) for language in SUPPORTED_LANGUAGES for path in catalog_files(language)]


def read_catalog(language: str, path: Path | None = None) -> Catalog:
    with (path or catalog_path(language)).open("rb") as file:
        return read_po(file, locale=language)


def entries(language: str) -> Iterator[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every message of every file but the headers, untouched by runtime filtering."""
    for path in catalog_files(language):
        for message in read_catalog(language, path):
            if message.id:
                assert isinstance(message.id, str) and isinstance(message.string, str), f"{path}: plural {message.id}"
                yield message.id, message.string, message.fuzzy


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


ALL_KEYS = sorted({key for language in SUPPORTED_LANGUAGES for key, _, _ in entries(language)})


@pytest.mark.lint
@pytest.mark.parametrize(("language", "path"), CATALOG_FILES, ids=lambda v: getattr(v, "name", v))
def test_the_header_names_the_language_and_utf8(language: str, path: Path) -> None:
    catalog = read_catalog(language, path)
    assert str(catalog.locale) == language
    assert catalog.charset.lower() == "utf-8"


@pytest.mark.lint
@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_fuzzy_empty_or_untranslated_entries(language: str) -> None:
    problems = [
        key
        for key, text, fuzzy in entries(language)
        if fuzzy or not text.strip() or text == key or not KEY_PATTERN.match(key)
    ]
    assert problems == []


@pytest.mark.lint
def test_every_language_has_the_same_catalog_files() -> None:
    names = {language: [p.name for p in catalog_files(language)] for language in SUPPORTED_LANGUAGES}
    assert names["sv"] == names["fi"] and names["en"] == names["fi"]


@pytest.mark.lint
@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_duplicate_or_obsolete_entries(language: str) -> None:
    # Babel keeps the last of two equal msgids without a word, so the raw files are counted instead.
    lines = [line for path in catalog_files(language) for line in path.read_text(encoding="utf-8").splitlines()]
    msgids = Counter(re.findall(r'^msgid "(.+)"$', "\n".join(lines), flags=re.MULTILINE))
    assert [key for key, count in msgids.items() if count > 1] == []
    assert [line for line in lines if line.startswith("#~")] == []


@pytest.mark.lint
@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_has_every_key(language: str) -> None:
    assert sorted(messages(language)) == ALL_KEYS


# One test per rule over every key, naming each key that breaks it: the catalogs' lint counts as a handful of tests,
# not as a thousand, so the suite's count says how much behaviour is checked.
@pytest.mark.lint
def test_placeholders_are_the_same_in_every_language() -> None:
    differing = {}
    for key in ALL_KEYS:
        found = {language: placeholders(messages(language)[key]) for language in SUPPORTED_LANGUAGES}
        if found["sv"] != found["fi"] or found["en"] != found["fi"]:
            differing[key] = found
    assert not differing


@pytest.mark.lint
def test_placeholders_are_plain_names_and_every_message_formats() -> None:
    problems = [problem for key in ALL_KEYS for problem in _format_problems(key)]
    assert not problems


def _format_problems(key: str) -> Iterator[str]:
    for language in SUPPORTED_LANGUAGES:
        text = messages(language)[key]
        for _, name, spec, conversion in string.Formatter().parse(text):
            # Positional fields, attribute access or format specs would break with the params callers send.
            if name is not None and not name.isidentifier():
                yield f"{language}:{key}: {{{name}}} is not a plain name"
            if spec or conversion is not None:
                yield f"{language}:{key}: {{{name}}} has a format spec or conversion"
        filled = translate(language, key, **dict.fromkeys(placeholders(text), "X"))
        if "{" in filled or "}" in filled:
            yield f"{language}:{key}: braces left after formatting"


# --- Every key the code names literally must be in the catalogs -------------------------------------------


def used_keys(path: Path) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Literal keys (key, line) in DomainError(...) / translate(lang, ...) calls, and f-string key prefixes."""
    keys: list[tuple[str, int]] = []
    prefixes: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        position = {"DomainError": 0, "translate": 1}.get(name or "")
        if position is None:
            continue
        argument = node.args[position] if len(node.args) > position else None
        argument = argument or next((k.value for k in node.keywords if k.arg == "key"), None)
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            keys.append((argument.value, node.lineno))
        elif isinstance(argument, ast.JoinedStr) and argument.values:
            head = argument.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                prefixes.append((head.value, node.lineno))
    return keys, prefixes


def scanned_files() -> list[Path]:
    return sorted(path for folder in SCANNED_FOLDERS for path in ROOT.joinpath(folder).rglob("*.py"))


@pytest.mark.lint
def test_every_key_used_in_the_code_is_in_the_catalogs() -> None:
    known = set(ALL_KEYS)
    missing = []
    for path in scanned_files():
        keys, prefixes = used_keys(path)
        where = path.relative_to(ROOT)
        missing += [f"{where}:{line}: {key}" for key, line in keys if key not in known]
        # f"role.{member.role.value}": at least the family of keys must exist (the full set is tested where
        # the enum lives, e.g. test_questions checks every Dimension).
        missing += [
            f"{where}:{line}: {prefix}…" for prefix, line in prefixes if not any(k.startswith(prefix) for k in known)
        ]
    assert missing == []


def test_the_scan_finds_keys_in_every_call_shape(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from bot import errors, i18n\n"
        "raise DomainError('a.one', x=1)\n"
        "errors.DomainError(key='a.two')\n"
        "i18n.translate(\n    language,\n    'a.three',\n)\n"
        "translate(language, f'role.{role}')\n"
        "translate(language, key)\n"  # not literal: nothing to check
    )
    keys, prefixes = used_keys(sample)
    assert sorted(keys) == [("a.one", 2), ("a.three", 4), ("a.two", 3)]
    assert prefixes == [("role.", 8)]


def test_every_role_and_action_status_has_a_name() -> None:
    from bot.organisation import Role
    from bot.plan import ActionStatus

    wanted = {f"role.{role.value}" for role in Role} | {f"action.status.{status.value}" for status in ActionStatus}
    assert wanted - set(ALL_KEYS) == set()


# --- translate() and normalise_language() -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fi", "fi"),
        ("fi-FI", "fi"),
        ("fi_FI.UTF-8", "fi"),
        ("sv_SE", "sv"),
        ("sv-FI", "sv"),
        ("EN", "en"),
        ("en-GB", "en"),
        (" en-us ", "en"),
        ("de-DE", None),
        ("C.UTF-8", None),
        ("", None),
        (None, None),
        ("finnish", None),
    ],
)
def test_platform_locales_map_to_our_languages(code: str | None, expected: str | None) -> None:
    assert normalise_language(code) == expected


def test_an_unknown_language_falls_back_to_finnish_and_locales_are_understood() -> None:
    assert translate("de", "role.supervisor") == translate("fi", "role.supervisor") == "esihenkilö"
    assert translate("sv-FI", "role.supervisor") == translate("sv", "role.supervisor")


def test_a_missing_key_is_loud_never_the_raw_key() -> None:
    with pytest.raises(LookupError, match=r"no\.such_key"):
        translate("en", "no.such_key")


def test_a_missing_placeholder_does_not_crash_and_extra_params_are_ignored() -> None:
    assert "{max}" in translate("en", "plan.too_many_targets")
    assert "3" in translate("en", "plan.too_many_targets", max=3, unused="x")


def test_domain_errors_speak_every_language_with_finnish_dates() -> None:
    error = DomainError("plan.follow_up_too_late", due=date(2027, 1, 15))
    assert "15.1.2027" in error.message("fi") and "15.1.2027" in error.message("sv")
    assert "15 Jan 2027" in error.message("en") and str(error) == error.message("en")


def test_a_placeholder_may_be_called_language_or_key() -> None:
    # translate(language, key, /, **params): a {language} param must not collide with the language argument.
    assert "de" in DomainError("org.bad_language", row=4, language="de").message("sv")
    assert translate("en", "cli.serving", url="u", key="k", language="x") == translate("en", "cli.serving", url="u")


def test_each_catalog_is_read_once_even_when_threads_race(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalogs", {})
    real_load = i18n._load
    loads: list[str] = []
    start = threading.Barrier(8)

    def counting_load(language: str) -> Mapping[str, str]:
        loads.append(language)
        return real_load(language)

    monkeypatch.setattr(i18n, "_load", counting_load)

    def worker() -> None:
        start.wait()
        translate("sv", "role.staff")

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["sv"]
