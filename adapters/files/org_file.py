"""Reading an organisation file (YAML or CSV) into line-numbered records for bot.org_import to check."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.errors import DomainError
from bot.org_import import OrgSpec, Record, build_org_spec

CSV_REQUIRED = ("unit", "name", "role")
CSV_MEMBER_FIELDS = ("name", "email", "role", "language", "slack_id", "teams_id")


def read_org_file(path: Path) -> OrgSpec:
    """The organisation described by a .yaml, .yml or .csv file, checked whole."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DomainError("org.file_not_found", path=str(path)) from None
    except OSError as error:
        raise DomainError("org.bad_file", reason=error.strerror or str(error)) from None
    try:
        text = raw.decode("utf-8-sig")  # Excel saves CSV with a byte-order mark
    except UnicodeDecodeError:
        raise DomainError("org.bad_file", reason="not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        return _from_csv(text)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _from_yaml(text)
    raise DomainError("org.bad_file", reason=f"{path.suffix or path.name}: use .yaml, .yml or .csv")


def _from_yaml(text: str) -> OrgSpec:
    try:
        # Composing, not loading: we keep each entry's line, and every value stays text, so a language
        # code like "no" or an id like 0123 is never turned into a boolean or a number.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:  # nesting hundreds deep: no organisation file looks like that
        raise DomainError("org.bad_file", reason="nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise DomainError("org.bad_file", reason=f"{where}{getattr(error, 'problem', None) or error}") from None
    if not isinstance(root, MappingNode):
        raise DomainError("org.bad_file", reason="expected sections organisation, units and members")
    sections = {_text(k): v for k, v in root.value}
    organisation = _record(sections["organisation"]) if "organisation" in sections else None
    units = [_record(node) for node in _items(sections.get("units"), "units")]
    members = [_record(node) for node in _items(sections.get("members"), "members")]
    return build_org_spec(organisation, units, members)


def _items(node: Node | None, section: str) -> list[Node]:
    if node is None or (isinstance(node, ScalarNode) and not node.value):
        return []
    if not isinstance(node, SequenceNode):
        raise DomainError("org.bad_file", reason=f"line {node.start_mark.line + 1}: {section} must be a list")
    return list(node.value)


def _record(node: Node) -> Record:
    line = node.start_mark.line + 1
    if not isinstance(node, MappingNode):
        raise DomainError("org.bad_file", reason=f"line {line}: expected fields such as name: …")
    fields: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = _text(key_node).strip().lower()
        if isinstance(value_node, SequenceNode):  # units: [a, b]
            fields[key] = ",".join(_text(item) for item in value_node.value)
        else:
            fields[key] = _text(value_node)
    if "units" in fields and "unit" not in fields:
        fields["unit"] = fields["units"]
    return Record(line, fields)


def _text(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    raise DomainError("org.bad_file", reason=f"line {node.start_mark.line + 1}: expected a single value")


def _from_csv(text: str) -> OrgSpec:
    try:
        # Finnish Excel writes semicolons; others write commas.
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module reads line ends itself, a lone "\r" (old Mac Excel) included.
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:  # the header row itself is broken (e.g. longer than a field may be)
        raise DomainError("org.bad_file", reason=f"line 1: {error}") from None
    for column in CSV_REQUIRED:
        if column not in header:
            raise DomainError("org.missing_column", row=1, column=column)
    reader.fieldnames = header
    units: dict[str, Record] = {}
    members: list[Record] = []
    try:
        for row in reader:
            line = reader.line_num
            fields = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
            _collect_unit(units, fields, line)
            if any(fields.get(f) for f in CSV_MEMBER_FIELDS):
                members.append(Record(line, fields))
    except csv.Error as error:
        raise DomainError("org.bad_file", reason=f"line {reader.line_num}: {error}") from None
    return build_org_spec(None, list(units.values()), members)


def _collect_unit(units: dict[str, Record], fields: dict[str, str], line: int) -> None:
    key = fields.get("unit", "")
    parent = fields.get("parent", "")
    if not key:
        return
    known = units.get(key.casefold())
    if known is None:
        units[key.casefold()] = Record(line, {"key": key, "name": fields.get("unit_name") or key, "parent": parent})
    elif parent and known.get("parent") and known.get("parent").casefold() != parent.casefold():
        raise DomainError("org.conflicting_parent", row=line, unit=key, parent=parent)
    elif parent and not known.get("parent"):
        units[key.casefold()] = Record(known.line, {**known.fields, "parent": parent})
