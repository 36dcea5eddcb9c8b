"""Fuzzing the organisation importer: any file text or records give an organisation or an "org.*" error message."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Final

import yaml
from hypothesis import strategies as st

from adapters.files.org_file import read_org_file
from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES
from bot.org_import import ROLE_WORDS, OrgSpec, Record, build_org_spec
from faults.cases import CaseFailed, LogWatch, fuzz, messy_text, short_text

# fmt: off
_FIELD_NAMES: Final = (
    "key", "name", "parent", "unit", "units", "unit_name", "role", "email", "language", "timezone", "slack_id",
    "teams_id", "anonymity_threshold", "Name", " ROLE ", "",
)
# fmt: on
_UNIT_KEYS: Final = ("perusturva", "kotihoito", "Kotihoito", "ruoka", "")
# fmt: off
_FIELD_VALUES: Final = (
    *_UNIT_KEYS, "kotihoito, ruoka", "a;b|c", *list(ROLE_WORDS)[:6], "Supervisor", "wellbeing-officer", "boss",
    "anna@example.fi", "ANNA@example.fi", "not an email", "a@b", "fi", "SV", "de", "Europe/Helsinki",
    "Mars/Olympus", "../../etc", "U0001", "29:abc", "0", "3", "999", "-1",
    "٣",  # a digit to str.isdigit, not to int()
    "²", "Anna Korhonen",
)
# fmt: on

# PyYAML is pure Python here and reads about a megabyte a second: huge values are a few, not one in three.
value = st.one_of(st.sampled_from(_FIELD_VALUES), short_text())
big_value = st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3), st.integers(1, 5_000))
fields = st.dictionaries(st.sampled_from(_FIELD_NAMES), value, max_size=4)
extra_fields = st.dictionaries(st.sampled_from(_FIELD_NAMES), value, max_size=1)
records = st.builds(Record, st.integers(0, 10_000), fields)
# A plausible unit and member, so that the later checks (duplicates, cycles, contacts) are reached too.
unit_records = st.builds(
    lambda key, parent, extra: Record(1, {"key": key, "parent": parent, **extra}),
    st.sampled_from(_UNIT_KEYS),
    st.sampled_from(_UNIT_KEYS),
    extra_fields,
)
member_records = st.builds(
    lambda name, role, unit, contact, extra: Record(2, {"name": name, "role": role, "unit": unit, **contact, **extra}),
    st.sampled_from(("Anna", "Ahmed", "")),
    st.sampled_from((*list(ROLE_WORDS), "boss")),
    st.sampled_from(_UNIT_KEYS),
    st.dictionaries(st.sampled_from(("email", "slack_id", "teams_id")), st.sampled_from(_FIELD_VALUES), max_size=2),
    extra_fields,
)
record_sets = st.tuples(
    st.one_of(st.none(), records),
    st.lists(st.one_of(unit_records, records), max_size=3),
    st.lists(st.one_of(member_records, records), max_size=3),
)


def _as_yaml(document: Any) -> str:
    # libyaml's emitter when there is one: the pure Python one made writing the files cost more than reading them.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False)


# fmt: off
_SYNTAX: Final = (
    "units:\n", "members:\n", "  - ", "- {", "}", "[", "]", ": ", "? ", "&a ", "*a", "!!python/object:os.system ",
    "---\n", "...\n", "\t", "'", '"', "#", "|\n", ">-\n", "%YAML 1.1\n", "\n", "name: x\n", "<<: *a\n",
)
# fmt: on


def _yaml_texts() -> st.SearchStrategy[str]:
    """Organisation files: well-formed YAML of random sections, syntax soup, deep nesting, and plain noise."""
    leaf = st.one_of(value, big_value, st.none(), st.integers(), st.booleans())
    entry = st.one_of(st.dictionaries(st.sampled_from(_FIELD_NAMES), st.one_of(leaf, st.lists(leaf, max_size=3))), leaf)
    section = st.one_of(st.lists(entry, max_size=4), entry)
    document = st.one_of(
        st.dictionaries(st.sampled_from(("organisation", "units", "members", "other", "")), section, max_size=4),
        st.lists(entry, max_size=3),
        leaf,
    )
    soup = st.lists(st.one_of(st.sampled_from(_SYNTAX), messy_text(10, huge=False)), max_size=12).map("".join)
    # Nesting deeper than anyone writes by hand, as a generated or hostile file can.
    deep = st.builds(
        lambda prefix, opener, depth: prefix + opener * depth,
        st.sampled_from(("", "units: ", "members:\n  - ")),
        st.sampled_from(("[", "{a: ", "- ", "? ")),
        st.integers(1, 600),  # past PyYAML's recursion (about 450 levels); its scanner is quadratic in depth
    )
    return st.one_of(document.map(_as_yaml), soup, deep, messy_text(200, huge=False))


def _csv_texts() -> st.SearchStrategy[str]:
    """Spreadsheets saved as CSV: any header and rows, any of the delimiters, quoting gone wrong, huge fields."""
    cell = st.one_of(st.sampled_from((*_FIELD_VALUES, *_FIELD_NAMES, '"', '""')), st.text(max_size=10))
    delimiter = st.sampled_from((",", ";", "\t", "|", " "))
    rows = st.lists(st.lists(cell, max_size=6), max_size=5)
    table = st.builds(lambda d, rs: "\n".join(d.join(r) for r in rs), delimiter, rows)
    header = st.builds(lambda d, names: d.join(names), delimiter, st.permutations(["unit", "name", "role", "email"]))
    # Past csv's field limit (131,072 characters) when it is one quoted field: spreadsheets do hold such cells.
    enormous = st.builds(lambda piece, times: piece * times, st.characters(), st.integers(1, 140_000))
    return st.builds(lambda h, body: f"{h}\n{body}", st.one_of(header, cell, enormous), table)


def _explained(error: DomainError, logged: LogWatch) -> None:
    """A refusal must be an org.* message that every language can tell in full."""
    if not error.key.startswith("org."):
        raise CaseFailed(f"refused with {error.key!r}, not an org.* message") from error
    for language in SUPPORTED_LANGUAGES:
        if not error.message(language).strip():
            raise CaseFailed(f"{error.key} has an empty {language} message") from error
    if logged.records:
        raise CaseFailed(f"{error.key} left a placeholder unfilled: {logged.records[0].getMessage()}") from error


def _spec_is_whole(spec: OrgSpec) -> None:
    if not spec.units or not spec.members:
        raise CaseFailed("an organisation without units or members was accepted")
    keys = {unit.key.casefold() for unit in spec.units}
    for member in spec.members:
        if not set(unit.casefold() for unit in member.unit_keys) <= keys:
            raise CaseFailed(f"{member.name} belongs to a unit the file does not have")


def _read_files(suffix: str, texts: st.SearchStrategy[str]) -> int:
    """read_org_file on 10,000 generated files with the given suffix."""
    with tempfile.TemporaryDirectory(prefix="tyhy-fuzz-org-") as directory:
        path = Path(directory) / f"organisation{suffix}"

        def check(text: str) -> None:
            path.write_text(text, encoding="utf-8")
            with LogWatch("bot.i18n") as logged:
                try:
                    spec = read_org_file(path)
                except DomainError as error:
                    _explained(error, logged)
                    return
            _spec_is_whole(spec)

        return fuzz(texts, check)


def yaml_files() -> int:
    """The YAML reader: well-formed documents of any shape, YAML syntax soup, noise."""
    return _read_files(".yaml", _yaml_texts())


def csv_files() -> int:
    """The CSV reader: any header and rows, delimiters, broken quoting, oversized cells."""
    return _read_files(".csv", _csv_texts())


def org_records() -> int:
    """build_org_spec on 10,000 sets of records (what both file readers hand it)."""

    def check(example: tuple[Record | None, list[Record], list[Record]]) -> None:
        with LogWatch("bot.i18n") as logged:
            try:
                spec = build_org_spec(*example)
            except DomainError as error:
                _explained(error, logged)
                return
        _spec_is_whole(spec)

    return fuzz(record_sets, check)
