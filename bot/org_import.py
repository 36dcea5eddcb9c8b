"""Validating an organisation file's records (units, members) into an OrgSpec, naming the line of any problem."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.anonymity import validate_threshold
from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES
from bot.organisation import Role


@dataclass(frozen=True)
class Record:
    """One unit or member as read from a file: its fields as text, and the line it starts on."""

    line: int
    fields: Mapping[str, str]

    def get(self, name: str) -> str:
        """The field's text, stripped; empty when absent."""
        return (self.fields.get(name) or "").strip()


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    parent_key: str | None
    timezone: str | None
    language: str | None


@dataclass(frozen=True)
class MemberSpec:
    name: str
    role: Role
    unit_keys: tuple[str, ...]
    email: str | None
    language: str | None
    slack_id: str | None
    teams_id: str | None
    teams_tenant: str | None = None  # the Microsoft Entra tenant of the Teams id, when the file knows it


@dataclass(frozen=True)
class OrgSpec:
    """A whole organisation as the file describes it, already checked."""

    name: str | None
    language: str | None
    timezone: str | None
    anonymity_threshold: int | None
    units: tuple[UnitSpec, ...]
    members: tuple[MemberSpec, ...]


# Roles as people write them in a spreadsheet, in all three languages.
ROLE_WORDS: dict[str, Role] = {
    "staff": Role.STAFF,
    "employee": Role.STAFF,
    "henkilöstö": Role.STAFF,
    "työntekijä": Role.STAFF,
    "personal": Role.STAFF,
    "anställd": Role.STAFF,
    "supervisor": Role.SUPERVISOR,
    "manager": Role.SUPERVISOR,
    "esihenkilö": Role.SUPERVISOR,
    "esimies": Role.SUPERVISOR,
    "förman": Role.SUPERVISOR,
    "chef": Role.SUPERVISOR,
    "wellbeing_officer": Role.WELLBEING_OFFICER,
    "wellbeing officer": Role.WELLBEING_OFFICER,
    "työhyvinvointikoordinaattori": Role.WELLBEING_OFFICER,
    "työhyvinvointivastaava": Role.WELLBEING_OFFICER,
    "arbetshälsokoordinator": Role.WELLBEING_OFFICER,
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A Microsoft Entra tenant id is a GUID (Teams' channelData.tenant.id).
TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UNIT_SPLIT = re.compile(r"\s*[,;|]\s*")


def build_org_spec(organisation: Record | None, units: Sequence[Record], members: Sequence[Record]) -> OrgSpec:
    """Check every record; the first problem raises a DomainError that names its line."""
    unit_specs = _units(units)
    member_specs = _members(members, {u.key.casefold() for u in unit_specs})
    if not unit_specs or not member_specs:
        raise DomainError("org.empty")
    org = organisation or Record(0, {})
    threshold_text = org.get("anonymity_threshold")
    threshold = None
    if threshold_text:
        if not threshold_text.isdigit():
            raise DomainError("org.bad_threshold", row=org.line, value=threshold_text)
        threshold = validate_threshold(int(threshold_text))
    return OrgSpec(
        name=org.get("name") or None,
        language=_language(org) if org.get("language") else None,
        timezone=_timezone(org, org.get("timezone")) if org.get("timezone") else None,
        anonymity_threshold=threshold,
        units=unit_specs,
        members=member_specs,
    )


def _units(records: Sequence[Record]) -> tuple[UnitSpec, ...]:
    specs: dict[str, UnitSpec] = {}
    lines: dict[str, int] = {}
    for record in records:
        key = _required(record, "key")
        if key.casefold() in specs:
            raise DomainError("org.duplicate_unit", row=record.line, unit=key)
        specs[key.casefold()] = UnitSpec(
            key=key,
            name=record.get("name") or key,
            parent_key=record.get("parent") or None,
            timezone=_timezone(record, record.get("timezone")) if record.get("timezone") else None,
            language=_language(record) if record.get("language") else None,
        )
        lines[key.casefold()] = record.line
    for folded, spec in specs.items():
        if spec.parent_key is not None and spec.parent_key.casefold() not in specs:
            raise DomainError("org.unknown_parent", row=lines[folded], unit=spec.key, parent=spec.parent_key)
    _refuse_cycles(specs)
    return tuple(specs.values())


def _refuse_cycles(specs: Mapping[str, UnitSpec]) -> None:
    for spec in specs.values():
        seen = {spec.key.casefold()}
        parent = spec.parent_key
        while parent is not None:
            if parent.casefold() in seen:
                raise DomainError("org.parent_cycle", unit=spec.key)
            seen.add(parent.casefold())
            parent = specs[parent.casefold()].parent_key


def _members(records: Sequence[Record], unit_keys: set[str]) -> tuple[MemberSpec, ...]:
    seen: dict[str, str] = {}  # every email / platform id seen so far -> the member's name
    specs: list[MemberSpec] = []
    for record in records:
        name = _required(record, "name")
        role_text = _required(record, "role")
        role = ROLE_WORDS.get(role_text.casefold().replace("-", "_"))
        if role is None:
            roles = ", ".join(r.value for r in Role)
            raise DomainError("org.unknown_role", row=record.line, role=role_text, roles=roles)
        units = tuple(u for u in UNIT_SPLIT.split(_required(record, "unit")) if u)
        for unit in units:
            if unit.casefold() not in unit_keys:
                raise DomainError("org.unknown_unit", row=record.line, unit=unit)
        email = record.get("email") or None
        if email is not None and not EMAIL.match(email):
            raise DomainError("org.bad_email", row=record.line, email=email)
        slack_id = record.get("slack_id") or None
        teams_id = record.get("teams_id") or None
        teams_tenant = record.get("teams_tenant").lower() or None
        if teams_tenant is not None and not TENANT_ID.match(teams_tenant):
            raise DomainError("org.bad_tenant", row=record.line, tenant=teams_tenant)
        contacts = [c for c in (email and email.casefold(), slack_id, teams_id) if c]
        if not contacts:
            raise DomainError("org.missing_column", row=record.line, column="email / slack_id / teams_id")
        for contact in contacts:
            if contact in seen:
                raise DomainError("org.duplicate_member", row=record.line, member=f"{name} ({contact})")
            seen[contact] = name
        specs.append(
            MemberSpec(
                name=name,
                role=role,
                unit_keys=units,
                email=email,
                language=_language(record) if record.get("language") else None,
                slack_id=slack_id,
                teams_id=teams_id,
                teams_tenant=teams_tenant,
            )
        )
    return tuple(specs)


def _required(record: Record, field: str) -> str:
    value = record.get(field)
    if not value:
        raise DomainError("org.missing_column", row=record.line, column=field)
    return value


def _language(record: Record) -> str:
    language = record.get("language").casefold()
    if language not in SUPPORTED_LANGUAGES:
        raise DomainError("org.bad_language", row=record.line, language=record.get("language"))
    return language


def _timezone(record: Record, name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError("org.bad_timezone", row=record.line, timezone=name) from None
    return name
