"""The annual calendar as a YAML file: written for the wellbeing officer to edit, read back checked whole, by line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.calendar import AnnualCalendar, CalendarStep, StepKind
from bot.errors import DomainError
from bot.i18n import translate

TOP_FIELDS = ("pulse_every_weeks", "send_hour", "steps")
STEP_FIELDS = ("key", "kind", "date", "after", "days", "units", "enabled")
MAX_OFFSET_DAYS = 365
MAX_KEY_LENGTH = 100  # calendar_steps.key is VARCHAR(100)
_KEY = re.compile(r"^[\w-]+$")  # letters (ä too), digits, _ and -: no commas, the units column joins with them
_DAY_MONTH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")  # 15.1. as Finns write it; 15.1 forgiven
INTEGER = re.compile(r"^[+-]?\d+$")  # what both the file and the dashboard's form take as a whole number
_PLAIN = re.compile(r"^[\w][\w.-]*$")  # text safe to write unquoted
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


# --- Writing -------------------------------------------------------------------------------------------------


def calendar_to_yaml(calendar: AnnualCalendar, language: str) -> str:
    """The calendar as the YAML that read_calendar reads, with a comment explaining the fields in `language`."""
    header = translate(language, "calendar_file.header", kinds=", ".join(kind.value for kind in StepKind))
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [f"pulse_every_weeks: {calendar.pulse_every_weeks}", f"send_hour: {calendar.send_hour}"]
    lines.append("steps:" if calendar.steps else "steps: []")
    for step in calendar.steps:
        lines += [f"  - key: {_scalar(step.key)}", f"    kind: {step.kind.value}"]
        if step.after is None:
            lines.append(f"    date: {step.day}.{step.month}.")
        else:
            lines += [f"    after: {_scalar(step.after)}", f"    days: {step.offset_days}"]
        if step.units:
            lines.append(f"    units: [{', '.join(_scalar(unit) for unit in step.units)}]")
        if not step.enabled:
            lines.append("    enabled: false")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar, so anything unusual is written that way.
    return text if _PLAIN.match(text) else json.dumps(text, ensure_ascii=False)


# --- Reading -------------------------------------------------------------------------------------------------


def read_calendar_file(path: Path, unit_keys: Iterable[str]) -> AnnualCalendar:
    """The calendar in a YAML file, checked whole against the organisation's unit keys before anything is saved."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DomainError("calendar_file.not_found", path=str(path)) from None
    except OSError as error:
        raise DomainError("calendar_file.unreadable", path=str(path), reason=error.strerror or str(error)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("calendar_file.not_utf8", path=str(path)) from None
    return parse_calendar(text, unit_keys)


def parse_calendar(text: str, unit_keys: Iterable[str]) -> AnnualCalendar:
    """The calendar in YAML text; the first problem found is raised as a DomainError naming its line."""
    root = _compose(text)
    units = {key.casefold(): key for key in unit_keys}
    top = _fields(root, TOP_FIELDS)
    weeks = _integer(_required(top, "pulse_every_weeks", root), "pulse_every_weeks")
    if not 0 <= weeks.value <= 52:
        raise DomainError("calendar_file.bad_cadence", line=weeks.line, weeks=weeks.value)
    hour = _integer(_required(top, "send_hour", root), "send_hour")
    if not 0 <= hour.value <= 23:
        raise DomainError("calendar_file.bad_hour", line=hour.line, hour=hour.value)
    steps = [_step(node, units) for node in _sequence(_required(top, "steps", root), "steps")]
    _check_keys_and_order(steps)
    # Everything AnnualCalendar refuses was checked above with its line; its own check stays as the last guard.
    return AnnualCalendar(tuple(s.step for s in steps), pulse_every_weeks=weeks.value, send_hour=hour.value)


@dataclass(frozen=True)
class _Int:
    value: int
    line: int


@dataclass(frozen=True)
class _ReadStep:
    step: CalendarStep
    line: int
    after_line: int


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _compose(text: str) -> MappingNode:
    try:
        # Composing, not loading: each value keeps its line, and stays text until we decide what it is.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        raise DomainError("calendar_file.not_yaml", line=line, reason=reason) from None
    if not isinstance(root, MappingNode):
        raise DomainError("calendar_file.not_a_calendar", line=_line(root) if root is not None else 1)
    return root


def _fields(node: MappingNode, allowed: tuple[str, ...]) -> dict[str, tuple[Node, Node]]:
    """The mapping's fields by name (key node, value node), refusing unknown and repeated ones."""
    found: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        name = _text(key_node, "").strip().lower()
        if name not in allowed:
            raise DomainError(
                "calendar_file.unknown_field", line=_line(key_node), field=name, allowed=", ".join(allowed)
            )
        if name in found:
            raise DomainError("calendar_file.duplicate_field", line=_line(key_node), field=name)
        found[name] = (key_node, value_node)
    return found


def _required(fields: dict[str, tuple[Node, Node]], name: str, owner: Node) -> Node:
    if name not in fields:
        raise DomainError("calendar_file.missing_field", line=_line(owner), field=name)
    return fields[name][1]


def _text(node: Node, field: str) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    raise DomainError("calendar_file.expected_value", line=_line(node), field=field)


def _integer(node: Node, field: str) -> _Int:
    text = _text(node, field).strip()
    if not INTEGER.match(text):
        raise DomainError("calendar_file.not_a_number", line=_line(node), field=field, value=text)
    return _Int(int(text), _line(node))


def _sequence(node: Node, field: str) -> list[Node]:
    if isinstance(node, ScalarNode) and node.value == "" and node.tag.endswith(":null"):
        return []  # "steps:" with nothing under it
    if not isinstance(node, SequenceNode):
        raise DomainError("calendar_file.expected_list", line=_line(node), field=field)
    return list(node.value)


def _step(node: Node, units: dict[str, str]) -> _ReadStep:
    if not isinstance(node, MappingNode):
        raise DomainError("calendar_file.expected_step", line=_line(node))
    fields = _fields(node, STEP_FIELDS)
    key = _text(_required(fields, "key", node), "key").strip()
    if not _KEY.match(key) or len(key) > MAX_KEY_LENGTH:
        raise DomainError("calendar_file.bad_key", line=_line(fields["key"][1]), step=key)
    kind_node = _required(fields, "kind", node)
    kind_text = _text(kind_node, "kind").strip().lower()
    if kind_text not in {k.value for k in StepKind}:
        kinds = ", ".join(k.value for k in StepKind)
        raise DomainError("calendar_file.unknown_kind", line=_line(kind_node), kind=kind_text, kinds=kinds)
    when = _when(fields, node, key)
    enabled = True
    if "enabled" in fields:
        value_node = fields["enabled"][1]
        text = _text(value_node, "enabled").strip().lower()
        if text not in _BOOLEANS:
            raise DomainError("calendar_file.not_a_boolean", line=_line(value_node), field="enabled", value=text)
        enabled = _BOOLEANS[text]
    step = CalendarStep(
        key,
        StepKind(kind_text),
        month=when.month,
        day=when.day,
        after=when.after,
        offset_days=when.days,
        units=_units(fields["units"][1], units) if "units" in fields else (),
        enabled=enabled,
    )
    return _ReadStep(step, _line(node), when.after_line)


@dataclass(frozen=True)
class _When:
    month: int | None = None
    day: int | None = None
    after: str | None = None
    days: int = 0
    after_line: int = 0


def _when(fields: dict[str, tuple[Node, Node]], node: Node, key: str) -> _When:
    """A fixed day (date: 15.1.) or a number of days after another step (after: survey, days: 28)."""
    if "date" in fields and "after" in fields:
        raise DomainError("calendar_file.date_and_after", line=_line(fields["after"][0]), step=key)
    if "date" in fields:
        if "days" in fields:
            raise DomainError("calendar_file.days_without_after", line=_line(fields["days"][0]), step=key)
        date_node = fields["date"][1]
        text = _text(date_node, "date").strip()
        day_month = day_and_month(text)
        if day_month is None:
            raise DomainError("calendar_file.bad_date", line=_line(date_node), step=key, date=text)
        return _When(month=day_month[1], day=day_month[0])
    if "after" not in fields:
        raise DomainError("calendar_file.no_date", line=_line(node), step=key)
    after_node = fields["after"][1]
    days = _integer(_required(fields, "days", node), "days")
    if abs(days.value) > MAX_OFFSET_DAYS:
        raise DomainError("calendar_file.bad_days", line=days.line, days=days.value, max=MAX_OFFSET_DAYS)
    return _When(after=_text(after_node, "after").strip(), days=days.value, after_line=_line(after_node))


def day_and_month(text: str) -> tuple[int, int] | None:
    """A fixed day of the year as Finns write it (15.1.), as (day, month); None when it is not a real day."""
    match = _DAY_MONTH.match(text.strip())
    if match is None or not _real_day(int(match[1]), int(match[2])):
        return None
    return int(match[1]), int(match[2])


def _real_day(day: int, month: int) -> bool:
    try:
        date(2024, month, day)  # a leap year: 29.2. is allowed and falls on 28.2. in other years
    except ValueError:
        return False
    return True


def _units(node: Node, known: dict[str, str]) -> tuple[str, ...]:
    """Unit keys as a list ([a, b]) or one text (a, b), each one a unit of the organisation."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    keys: list[str] = []
    for item in items:
        for part in _text(item, "units").split(","):
            wanted = part.strip()
            if not wanted:
                continue
            if wanted.casefold() not in known:
                names = ", ".join(sorted(known.values())) or "-"
                raise DomainError("calendar_file.unknown_unit", line=_line(item), unit=wanted, known=names)
            if known[wanted.casefold()] not in keys:
                keys.append(known[wanted.casefold()])
    return tuple(keys)


def _check_keys_and_order(steps: list[_ReadStep]) -> None:
    """Step keys unique; every `after` names a step; no step follows itself round a loop."""
    lines: dict[str, int] = {}
    for read in steps:
        if read.step.key in lines:
            raise DomainError(
                "calendar_file.duplicate_step", line=read.line, step=read.step.key, first=lines[read.step.key]
            )
        lines[read.step.key] = read.line
    by_key = {read.step.key: read for read in steps}
    for read in steps:
        after = read.step.after
        if after is not None and after not in by_key:
            raise DomainError("calendar_file.unknown_after", line=read.after_line, step=read.step.key, after=after)
    for read in steps:
        chain = [read.step.key]
        current = read.step
        while current.after is not None:
            chain.append(current.after)
            if current.after == read.step.key:
                raise DomainError("calendar_file.cycle", line=read.after_line, chain=" → ".join(chain))
            if chain.count(current.after) > 1:
                break  # a loop further down the chain: reported at a step that is part of it
            current = by_key[current.after].step
