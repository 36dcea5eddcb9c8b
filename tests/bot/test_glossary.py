"""The glossary (docs/glossary.md) holds: the catalogs and the Slack manifest use its terms, not the forms to avoid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n import SUPPORTED_LANGUAGES, catalog_files
from tests.paths import ROOT

pytestmark = pytest.mark.lint  # the catalogs' words, not behaviour: counted apart in the summary

GLOSSARY = ROOT / "docs" / "glossary.md"
SLACK_MANIFEST = ROOT / "adapters" / "slack" / "manifest.yml"
READABLE_MANIFEST_FIELDS = {"name", "description", "long_description", "usage_hint", "display_name"}
COLUMNS = ("concept", "fi", "sv", "en", "avoid_fi", "avoid_sv", "avoid_en")

# Messages where an avoided word legitimately means something else: (language, msgid, avoided form).
ALLOWED: set[tuple[str, str, str]] = set()

# Words that look like code (snake_case) but are what the reader types: the calendar's YAML keys, shown only in
# the advanced YAML view's error messages.
CODE_NAME = re.compile(r"(?<![\w{./:-])[a-z]+(?:_[a-z]+)+(?![\w}])")
ALLOWED_CODE_NAMES = {"pulse_every_weeks", "send_hour"}


@dataclass(frozen=True)
class Concept:
    name: str
    terms: dict[str, list[str]]
    avoid: dict[str, list[str]]


@dataclass(frozen=True)
class Text:
    language: str
    where: str
    key: str
    text: str


def forms(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def read_glossary() -> list[Concept]:
    """The rows of the glossary's table of terms."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Terms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # header and its rule
    concepts = []
    for row in rows:
        cells = dict(zip(COLUMNS, (cell.strip() for cell in row.strip().strip("|").split("|")), strict=True))
        concepts.append(
            Concept(
                name=cells["concept"],
                terms={language: forms(cells[language]) for language in SUPPORTED_LANGUAGES},
                avoid={language: forms(cells[f"avoid_{language}"]) for language in SUPPORTED_LANGUAGES},
            )
        )
    return concepts


def pattern(form: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive match of `form`; a trailing * stands for any ending."""
    stem, any_ending = (form[:-1], True) if form.endswith("*") else (form, False)
    body = re.escape(stem) + (r"\w*" if any_ending else "")
    # A placeholder such as {dimension} is not the word "dimension": braces count as part of a word here.
    return re.compile(r"(?<![\w{])" + body + r"(?![\w}])", re.IGNORECASE)


def catalog_texts(language: str) -> Iterator[Text]:
    for path in catalog_files(language):
        with path.open("rb") as file:
            for message in read_po(file, locale=language):
                if message.id and isinstance(message.string, str):
                    yield Text(language, path.name, str(message.id), message.string)


def manifest_strings(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for name, value in node.items():
            yield from manifest_strings(value, f"{key}.{name}" if key else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from manifest_strings(value, f"{key}[{index}]")
    elif isinstance(node, str):
        yield key, node


def manifest_texts() -> Iterator[Text]:
    """What a person reads in the Slack manifest (English only): names, descriptions, hints; not URLs or scopes."""
    manifest = yaml.safe_load(SLACK_MANIFEST.read_text(encoding="utf-8"))
    for section in ("display_information", "features"):
        for key, text in manifest_strings(manifest[section], section):
            if key.rsplit(".", 1)[-1] in READABLE_MANIFEST_FIELDS:
                yield Text("en", SLACK_MANIFEST.name, key, text)


def texts(language: str) -> list[Text]:
    return [*catalog_texts(language), *(manifest_texts() if language == "en" else ())]


CONCEPTS = read_glossary()


def test_the_glossary_has_the_concepts_the_issue_names() -> None:
    names = " ".join(concept.name.lower() for concept in CONCEPTS)
    for concept in ("dimension", "target", "goal", "wellbeing officer", "agreed", "percentage points", "method"):
        assert concept in names
    for concept in CONCEPTS:
        assert all(concept.terms[language] or concept.avoid[language] for language in SUPPORTED_LANGUAGES), concept


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_catalog_uses_a_form_to_avoid(language: str) -> None:
    found = [
        f"{text.where} {text.key}: {form!r} in {text.text!r}"
        for concept in CONCEPTS
        for form in concept.avoid[language]
        for text in texts(language)
        if pattern(form).search(text.text) and (language, text.key, form) not in ALLOWED
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_term_of_the_glossary_is_used(language: str) -> None:
    everything = "\n".join(text.text for text in texts(language))
    unused = [
        f"{concept.name}: {concept.terms[language]}"
        for concept in CONCEPTS
        if concept.terms[language] and not any(pattern(form).search(everything) for form in concept.terms[language])
    ]
    assert not unused


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_code_names_in_sentences(language: str) -> None:
    found = [
        f"{text.where} {text.key}: {name!r} in {text.text!r}"
        for text in texts(language)
        for name in CODE_NAME.findall(text.text)
        if name not in ALLOWED_CODE_NAMES
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("form", "text", "expected"),
    [
        ("ulottuvuu*", "Pulssitulokset ulottuvuuksittain", True),
        ("ulottuvuu*", "Osa-alue", False),
        ("dimension*", "{dimension} – {value}", False),
        ("dimension*", "Dimensioner: {names}", True),
        ("kpl", "{count} kpl", True),
        ("kpl", "kplus", False),
        ("st.", "({count} st.)", True),
        ("st.", "rast.", False),
        ("tiimin {team}", "Tiimin {team} tulokset", True),
        ("tiimin {team}", "{team}-tiimin tulokset", False),
    ],
)
def test_a_form_matches_whole_words_case_insensitively(form: str, text: str, expected: bool) -> None:
    assert bool(pattern(form).search(text)) is expected
